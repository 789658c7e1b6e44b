"""Faults against the firmware in QEMU: a host that vanishes mid-upload and comes back, a model
larger than the arena, a thousand requests in a row without a leak (G4), and - once the firmware
serves the IREE engine - a model that verifies but fails at run time and inputs full of NaN/Inf.

The protocol-level faults boot the test engine (boot word `test-engine`), one QEMU boot per
generation; the model-level faults boot the firmware's default engine once (G4). Either way the
engine is probed from the firmware's log line `engine: ...`: a test skips, naming the engine it
found, when the firmware cannot serve it (e.g. a firmware built without the IREE engine)."""
from __future__ import annotations

import re
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bmrt.client import Generation, InferenceClient, IoSpec, RequestFailed, SocketTransport, TensorSpec
from bmrt.client.wire import Flag, Flow, Kind, code_of, encode_header, encode_request
from protocol_support import REPO, SHARED
from engine_model import expected_output, make_input, make_model
from test_hostile import SPEC, probe_stage

FIRMWARE = REPO / "build/rv32/platform/qemu-virt-rv32/bmrt-firmware.elf"
REPLY_TIMEOUT = 10.0
FIRMWARE_INTER_BYTE_TIMEOUT = 0.1  # ServerOptions::inter_byte_timeout_us
SETTLE = 5 * FIRMWARE_INTER_BYTE_TIMEOUT
OVERSIZED = IoSpec([TensorSpec((4, 1024, 1024, 2), "float32")], [TensorSpec((4,), "float32")])
FAILING_MODEL_SOURCE = Path(__file__).with_name("fails_at_run_time.mlir")
MAGIC_WAND = SHARED / "models/magic_wand/magic_wand.tflite"
# Requests in a row per generation: the full thousand on G4 (Kenning's current protocol), fewer
# on the others to keep CI time down.
RELOADS = 8  # real-model uploads (each takes about a second over the QEMU UART)
REQUESTS_IN_A_ROW = {Generation.G1: 200, Generation.G2: 200, Generation.G4: 1000}


class Firmware:
    """One booted firmware, its engine name and a socket client that can reconnect."""

    def __init__(self, simulator, generation: Generation):
        self.simulator = simulator
        self.generation = generation
        found = re.search(r"engine: ([^;\n]*)", simulator.log_text())
        self.engine = found.group(1).strip() if found else "unknown"
        self.arena = int(re.search(r"arena: (\d+) bytes", simulator.log_text()).group(1))
        self.client = self._open()
        self.client.connect()  # the first frame fixes the generation

    def _open(self) -> InferenceClient:
        return InferenceClient(SocketTransport("127.0.0.1", self.simulator.uart_port), self.generation,
                               timeout=REPLY_TIMEOUT)

    @property
    def test_engine(self) -> bool:
        return "test engine" in self.engine

    def require_test_engine(self) -> None:
        if not self.test_engine:
            pytest.skip(f"written for the protocol test engine; the firmware serves {self.engine}")

    def require_real_engine(self) -> None:
        if self.test_engine:
            pytest.skip(f"needs the IREE engine in the firmware; it serves {self.engine}")

    def log_lines(self) -> int:
        return len(self.simulator.log_text().splitlines())

    def wait_for_logged(self, suffix: str, after: int, timeout: float = 20.0) -> None:
        """Waits until a log line after the first `after` ends with `suffix`: the simulated
        clock can fall far behind the host's on a loaded machine, so no fixed sleep is enough."""
        deadline = time.monotonic() + timeout
        while not any(line.rstrip().endswith(suffix)
                      for line in self.simulator.log_text().splitlines()[after:]):
            assert time.monotonic() < deadline, f"firmware never logged {suffix!r}"
            time.sleep(0.05)

    def reconnect(self) -> InferenceClient:
        self.client.transport.close()
        self.client = self._open()
        return self.client

    def reset(self) -> None:
        """Back to *idle*: an IO spec that cannot fit releases the spec and any model."""
        self.client.upload_io_spec(SPEC)
        with pytest.raises(RequestFailed):
            self.client.upload_io_spec(OVERSIZED)

    def arena_in_use(self) -> int:
        stats = self.client.download_stats()
        if "arena_in_use_bytes" in stats:
            return stats["arena_in_use_bytes"].value
        return stats["host_bytes_allocated"].value - stats["host_bytes_freed"].value  # G1 form


