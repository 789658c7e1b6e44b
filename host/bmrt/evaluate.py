"""`bmrt evaluate`: the main job - a model on the simulated accelerator, end to end.

Compiles the model, boots the firmware in QEMU, uploads IO spec and model, streams every sample
(DATA, PROCESS, OUTPUT), reads STATS, runs the host references on the same samples, and writes
results JSON + Markdown report. With no arguments: the float magic-wand model, the full test
split, the vector target (scenarios/magic-wand.json).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bmrt import compile as compiler
from bmrt import dataset as dataset_module
from bmrt import models, report, results
from bmrt import scenario as scenario_module


class EvaluationError(RuntimeError):
    """One clear reason the evaluation stopped."""


def _vector_target(target: compiler.Target) -> bool:
    return "zve" in target.features or "+v" in target.features.split(",")


def select_samples(config: dict[str, Any]) -> tuple[dataset_module.MagicWandData,
                                                    dataset_module.Split]:
    settings = config["dataset"]
    data = dataset_module.load(scenario_module.resolve_path(settings["archive"]),
                               window_seed=int(settings["window_seed"]))
    if settings["split"] == "all":
        split = dataset_module.all_samples(data)
    elif settings["split"] == "test":
        split = dataset_module.test_split(data, float(settings["test_fraction"]),
                                          int(settings["split_seed"]))
    else:
        raise EvaluationError(f"dataset split must be 'test' or 'all', not {settings['split']!r}")
    return data, split.limit(settings["samples"])


def find_instruction_stat(statistics: dict[str, Any], configured: str | None,
                          part: str = "inference") -> str | None:
    """The STATS record holding the last inference's retired instructions (`part` "inference"),
    or the share of them spent inside the compiled kernels (`part` "kernel")."""
    flat = _flatten(statistics)
    if configured:
        return configured if configured in flat else None
    candidates = [key for key in flat if re.search(r"instr", key, re.I)
                  and "total" not in key.lower()
                  and ("kernel" in key.lower()) == (part == "kernel")]
    for wanted in (("last", part), (part,), ("last",), ()):
        for key in candidates:
            if all(word in key.lower() for word in wanted):
                return key
    return None


def _flatten(statistics: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in statistics.items():
        if isinstance(value, dict):
            flat.update(_flatten(value))
        else:
            flat[key] = value
    return flat


def _scalar(value: Any) -> int:
    if isinstance(value, (list, tuple)):
        value = value[-1]
    return int(value)


def run_target(config: dict[str, Any], model: models.Model, target: compiler.Target,
               windows: np.ndarray, output_dir: Path) -> results.TargetRun:
    from bmrt import device
    optimizer = config["optimizers"][0]
    try:
        compiled = compiler.compile_model(model.path, target,
                                          static_batch=bool(optimizer["static_batch"]),
                                          extra_flags=list(optimizer["compiler_args"]))
    except compiler.CompileError as error:
        raise EvaluationError(str(error)) from error
    protocol = config["protocol"]
    runtime = config["runtime"]
    input_spec, output_spec = model.io_spec.inputs[0], model.io_spec.outputs[0]
    firmware = scenario_module.resolve_path(runtime["firmware"])
    log_path = output_dir / f"firmware-{target.name}.log"
    profile_path = output_dir / f"insn-profile-{target.name}.txt"
    extra_args = _profile_args(config, profile_path)
    outputs: list[np.ndarray] = []
    instructions: list[int] = []
    kernel_instructions: list[int] = []
    process_seconds: list[float] = []
    process_starts: list[float] = []
    try:
        with device.open_device(firmware, vector=_vector_target(target),
                                generation=protocol["generation"],
                                transport=protocol["transport"],
                                timeout_s=float(protocol["timeout_s"]), log_path=log_path,
                                boot_args=runtime["boot_args"],
                                vlen=int(config["simulator"]["vlen"]),
                                extra_args=extra_args) as session:
            session.upload_io_spec(model.io_spec.raw)
            vmfb = compiled.vmfb.read_bytes()
            upload_start = time.perf_counter()
            session.upload_model(vmfb, show_progress=sys.stderr.isatty())
            upload_seconds = time.perf_counter() - upload_start
            stat_key = kernel_key = None
            for index, window in enumerate(_iterate(windows, f"inference ({target.name})")):
                output, started, elapsed = session.infer(input_spec.quantize(window).tobytes())
                process_seconds.append(elapsed)
                process_starts.append(started - upload_start)
                outputs.append(_decode_output(output, output_spec, index))
                if protocol["stats_after_each_inference"]:
                    statistics = _flatten(session.statistics())
                    stat_key = stat_key or find_instruction_stat(statistics,
                                                                 protocol["instructions_stat"])
                    kernel_key = kernel_key or find_instruction_stat(statistics, None, "kernel")
                    if stat_key is not None:
                        instructions.append(_scalar(statistics[stat_key]))
                    if kernel_key is not None:
                        kernel_instructions.append(_scalar(statistics[kernel_key]))
            final = session.statistics()
    except device.DeviceError as error:
        raise EvaluationError(f"{target.name}: {error}") from error
    final = _jsonable(final)
    if extra_args:
        final.update(_read_profile(profile_path, firmware, log_path))
    allocation = final.get("allocation_stats", {}) if isinstance(final, dict) else {}
    allocation = {k: v for k, v in allocation.items() if isinstance(v, (int, float))}
    for key in results.KENNING_ALLOCATION_KEYS:
        if key in final:
            allocation[key] = final[key]
    return results.TargetRun(
        target=target.name, outputs=np.stack(outputs), instructions=instructions,
        host_inference_seconds=process_seconds, upload_bytes=compiled.size,
        upload_seconds=upload_seconds, allocation_stats=allocation,
        compiled=compiled.describe(), statistics=final,
        host_inference_timestamps=process_starts, kernel_instructions=kernel_instructions)


def _profile_args(config: dict[str, Any], path: Path) -> tuple[str, ...]:
    """QEMU arguments loading the instruction-profile plugin, when the scenario asks for it."""
    if not config["simulator"]["profile"]:
        return ()
    from bmrt import insn_profile
    try:
        return tuple(insn_profile.plugin_args(path))
    except insn_profile.ProfileError as error:
        raise EvaluationError(f"instruction profile requested: {error}") from error


def _read_profile(path: Path, firmware: Path, log_path: Path) -> dict[str, Any]:
    """Instruction classes counted by the plugin, as Kenning's `opcode_counters`, and the
    per-inference split by kernel, firmware component and memory region (bmrt.symbolize)."""
    from bmrt import insn_profile, symbolize
    try:
        profile = insn_profile.read_profile(path)
    except insn_profile.ProfileError as error:
        print(f"evaluate: warning: {error}", file=sys.stderr)
        return {}
    counters = profile.window if profile.windows else profile.total
    found: dict[str, Any] = {
        "opcode_counters": dict(counters),
        "insn_profile": {"windows": profile.windows, "total": profile.total,
                         "window": profile.window}}
    if profile.windows and profile.pc_counts:
        try:
            symbolized = symbolize.summarize(profile, firmware, log_path)
        except symbolize.SymbolizeError as error:
            print(f"evaluate: warning: {error}", file=sys.stderr)
            return found
        found["insn_profile"]["kernel_exports"] = symbolized.pop("kernel_exports")
        found["insn_profile"]["top_functions"] = symbolized.pop("top_functions")
        found.update(symbolized)
    return found


def _decode_output(payload: bytes, spec: models.TensorSpec, index: int) -> np.ndarray:
    if len(payload) != spec.byte_size:
        raise EvaluationError(f"sample {index}: OUTPUT has {len(payload)} bytes, the IO spec "
                              f"expects {spec.byte_size} ({spec.shape} {spec.dtype})")
    return spec.dequantize(np.frombuffer(payload, dtype=spec.numpy_dtype)).reshape(-1)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _iterate(windows: np.ndarray, description: str):
    from tqdm import tqdm
    return tqdm(windows, desc=description, unit="sample", file=sys.stderr, leave=False,
                disable=None)


def references_for(model: models.Model, windows: np.ndarray,
                   config: dict[str, Any]) -> dict[str, np.ndarray]:
    from bmrt import reference
    optimizer = config["optimizers"][0]
    outputs: dict[str, np.ndarray] = {}
    try:
        if model.framework == "tflite":
            outputs["tflite"] = reference.TFLiteReference(model.path, model.io_spec).run(windows)
        host = compiler.compile_model(model.path, "x86_64",
                                      static_batch=bool(optimizer["static_batch"]))
        outputs["iree-base-runtime"] = reference.IreeReference(host.vmfb,
                                                               model.io_spec).run(windows)
    except (compiler.CompileError, reference.ReferenceError) as error:
        raise EvaluationError(f"reference run failed: {error}") from error
    return outputs


def evaluate(config: dict[str, Any], command: list[str]) -> tuple[dict[str, Any], Path]:
    try:
        model = models.resolve(config["model_wrapper"]["model"], config["model_wrapper"]["io_spec"])
        data, split = select_samples(config)
    except (models.ModelError, dataset_module.DatasetError) as error:
        raise EvaluationError(str(error)) from error
    target_names = [config["optimizers"][0]["target"]] + [
        name for name in config["compare"] if name != config["optimizers"][0]["target"]]
    unknown = [name for name in target_names if name not in compiler.TARGETS]
    if unknown:
        raise EvaluationError(f"unknown target(s) {unknown}; known: {', '.join(compiler.TARGETS)}")
    output_dir = scenario_module.resolve_path(config["output_dir"])
    output_dir.mkdir(parents=True, exist_ok=True)
    windows, labels = data.windows[split.indices], data.labels[split.indices]
    references = references_for(model, windows, config)
    runs = [run_target(config, model, compiler.TARGETS[name], windows, output_dir)
            for name in target_names]
    description = dict(data.description(), split=split.name, samples=int(len(labels)))
    model_info = {"name": model.name, "path": str(model.path), "io_spec": str(model.io_spec_path),
                  "framework": model.framework, "framework_version": _framework_version(model)}
    measurements = results.build(
        runs=runs, labels=labels, references=references,
        class_names=list(model.io_spec.class_names) or list(dataset_module.CLASS_NAMES),
        model=model_info, dataset=description, scenario=config, command=command,
        quantized=model.io_spec.inputs[0].quantized,
        simulator={"machine": "virt", "cpu": "rv32", "vlen": config["simulator"]["vlen"],
                   "icount_shift": 0, "transport": config["protocol"]["transport"],
                   "protocol_generation": config["protocol"]["generation"]})
    path = results.save(measurements, output_dir / "results.json")
    report.render(measurements, output_dir / "report.md")
    return measurements, path


def _framework_version(model: models.Model) -> str:
    if model.framework != "tflite":
        return ""
    try:
        from importlib.metadata import version
        return f"ai-edge-litert {version('ai-edge-litert')}"
    except Exception:  # metadata lookup is informational only
        return ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", type=Path, help="scenario JSON (default scenarios/magic-wand.json)")
    parser.add_argument("--int8", action="store_true", help="the int8 magic-wand model")
    parser.add_argument("--model", help="model name or .tflite/.mlir path (overrides the scenario)")
    parser.add_argument("--scalar", action="store_true",
                        help="evaluate on the scalar target (no vector extension, CPU without it)")
    parser.add_argument("--compare-scalar", action="store_true",
                        help="evaluate on the vector target, then the scalar one, and compare")
    parser.add_argument("--samples", type=int, help="only the first N samples of the split")
    parser.add_argument("--all-samples", action="store_true", help="every window, not the test split")
    parser.add_argument("--dataset", type=Path, help="data-set archive or extracted root")
    parser.add_argument("--firmware", type=Path, help="firmware ELF")
    parser.add_argument("--generation", choices=["G1", "G2", "G3", "G4"], help="protocol generation")
    parser.add_argument("--transport", choices=["socket", "pty"], help="UART transport")
    parser.add_argument("--timeout", type=float, help="per-request timeout in seconds")
    parser.add_argument("--output-dir", type=Path, help="results directory")
    parser.add_argument("--profile", action="store_true",
                        help="count instruction classes with the QEMU plugin (opcode_counters)")


def configure(args: argparse.Namespace) -> dict[str, Any]:
    config = scenario_module.load(args.scenario)
    if args.int8:
        config["model_wrapper"]["model"] = "magic_wand_int8"
    if args.model:
        config["model_wrapper"]["model"] = args.model
    if args.scalar:
        config["optimizers"][0]["target"] = "rv32-scalar"
    if args.compare_scalar:
        config["compare"] = list(dict.fromkeys(config["compare"] + ["rv32-scalar"]))
    if args.samples is not None:
        if args.samples <= 0:
            raise EvaluationError("--samples must be positive")
        config["dataset"]["samples"] = args.samples
    if args.all_samples:
        config["dataset"]["split"] = "all"
    for option, section, key in (("dataset", "dataset", "archive"),
                                 ("firmware", "runtime", "firmware"),
                                 ("generation", "protocol", "generation"),
                                 ("transport", "protocol", "transport"),
                                 ("timeout", "protocol", "timeout_s")):
        value = getattr(args, option)
        if value is not None:
            config[section][key] = str(value) if isinstance(value, Path) else value
    if args.profile:
        config["simulator"]["profile"] = True
    if args.output_dir is not None:
        config["output_dir"] = str(args.output_dir)
    return config


def run(args: argparse.Namespace) -> int:
    command = ["python", "-m", "bmrt", "evaluate", *sys.argv[2:]]
    try:
        config = configure(args)
        measurements, path = evaluate(config, command)
    except (EvaluationError, scenario_module.ScenarioError) as error:
        print(f"evaluate: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("evaluate: interrupted", file=sys.stderr)
        return 130
    print(report.terminal_table(report.summary_rows(measurements)))
    print(f"results: {path}\nreport:  {path.with_name('report.md')}")
    return 0
