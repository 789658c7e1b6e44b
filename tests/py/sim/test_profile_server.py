"""The inference server on the target, driven by the protocol client, inside profiling windows.

The firmware serves with the protocol TestEngine (boot word "test-engine"; see
runtime/server/test_engine.h), whose outputs are recomputed here from its documented rule;
every inference must be one profiling window.
"""
from __future__ import annotations

import pytest

from bmrt.insn_profile import read_profile
from bmrt.simulator import Simulator
from sim_helpers import firmware, no_qemu_left_behind  # noqa: F401 (fixtures)

client = pytest.importorskip("bmrt.client")

MODEL = b"BMRTTEST" + bytes([7, 11, 200])
SEED = sum(MODEL[8:]) % 256
SPEC = client.IoSpec(inputs=[client.TensorSpec((1, 8), "uint8")],
                     outputs=[client.TensorSpec((1, 6), "uint8")])


def expected_output(data: bytes, size: int) -> bytes:
    return bytes((SEED + sum(data) + j) % 256 for j in range(size))


def test_each_inference_is_one_profiling_window(firmware, tmp_path):
    profile_path = tmp_path / "profile.txt"
    inputs = [bytes(range(i, i + 8)) for i in (0, 50, 100)]
    with Simulator(firmware, uart="socket", connect_uart=False, boot_args="test-engine",
                   profile_path=profile_path) as sim:
        with client.SocketTransport("127.0.0.1", sim.uart_port) as link:
            session = client.InferenceClient(link, client.Generation.G4, timeout=20)
            session.connect()
            session.upload_io_spec(SPEC)
            session.upload_model(MODEL)
            for data in inputs:
                assert session.infer(data) == expected_output(data, 6)
            log = sim.wait_for_log("Runtime started")
        sim.stop()  # QEMU shuts down cleanly on SIGTERM; the plugin writes its report
    assert "test engine" in log
    profile = read_profile(profile_path)
    assert profile.windows == len(inputs)
    assert 0 < profile.window["insns"] < profile.total["insns"]
    assert profile.window["csr"] == 0  # the engine itself reads no counters
