"""evaluate's failure handling against the real firmware: one clear message, QEMU gone."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bmrt import device, scenario

TIMEOUT_S = 20.0


def _qemu_children() -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if (b"qemu-system-riscv32" in command and f"PPid:\t{os.getpid()}\n" in status
                and "State:\tZ" not in status):
            children.append(int(entry.name))
    return children


@pytest.fixture
def firmware() -> Path:
    path = scenario.resolve_path(scenario.DEFAULTS["runtime"]["firmware"])
    if not path.is_file():
        pytest.skip(f"firmware not built: {path}")
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
    assert _qemu_children() == []


def test_simulator_gone_mid_session_is_reported(firmware, tmp_path):
    with pytest.raises(device.DeviceError) as error:
        with _open(firmware, tmp_path) as session:
            session._simulator.stop()
            session.infer(bytes(1536))
    assert "QEMU exited" in str(error.value)
    assert _qemu_children() == []


def test_firmware_that_never_serves_times_out_clearly(firmware, tmp_path):
    with pytest.raises(device.DeviceError, match="did not start its server"):
        with _open(firmware, tmp_path, boot_args="echo", timeout_s=2.0):
            pass
    assert _qemu_children() == []
