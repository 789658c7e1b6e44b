"""The whole hostile-input catalogue (test_hostile.py) against the firmware in QEMU.

One QEMU boot per generation serves every case of that generation (the firmware detects the
generation once per reset). Between cases the server is brought back to the *idle* state with an
IO spec whose tensors cannot fit (itself a catalogue case), then to the case's starting stage;
after each case the state probe and a complete valid session run exactly as on the host server.
Skipped when the firmware is not built or serves another engine than the protocol test engine
(the catalogue's models and reasons are the test engine's)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bmrt.client import Generation, InferenceClient, IoSpec, RequestFailed, SocketTransport, TensorSpec
from protocol_support import REPO
from test_hostile import CASES, SPEC, Ctx, run_case_then_recover

FIRMWARE = REPO / "build/rv32/platform/qemu-virt-rv32/bmrt-firmware.elf"
REPLY_TIMEOUT = 10.0  # QEMU is slower than the host server, and CI machines are busy
OVERSIZED = IoSpec([TensorSpec((4, 1024, 1024, 2), "float32")], [TensorSpec((4,), "float32")])


@dataclass
class FirmwareTarget:
    """One booted firmware and the socket client talking to it."""
    simulator: object
    generation: Generation
    client: InferenceClient

    def reconnect(self) -> InferenceClient:
        """Closes the UART socket and opens a new one (QEMU keeps listening)."""
        self.client.transport.close()
        self.client = InferenceClient(SocketTransport("127.0.0.1", self.simulator.uart_port),
                                      self.generation, timeout=REPLY_TIMEOUT)
        return self.client

    def log(self) -> str:
        return self.simulator.log_text()

    def reset(self) -> None:
        """Back to *idle*: an IO spec that cannot fit releases the spec and any model."""
        self.client.upload_io_spec(SPEC)  # also ends anything half-finished
        with pytest.raises(RequestFailed):
            self.client.upload_io_spec(OVERSIZED)


def boot_firmware(generation: Generation, tmp_path_factory) -> Iterator[FirmwareTarget]:
    if not FIRMWARE.is_file():
        pytest.skip(f"firmware not built: {FIRMWARE}")
    from bmrt.simulator import Simulator
    log = tmp_path_factory.mktemp(f"firmware-{generation.value}") / "firmware.log"
    with Simulator(FIRMWARE, uart="socket", log_path=log, connect_uart=False,
                   boot_args="test-engine") as simulator:
        simulator.wait_for_log("Runtime started", timeout=30.0)
        engine = re.search(r"engine: ([^;\n]*)", simulator.log_text())
        if not engine or "test engine" not in engine.group(1):
            pytest.skip(f"firmware serves {engine.group(1) if engine else 'an unknown engine'}, "
                        "not the protocol test engine the catalogue is written for")
        client = InferenceClient(SocketTransport("127.0.0.1", simulator.uart_port), generation,
                                 timeout=REPLY_TIMEOUT)
        client.connect()  # the first frame fixes the generation
        target = FirmwareTarget(simulator, generation, client)
        try:
            yield target
        finally:
            target.client.transport.close()


@pytest.fixture(scope="module")
def firmware(request, tmp_path_factory) -> Iterator[FirmwareTarget]:
    yield from boot_firmware(request.param, tmp_path_factory)


PARAMS = [pytest.param(g, c, id=f"{c.name.replace(' ', '_')}-{g.value}")
          for g in (Generation.G1, Generation.G2, Generation.G4) for c in CASES if g in c.generations]


@pytest.mark.parametrize("firmware,hostile", PARAMS, indirect=["firmware"])
def test_hostile_input_on_firmware(firmware: FirmwareTarget, hostile):
    if not firmware.simulator.running():
        pytest.fail("QEMU stopped during an earlier case:\n" + firmware.log()[-2000:])
    firmware.reset()
    run_case_then_recover(Ctx(firmware.client, firmware.generation, firmware.log), hostile)
    assert firmware.simulator.running()


def test_catalogue_runs_every_case_on_firmware():
    assert {p.values[1].name for p in PARAMS} == {c.name for c in CASES}