def boot(generation: Generation, boot_args: str, tmp_path_factory) -> Iterator[Firmware]:
    if not FIRMWARE.is_file():
        pytest.skip(f"firmware not built: {FIRMWARE}")
    from bmrt.simulator import Simulator
    log = tmp_path_factory.mktemp(f"faults-{generation.value}") / "firmware.log"
    with Simulator(FIRMWARE, uart="socket", log_path=log, connect_uart=False,
                   boot_args=boot_args) as simulator:
        simulator.wait_for_log("Runtime started", timeout=30.0)
        target = Firmware(simulator, generation)
        try:
            yield target
        finally:
            target.client.transport.close()


@pytest.fixture(scope="module", params=[Generation.G1, Generation.G2, Generation.G4], ids=lambda g: g.value)
def firmware(request, tmp_path_factory) -> Iterator[Firmware]:
    """The firmware serving the protocol test engine."""
    yield from boot(request.param, "test-engine", tmp_path_factory)


@pytest.fixture(scope="module")
def iree_firmware(tmp_path_factory) -> Iterator[Firmware]:
    """The firmware with its default engine (the IREE engine when it is built in)."""
    yield from boot(Generation.G4, "", tmp_path_factory)


def valid_session(client: InferenceClient, seed: int = 5) -> None:
    client.upload_io_spec(SPEC)
    model = make_model(4000, seed=seed)
    client.upload_model(model)
    data = make_input(SPEC.input_bytes, seed=seed)
    assert client.infer(data) == expected_output(model, data, SPEC.output_bytes)


