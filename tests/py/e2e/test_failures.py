"""evaluate's failure handling against the real firmware: one clear message, QEMU gone."""
from __future__ import annotations

from pathlib import Path

import pytest

from bmrt import device
from e2e_helpers import qemu_children, scenario_firmware

TIMEOUT_S = 20.0


@pytest.fixture
def firmware() -> Path:
    path = scenario_firmware()
    try:
        import bmrt.client  # noqa: F401
    except ImportError as error:
        pytest.skip(f"protocol client not available: {error}")
    return path


def _open(firmware: Path, tmp_path: Path, **options):
    settings = dict(vector=True, generation="G4", transport="socket", timeout_s=TIMEOUT_S,
                    log_path=tmp_path / "firmware.log")
    settings.update(options)
    return device.open_device(firmware, **settings)


def test_error_reply_to_a_bad_model_is_one_message(firmware, tmp_path):
    with pytest.raises(device.DeviceError) as error:
        with _open(firmware, tmp_path) as session:
            session.upload_model(b"this is not a module" * 8, show_progress=False)
    message = str(error.value)
    assert message.startswith("model upload failed") and "firmware log" in message
    assert qemu_children() == []


def test_simulator_gone_mid_session_is_reported(firmware, tmp_path):
    with pytest.raises(device.DeviceError) as error:
        with _open(firmware, tmp_path) as session:
            session._simulator.stop()
            session.infer(bytes(1536))
    assert "QEMU exited" in str(error.value)
    assert qemu_children() == []


def test_firmware_that_never_serves_times_out_clearly(firmware, tmp_path):
    with pytest.raises(device.DeviceError, match="did not start its server"):
        with _open(firmware, tmp_path, boot_args="echo", timeout_s=2.0):
            pass
    assert qemu_children() == []
