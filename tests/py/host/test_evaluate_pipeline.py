"""evaluate's pipeline with a stand-in device that runs the x86_64 module in iree-base-runtime.

Checks everything around the simulator: samples are quantized per the IO spec, outputs decoded,
instruction counts picked from STATS, results and report written, the session always closed.
"""
from __future__ import annotations

import contextlib
import copy
import json

import numpy as np
import pytest

from bmrt import compile as compiler
from bmrt import device, evaluate, models, reference, scenario


class StandInSession:
    def __init__(self, vector: bool):
        self.vector = vector
        self.model = None
        self.uploaded = 0
        self.inferences = 0
        self.inputs: list[bytes] = []

    def upload_io_spec(self, io_spec):
        self.spec = models.IOSpec.from_dict(io_spec)

    def upload_model(self, model, show_progress=True):
        assert model[:4] != b"TFL3"  # a compiled module, never the .tflite
        self.uploaded = len(model)

    def infer(self, data):
        self.inputs.append(data)
        self.inferences += 1
        spec = self.spec.inputs[0]
        window = np.frombuffer(data, dtype=spec.numpy_dtype).reshape(spec.shape)
        raw = self.runtime._function(window)
        return np.asarray(raw.to_host()).astype(self.spec.outputs[0].numpy_dtype).tobytes(), 0.0, 1e-3

    def statistics(self):
        per_inference = 1000 if self.vector else 3000
        return {"allocation_stats": {"arena_peak_bytes": 4096, "arena_capacity_bytes": 8192},
                "inference_count": self.inferences,
                "last_inference_instructions": per_inference + self.inferences,
                "total_inference_instructions": 10 ** 9}


@pytest.fixture
def stand_in(monkeypatch, model_dir):
    sessions: list[StandInSession] = []

    @contextlib.contextmanager
    def fake_open_device(firmware, *, vector, **options):
        session = StandInSession(vector)
        sessions.append(session)
        yield session
        session.closed = True

    monkeypatch.setattr(device, "open_device", fake_open_device)
    return sessions


def _attach_runtime(sessions, name):
    """Gives each stand-in the host module of the model being evaluated."""
    model = models.resolve(name)
    vmfb = compiler.compile_model(model.path, "x86_64").vmfb
    original = StandInSession.upload_io_spec

    def upload_io_spec(self, io_spec):
        original(self, io_spec)
        self.runtime = reference.IreeReference(vmfb, model.io_spec)
    return upload_io_spec


@pytest.mark.parametrize("name", ["magic_wand", "magic_wand_int8"])
def test_pipeline_with_a_stand_in_device(stand_in, archive, tmp_path, monkeypatch, name):
    monkeypatch.setattr(StandInSession, "upload_io_spec", _attach_runtime(stand_in, name))
    config = copy.deepcopy(scenario.load(None))
    config["model_wrapper"]["model"] = name
    config["dataset"]["samples"] = 6
    config["compare"] = ["rv32-scalar"]
    config["output_dir"] = str(tmp_path)
    measurements, path = evaluate.evaluate(config, ["test"])
    assert [s.vector for s in stand_in] == [True, False]
    assert all(getattr(s, "closed", False) for s in stand_in)
    spec = models.resolve(name).io_spec.inputs[0]
    assert all(len(data) == spec.byte_size for data in stand_in[0].inputs)
    saved = json.loads(path.read_text())
    vector, scalar = saved["bmrt"]["runs"]
    assert vector["agreement"]["iree-base-runtime"] == 1.0
    assert vector["output_difference"]["iree-base-runtime"]["max_abs"] == 0.0
    assert vector["instructions_per_inference"] == [1001 + i for i in range(6)]
    assert scalar["instructions"]["mean"] > vector["instructions"]["mean"]
    assert saved["allocation_stats"]["arena_peak_bytes"] == 4096
    assert saved["bmrt"]["dataset"]["samples"] == 6
    assert saved["bmrt"]["quantized"] == (name == "magic_wand_int8")
    assert (tmp_path / "report.md").is_file() and (tmp_path / "report-comparison.png").is_file()


def test_device_failure_becomes_one_evaluation_error(monkeypatch, model_dir, archive, tmp_path):
    @contextlib.contextmanager
    def failing_open_device(firmware, **options):
        raise device.DeviceError("inference (PROCESS) failed: TimeoutError\nQEMU exited: trap")
        yield

    monkeypatch.setattr(device, "open_device", failing_open_device)
    config = copy.deepcopy(scenario.load(None))
    config["dataset"]["samples"] = 1
    config["output_dir"] = str(tmp_path)
    with pytest.raises(evaluate.EvaluationError, match="rv32-vector: inference .PROCESS. failed"):
        evaluate.evaluate(config, ["test"])
