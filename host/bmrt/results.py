"""Evaluation results: metrics from raw outputs and the measurements JSON.

The JSON carries Kenning's measurement keys (so Kenning's report renderer can read the primary
run) plus a `bmrt` section with our own: per-target runs, agreement with the references,
instruction counts, upload rate, arena statistics and the data-set description.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np

NS_PER_INSTRUCTION = 1e-9  # QEMU -icount shift=0: one instruction per nanosecond
AGREEMENT_GOAL = 0.995
RELATIVE_DIFFERENCE_GOAL = 1e-5


@dataclasses.dataclass
class TargetRun:
    """What one evaluation on the simulated target produced."""
    target: str                          # rv32-vector / rv32-scalar
    outputs: np.ndarray                  # (N, classes) float, dequantized
    instructions: list[int]              # retired instructions per inference ([] if unknown)
    host_inference_seconds: list[float]  # host wall-clock of each PROCESS request
    upload_bytes: int
    upload_seconds: float
    allocation_stats: dict[str, int]
    compiled: dict[str, Any]             # CompiledModel.describe()
    statistics: dict[str, Any] = dataclasses.field(default_factory=dict)  # other STATS records
    host_inference_timestamps: list[float] = dataclasses.field(default_factory=list)  # PROCESS start, s
    kernel_instructions: list[int] = dataclasses.field(default_factory=list)  # inside dispatches


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, classes: int) -> np.ndarray:
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (labels, predictions), 1)
    return matrix


def output_difference(outputs: np.ndarray, reference: np.ndarray) -> dict[str, float]:
    """Largest absolute difference, and relative to each sample's largest reference output.

    Softmax outputs span 1e-37..1, so an element-wise relative error is meaningless; the
    difference is scaled by the sample's output magnitude instead (infinity norm).
    """
    absolute = np.abs(outputs.astype(np.float64) - reference.astype(np.float64))
    scale = np.maximum(np.abs(reference.astype(np.float64)).max(axis=1), np.finfo(np.float32).tiny)
    return {"max_abs": float(absolute.max()) if absolute.size else 0.0,
            "max_rel": float((absolute.max(axis=1) / scale).max()) if absolute.size else 0.0}


def agreement(outputs: np.ndarray, reference: np.ndarray) -> float:
    return float(np.mean(outputs.argmax(axis=1) == reference.argmax(axis=1))) if len(outputs) else 0.0


def run_metrics(run: TargetRun, labels: np.ndarray, references: dict[str, np.ndarray],
                class_names: list[str]) -> dict[str, Any]:
    predictions = run.outputs.argmax(axis=1)
    instructions = np.asarray(run.instructions, dtype=np.int64)
    metrics: dict[str, Any] = {
        "target": run.target,
        "samples": int(len(labels)),
        "accuracy": float(np.mean(predictions == labels)) if len(labels) else 0.0,
        "confusion_matrix": confusion_matrix(labels, predictions, len(class_names)).tolist(),
        "predictions": predictions.tolist(),
        "agreement": {name: agreement(run.outputs, ref) for name, ref in references.items()},
        "output_difference": {name: output_difference(run.outputs, ref)
                              for name, ref in references.items()},
        "instructions_per_inference": instructions.tolist(),
        "host_inference_seconds": list(run.host_inference_seconds),
        "upload": {"bytes": run.upload_bytes, "seconds": run.upload_seconds,
                   "bytes_per_second": run.upload_bytes / run.upload_seconds
                   if run.upload_seconds > 0 else None},
        "allocation_stats": dict(run.allocation_stats),
        "statistics": dict(run.statistics),
        "compiled": dict(run.compiled),
    }
    for key in PROFILE_KEYS[1:]:
        if run.statistics.get(key):
            metrics[key] = run.statistics[key]
    if instructions.size:
        metrics["instructions"] = {
            "mean": float(instructions.mean()), "min": int(instructions.min()),
            "max": int(instructions.max()), "median": float(np.median(instructions)),
            "simulated_seconds_mean": float(instructions.mean()) * NS_PER_INSTRUCTION}
    if run.kernel_instructions and len(run.kernel_instructions) == len(run.instructions):
        kernels = np.asarray(run.kernel_instructions, dtype=np.int64)
        metrics["kernel_instructions_per_inference"] = kernels.tolist()
        metrics["instructions"]["kernel_mean"] = float(kernels.mean())
        metrics["instructions"]["runtime_mean"] = float((instructions - kernels).mean())
    return metrics


def goals(metrics: dict[str, Any], quantized: bool) -> dict[str, bool]:
    checks = {}
    if "tflite" in metrics["agreement"] and not quantized:
        checks["tflite_agreement>=99.5%"] = metrics["agreement"]["tflite"] >= AGREEMENT_GOAL
    if "iree-base-runtime" in metrics["output_difference"]:
        checks["iree_max_rel<=1e-5"] = (metrics["output_difference"]["iree-base-runtime"]["max_rel"]
                                        <= RELATIVE_DIFFERENCE_GOAL)
    return checks


def build(*, runs: list[TargetRun], labels: np.ndarray, references: dict[str, np.ndarray],
          class_names: list[str], model: dict[str, Any], dataset: dict[str, Any],
          scenario: dict[str, Any], command: list[str], quantized: bool,
          simulator: dict[str, Any] | None = None) -> dict[str, Any]:
    """The measurements dictionary; Kenning keys describe the first (primary) run."""
    per_target = [run_metrics(run, labels, references, class_names) for run in runs]
    for metrics in per_target:
        metrics["goals"] = goals(metrics, quantized)
    primary, primary_run = per_target[0], runs[0]
    steps = list(primary_run.host_inference_seconds)
    compiler = {"compiler_framework": "iree",
                "compiler_version": primary_run.compiled.get("compiler_version", "")}
    results: dict[str, Any] = {
        "model_framework": model.get("framework", "tflite"),
        "model_version": model.get("framework_version", ""),
        "model_name": model.get("name", ""),
        "compilers": [compiler],
        "optimizers": [dict(compiler, compiler_flags=primary_run.compiled.get("flags", []))],
        "command": list(command),
        "build_cfg": scenario,
        "class_names": list(class_names),
        "eval_confusion_matrix": primary["confusion_matrix"],
        "total": int(len(labels)),
        "protocol_inference_step": steps,
        "protocol_inference_step_timestamp": (list(primary_run.host_inference_timestamps)
                                              or np.cumsum([0.0] + steps[:-1]).tolist()),
        "compiled_model_size": int(primary_run.compiled.get("size", 0)),
        "allocation_stats": dict(primary_run.allocation_stats),
        "bmrt": {
            "model": model,
            "dataset": dataset,
            "simulator": simulator or {},
            "quantized": quantized,
            "labels": labels.tolist(),
            "references": {name: {"accuracy": float(np.mean(ref.argmax(1) == labels))
                                  if len(labels) else 0.0}
                           for name, ref in references.items()},
            "runs": per_target,
        },
    }
    if primary_run.instructions:
        # Kenning's key for times measured on the target: simulated seconds at 1 ns/instruction.
        target_steps = [count * NS_PER_INSTRUCTION for count in primary_run.instructions]
        results["target_inference_step"] = target_steps
        results["target_inference_step_timestamp"] = np.cumsum([0.0] + target_steps[:-1]).tolist()
    for key, value in primary_run.allocation_stats.items():
        if key in KENNING_ALLOCATION_KEYS:
            results[key] = value
    for key in PROFILE_KEYS:
        if primary_run.statistics.get(key):
            results[key] = primary_run.statistics[key]
    if len(runs) > 1:
        results["bmrt"]["comparison"] = compare(per_target)
    return results


# Instruction-profile keys (evaluate --profile) copied from the primary run to the top level.
PROFILE_KEYS = ("opcode_counters", "kernel_instructions", "instructions_by_component",
                "memory_by_region")
KENNING_ALLOCATION_KEYS = ("host_bytes_peak", "host_bytes_allocated", "host_bytes_freed",
                           "device_bytes_peak", "device_bytes_allocated", "device_bytes_freed")


def compare(per_target: list[dict[str, Any]]) -> dict[str, Any]:
    """Speed-up of the first run over each other run (mean instructions per inference)."""
    base = per_target[0]
    comparison: dict[str, Any] = {"baseline": base["target"], "others": {}}
    for other in per_target[1:]:
        entry: dict[str, Any] = {
            "same_predictions": float(np.mean(np.asarray(base["predictions"])
                                              == np.asarray(other["predictions"]))),
        }
        if "instructions" in base and "instructions" in other:
            entry["instruction_ratio"] = (other["instructions"]["mean"]
                                          / base["instructions"]["mean"])
        comparison["others"][other["target"]] = entry
    return comparison


def save(results: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, default=_json_default))
    return path


def load(path: Path) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read results {path}: {error}") from error


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
