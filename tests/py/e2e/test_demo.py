"""End to end: `bmrt evaluate` on a reduced data set through QEMU, as `make demo` runs it.

Skipped until the firmware can run a model: a probe boots the firmware and tries one whole
inference (IO spec, model, DATA, PROCESS, OUTPUT). As soon as that works, these tests run.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import numpy as np
import pytest

from bmrt import compile as compiler
from bmrt import dataset, device, evaluate, models, scenario
from e2e_helpers import qemu_children

SAMPLES = 24
PROBE_TIMEOUT_S = 30.0


@pytest.fixture(scope="module")
def base_config() -> dict:
    return scenario.load(None)


@pytest.fixture(scope="module")
def runs_models(base_config, tmp_path_factory) -> None:
    """Skips the module unless the firmware completes one inference of the float model."""
    firmware = scenario.resolve_path(base_config["runtime"]["firmware"])
    if not firmware.is_file():
        pytest.skip(f"firmware not built: {firmware}")
    try:
        model = models.resolve("magic_wand")
        data = dataset.load()
        compiled = compiler.compile_model(model.path, "rv32-vector")
    except (models.ModelError, dataset.DatasetError, compiler.CompileError) as error:
        pytest.skip(f"inputs unavailable: {error}")
    protocol = base_config["protocol"]
    spec = model.io_spec
    log_path = tmp_path_factory.mktemp("probe") / "firmware.log"
    try:
        with device.open_device(firmware, vector=True, generation=protocol["generation"],
                                transport=protocol["transport"], timeout_s=PROBE_TIMEOUT_S,
                                log_path=log_path) as dev:
            dev.upload_io_spec(spec.raw)
            dev.upload_model(compiled.vmfb.read_bytes())
            output, _, _ = dev.infer(spec.inputs[0].quantize(data.windows[0]).tobytes())
    except device.DeviceError as error:
        pytest.skip(f"firmware cannot run models yet: {str(error).splitlines()[0]}")
    engine = re.search(r"engine: ([^;\n]*)", log_path.read_text(errors="replace"))
    if engine and "test engine" in engine.group(1):
        pytest.skip(f"firmware serves {engine.group(1)!r}, not the model runtime yet")
    if len(output) != spec.outputs[0].byte_size:
        pytest.skip(f"firmware returned {len(output)} output bytes; not running models yet")


def _evaluate(config: dict, tmp_path: Path) -> tuple[dict, Path]:
    config = copy.deepcopy(config)
    config["dataset"]["samples"] = SAMPLES
    config["output_dir"] = str(tmp_path)
    try:
        return evaluate.evaluate(config, ["pytest"])
    finally:
        assert qemu_children() == []


def test_float_model_vector_vs_scalar(runs_models, base_config, tmp_path):
    config = copy.deepcopy(base_config)
    config["compare"] = ["rv32-scalar"]
    measurements, path = _evaluate(config, tmp_path)
    saved = json.loads(path.read_text())
    for key in ("eval_confusion_matrix", "class_names", "protocol_inference_step",
                "protocol_inference_step_timestamp", "target_inference_step",
                "compiled_model_size", "command", "model_framework", "compilers", "build_cfg"):
        assert key in saved, key
    vector, scalar = saved["bmrt"]["runs"]
    for run in (vector, scalar):
        assert run["samples"] == SAMPLES
        assert run["agreement"]["tflite"] >= 0.995
        assert run["agreement"]["iree-base-runtime"] == 1.0
        assert run["output_difference"]["iree-base-runtime"]["max_rel"] <= 1e-5
        assert len(run["instructions_per_inference"]) == SAMPLES
        assert min(run["instructions_per_inference"]) > 0
    assert vector["instructions"]["mean"] < scalar["instructions"]["mean"]
    assert np.sum(saved["eval_confusion_matrix"]) == SAMPLES
    for name in ("report.md", "report-agreement.png", "report-instructions.png",
                 "report-comparison.png", "report-confusion-rv32-vector.png"):
        assert (tmp_path / name).is_file(), name


def test_int8_model_matches_the_host_runtime(runs_models, base_config, tmp_path):
    config = copy.deepcopy(base_config)
    config["model_wrapper"]["model"] = "magic_wand_int8"
    measurements, _ = _evaluate(config, tmp_path)
    run = measurements["bmrt"]["runs"][0]
    step = models.resolve("magic_wand_int8").io_spec.outputs[0].scale
    assert run["output_difference"]["iree-base-runtime"]["max_abs"] <= step
    assert run["agreement"]["iree-base-runtime"] >= 0.95