def test_host_vanishes_mid_upload_and_reconnects(firmware: Firmware):
    firmware.require_test_engine()
    firmware.reset()
    client = firmware.client
    client.upload_io_spec(SPEC)
    stream = b"".join(encode_request(firmware.generation, Kind.MODEL, make_model(6000)))
    mark = firmware.log_lines()
    client.send(stream[:len(stream) // 2 + 1])
    firmware.client.transport.close()  # the socket goes away mid-frame
    # The firmware resyncs at its inter-byte timeout (logged, then answered into the void).
    firmware.wait_for_logged("inter-byte timeout inside a frame", after=mark)
    time.sleep(SETTLE)
    client = firmware.reconnect()
    assert client.expect_silence(SETTLE) == []
    assert probe_stage(client) == "none"  # the half model was dropped
    valid_session(client)
    assert firmware.simulator.running()


def _announce_model(firmware: Firmware, size: int) -> None:
    """A MODEL frame whose header announces `size` bytes; only 1000 of them follow."""
    generation = firmware.generation
    code = code_of(generation, Kind.MODEL)
    if generation is Generation.G1:
        header = struct.pack("<IH", size, code)
    else:
        header = encode_header(generation, code, Flow.REQUEST, Flag.FIRST | Flag.LAST | Flag.HAS_PAYLOAD,
                               size_field=size)
    firmware.client.send(header + bytes(1000))


def test_model_larger_than_the_arena(firmware: Firmware):
    firmware.require_test_engine()
    firmware.reset()
    client = firmware.client
    valid_session(client)
    baseline = firmware.arena_in_use()
    client.upload_io_spec(SPEC)
    log_before = len(firmware.simulator.log_text())
    _announce_model(firmware, firmware.arena + (1 << 20))
    with pytest.raises(RequestFailed):
        client.await_reply(Kind.MODEL)
    # The sender stops after 1000 bytes: the frame ends at the inter-byte timeout (G1 reports
    # that), or the upload is refused as soon as the header names its size.
    reason = firmware.simulator.log_text()[log_before:]
    assert "model does not fit in the arena" in reason or "inter-byte timeout inside a frame" in reason
    assert probe_stage(client) == "none"
    valid_session(client)
    assert firmware.arena_in_use() == baseline  # nothing of the refused upload stayed


def test_requests_in_a_row_without_a_leak(firmware: Firmware):
    """Every model upload first unloads the previous model: with a model loaded, the arena's
    in-use bytes must be the same after every round."""
    firmware.require_test_engine()
    firmware.reset()
    client = firmware.client
    wanted = REQUESTS_IN_A_ROW[firmware.generation]
    requests, in_use = 0, []
    for round_ in range(wanted // 5 + 1):
        if round_ % 10 == 0:
            client.upload_io_spec(SPEC)  # releases the tensors and the model too
            requests += 1
        model = make_model(3000 + round_ % 7, seed=round_)
        client.upload_model(model)
        data = make_input(SPEC.input_bytes, seed=round_)
        assert client.infer(data) == expected_output(model, data, SPEC.output_bytes)
        in_use.append(firmware.arena_in_use())
        requests += 5
    assert requests >= wanted
    # Model sizes differ by a few bytes: allow the arena's 16-byte granule per model.
    assert max(in_use) - min(in_use) <= 16, in_use[:20]
    assert firmware.simulator.running()


# --- With the IREE engine ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_models(iree_firmware: Firmware, tmp_path_factory) -> dict[str, bytes]:
    """The failing model and the magic-wand model for riscv32 (compiled only when needed)."""
    iree_firmware.require_real_engine()
    from bmrt import iree_tools
    from bmrt.compile import compile_model
    out = tmp_path_factory.mktemp("robustness-models")
    failing = iree_tools.compile_mlir(FAILING_MODEL_SOURCE, out / "fails.vmfb", target="riscv32")
    wand = compile_model(MAGIC_WAND, "rv32-vector").vmfb  # cached under build/models
    return {"fails": failing.read_bytes(), "magic_wand": wand.read_bytes()}


def wand_spec() -> IoSpec:
    return IoSpec.from_kenning_json(MAGIC_WAND.with_name("magic_wand.tflite.json"))


def wand_input(seed: int, spec: IoSpec) -> bytes:
    return np.random.default_rng(seed).standard_normal(spec.input_bytes // 4).astype(np.float32).tobytes()


def test_model_that_fails_at_run_time(iree_firmware: Firmware, real_models):
    client = iree_firmware.client
    spec = wand_spec()
    client.upload_io_spec(spec)
    client.upload_model(real_models["fails"])  # loads and verifies
    client.upload_input(bytes(spec.input_bytes))
    with pytest.raises(RequestFailed):
        client.process()
    assert "this model always fails at run time" in iree_firmware.simulator.log_text()
    # The server survives and the next model runs, twice with the same answer.
    client.upload_model(real_models["magic_wand"])
    data = wand_input(3, spec)
    first = client.infer(data)
    assert len(first) == spec.output_bytes
    assert client.infer(data) == first
    assert iree_firmware.simulator.running()


@pytest.mark.parametrize("fill", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_input_full_of_nan_or_inf(iree_firmware: Firmware, real_models, fill):
    client = iree_firmware.client
    spec = wand_spec()
    client.upload_io_spec(spec)
    client.upload_model(real_models["magic_wand"])
    normal = wand_input(4, spec)
    before = client.infer(normal)
    hostile = np.full(spec.input_bytes // 4, fill, dtype=np.float32).tobytes()
    try:
        assert len(client.infer(hostile)) == spec.output_bytes
    except RequestFailed:
        pass  # refusing is allowed; crashing, hanging or poisoning later runs is not
    assert client.infer(normal) == before
    assert iree_firmware.simulator.running()


def test_real_model_reloads_without_a_leak(iree_firmware: Firmware, real_models):
    client = iree_firmware.client
    spec = wand_spec()
    client.upload_io_spec(spec)
    data = wand_input(5, spec)
    in_use, outputs = [], set()
    for _ in range(RELOADS):
        client.upload_model(real_models["magic_wand"])  # unloads the previous one first
        outputs.add(client.infer(data))
        in_use.append(iree_firmware.arena_in_use())
    assert len(outputs) == 1
    assert len(set(in_use)) == 1, in_use
