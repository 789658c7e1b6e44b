"""evaluate's device session against the firmware while it serves the protocol test engine.

The test engine's outputs are a documented function of model and input bytes
(runtime/server/test_engine.h), so the whole path - simulator, client, IO spec, a model-sized
upload, DATA/PROCESS/OUTPUT, STATS records - is checked byte for byte. The firmware
serves real models by default; the boot word `test-engine` selects the test engine.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from bmrt import device, evaluate, models
from e2e_helpers import scenario_firmware

MODEL = b"BMRTTEST" + bytes(range(256)) * 118  # about the size of the compiled magic-wand model


@pytest.fixture(params=["socket", "pty"])
def session(request, tmp_path):
    firmware = scenario_firmware()
    log = tmp_path / "firmware.log"
    with device.open_device(firmware, vector=True, generation="G4", transport=request.param,
                            timeout_s=30.0, log_path=log, boot_args="test-engine") as opened:
        engine = re.search(r"engine: ([^;\n]*)", log.read_text(errors="replace"))
        if not engine or "test engine" not in engine.group(1):
            pytest.skip("firmware does not serve the protocol test engine")
        yield opened


def test_session_round_trip_through_the_test_engine(session):
    spec = models.resolve("magic_wand").io_spec
    session.upload_io_spec(spec.raw)
    session.upload_model(MODEL, show_progress=False)
    seed = sum(MODEL[8:]) % 256
    for sample in range(3):
        data = spec.inputs[0].quantize(np.full((128, 3), sample * 100.0)).tobytes()
        output, _, seconds = session.infer(data)
        expected = bytes((seed + sum(data) + j) % 256 for j in range(spec.outputs[0].byte_size))
        assert output == expected
        assert seconds > 0
        statistics = session.statistics()
        assert statistics["inference_count"] == sample + 1
    key = evaluate.find_instruction_stat(statistics, None)
    assert key == "last_inference_instructions" and statistics[key] > 0
    assert statistics["allocation_stats"]["model_bytes"] == len(MODEL)
