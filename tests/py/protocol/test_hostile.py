"""Hostile-input catalogue: every case gets the generation's error reply (G1 ERROR; G2+
TRANSMISSION with FAIL, or ACKNOWLEDGE + FAIL for requests the server cannot take at all) or a
documented silent drop, the server's state stays consistent (probed afterwards), and a complete
valid session succeeds right after on the same connection.

The server runs with a 50 ms inter-byte timeout and a 16 MiB arena (protocol_support.py)."""
from __future__ import annotations

import struct
import time
from dataclasses import dataclass, field
from typing import Callable

import pytest

from bmrt.client import Generation, InferenceClient, IoSpec, RequestFailed, TensorSpec
from bmrt.client.wire import Flag, Flow, Kind, code_of, encode_g1, encode_header, encode_request
from engine_model import expected_output, make_input, make_model

G1, G2, G4 = Generation.G1, Generation.G2, Generation.G4
ALL = (G1, G2, G4)
HEADER_BASED = (G2, G4)
QUIET = 0.3  # six inter-byte timeouts
# How long a target may take to notice an inter-byte timeout: generous, since a simulated
# target's clock can fall behind the host's on a loaded machine.
DROP_DEADLINE = 20.0
TIMEOUT_REASON = "inter-byte timeout inside a frame"

SPEC = IoSpec([TensorSpec((1, 128, 3, 1), "float32")], [TensorSpec((1, 4), "float32")],
              model_name="module")


@dataclass
class Ctx:
    client: InferenceClient
    generation: Generation
    server_log: Callable[[], str]
    model: bytes = field(default_factory=lambda: make_model(3000))
    log_mark: int = 0  # server log lines before the last send

    @property
    def g1(self) -> bool:
        return self.generation is G1

    def send(self, data: bytes | list[bytes]) -> None:
        self.log_mark = len(self.server_log().splitlines())
        self.client.send(b"".join(data) if isinstance(data, list) else data)

    def spec_bytes(self, spec: IoSpec = SPEC) -> bytes:
        return spec.encode_g1() if self.g1 else spec.encode_g2()

    def patched_spec(self, g1: dict[int, bytes] | None, g2: dict[int, bytes] | None) -> bytes:
        data = bytearray(self.spec_bytes())
        for offset, value in ((g1 if self.g1 else g2) or {}).items():
            data[offset:offset + len(value)] = value
        return bytes(data)

    def request(self, kind: Kind, payload: bytes = b"", **kwargs) -> None:
        self.send(encode_request(self.generation, kind, payload, **kwargs))

    def fails(self, kind: Kind | int, reason: str | dict | None, denied: bool = False) -> RequestFailed:
        """The next reply is the generation's error reply; the server logged `reason`."""
        with pytest.raises(RequestFailed) as failure:
            self.client.await_reply(kind)
        if isinstance(reason, dict):
            reason = reason[self.generation]
        if not self.g1:
            assert (failure.value.reply.flow is Flow.ACKNOWLEDGE) == denied, failure.value
            if not denied and reason:
                assert failure.value.reason == reason
        if reason:
            assert self.server_log().rstrip().splitlines()[-1].endswith(reason)
        return failure.value

    def any_error(self, reason: str) -> None:
        """An error reply for bytes that name no request: G1 ERROR, G2+ a deny or FAIL."""
        frame = self.client.receive_frame(time.monotonic() + 3.0, "garbage")
        if self.g1:
            assert frame.kind is Kind.ERROR
        else:
            assert frame.has(Flag.FAIL), frame.describe()
        assert self.server_log().rstrip().splitlines()[-1].endswith(reason)

    def silent(self) -> None:
        assert self.client.expect_silence(QUIET) == []

    def dropped_silently(self) -> None:
        """No reply, and the server has dropped the bytes of the last send: it logged the
        inter-byte timeout (waiting for that, not for a fixed time, keeps the next request from
        arriving while the partial bytes are still pending)."""
        deadline = time.monotonic() + DROP_DEADLINE
        frames = []
        while True:
            frames += self.client.expect_silence(QUIET)
            logged = self.server_log().splitlines()[self.log_mark:]
            if any(line.rstrip().endswith(TIMEOUT_REASON) for line in logged):
                break
            assert time.monotonic() < deadline, f"no {TIMEOUT_REASON!r} logged in {DROP_DEADLINE} s"
        assert frames == []


def bring_to(ctx: Ctx, stage: str) -> None:
    ctx.client.connect()
    if stage == "fresh":
        return
    ctx.client.upload_io_spec(SPEC)
    if stage == "spec":
        return
    ctx.client.upload_model(ctx.model)
    if stage == "model":
        return
    ctx.client.upload_input(make_input(SPEC.input_bytes))
    if stage == "input":
        return
    ctx.client.process()


def probe_stage(client: InferenceClient) -> str:
    for stage, action in (("done", client.download_output), ("input", client.process),
                          ("model", client.download_stats)):
        try:
            action()
            return stage
        except RequestFailed:
            pass
    return "none"


@dataclass
class Case:
    name: str
    action: Callable[[Ctx], None]
    stage: str = "done"
    after: str | dict = "done"
    generations: tuple = ALL


CASES: list[Case] = []


def case(name: str, stage: str = "done", after: str | dict = "done", generations: tuple = ALL):
    def register(action: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
        CASES.append(Case(name, action, stage, after, generations))
        return action
    return register


# --- IO specifications ------------------------------------------------------------------------
def spec_case(name: str, g1: dict | None, g2: dict | None, reason: str | dict, after="done",
              generations: tuple = ALL) -> None:
    def action(ctx: Ctx) -> None:
        ctx.request(Kind.IO_SPEC, ctx.patched_spec(g1, g2))
        ctx.fails(Kind.IO_SPEC, reason)
    case(name, after=after, generations=generations)(action)


U32 = lambda v: struct.pack("<I", v)  # noqa: E731
spec_case("io spec with zero inputs", {0: U32(0)}, {0: U32(0)}, "number of inputs must be 1 or 2")
spec_case("io spec with three inputs", {0: U32(3)}, {0: U32(3)}, "number of inputs must be 1 or 2")
spec_case("io spec with zero outputs", {60: U32(0)}, {48: U32(0)}, "number of outputs must be 1 to 12")
spec_case("io spec with 13 outputs", {60: U32(13)}, {48: U32(13)}, "number of outputs must be 1 to 12")
spec_case("io spec input rank 5", {4: U32(5)}, {4: U32(5)}, "tensor rank above 4")
spec_case("io spec output rank 5", None, {52: U32(5)}, "tensor rank above 4", generations=HEADER_BASED)
spec_case("io spec zero dimension", {12: U32(0)}, {12: U32(0)},
          {G1: "input length differs from its shape", G2: "tensor dimension of 0", G4: "tensor dimension of 0"})
spec_case("io spec unsupported dtype", {116: b"f15\0"}, {44: b"\x04\x10"},
          {G1: "unknown G1 dtype", G2: "unsupported element type", G4: "unsupported element type"})
spec_case("io spec 31-bit float", {116: b"f31\0"}, {44: b"\x02\x1f"},
          {G1: "unknown G1 dtype", G2: "unsupported element type", G4: "unsupported element type"})
spec_case("io spec name with bytes after its terminator", {147: b"x"}, {343: b"x"},
          "IO spec name has bytes after its terminator")
spec_case("io spec non-printable entry name", {120: b"\x01" + bytes(19)}, {316: b"\x01"},
          "entry function name is invalid")
spec_case("io spec unused input slot not zero", {8: U32(2)}, {8: U32(2)},
          {G1: "unused input slot is not zero", G2: "unused tensor slot is not zero",
           G4: "unused tensor slot is not zero"})
spec_case("io spec shape padding not zero", {28: U32(1)}, {108: U32(5)},
          {G1: "unused input slot is not zero", G2: "shape padding is not zero", G4: "shape padding is not zero"})
spec_case("io spec element count overflow", {12: U32(0xFFFFFFFF) * 4}, {12: U32(0xFFFFFFFF) * 4},
          {G1: "input length differs from its shape", G2: "inputs exceed 64 MiB", G4: "inputs exceed 64 MiB"})
spec_case("g1 io spec input length mismatch", {44: U32(385)}, None, "input length differs from its shape",
          generations=(G1,))
spec_case("g1 io spec element size mismatch", {52: U32(2)}, None, "input element size differs from dtype",
          generations=(G1,))


@case("io spec one byte short")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.IO_SPEC, ctx.spec_bytes()[:-1])
    ctx.fails(Kind.IO_SPEC, "G1 IO spec must be 160 bytes" if ctx.g1 else "IO spec must be 356 bytes")


@case("io spec one byte long")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.IO_SPEC, ctx.spec_bytes() + b"\0")
    ctx.fails(Kind.IO_SPEC, "G1 IO spec must be 160 bytes" if ctx.g1 else "IO spec too long")


@case("io spec without payload")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.IO_SPEC)
    ctx.fails(Kind.IO_SPEC, "G1 IO spec must be 160 bytes" if ctx.g1 else "IO spec must be 356 bytes")


@case("io spec with tensors larger than the arena", after="none")
def _(ctx: Ctx) -> None:
    big = IoSpec([TensorSpec((4, 1024, 1024, 2), "float32")], [TensorSpec((4,), "float32")])
    ctx.request(Kind.IO_SPEC, ctx.spec_bytes(big))
    ctx.fails(Kind.IO_SPEC, "tensors do not fit in the arena")


@case("20-character entry name without terminator is accepted", after="none")
def _(ctx: Ctx) -> None:
    named = IoSpec(SPEC.inputs, SPEC.outputs, entry_function="a" * 20, model_name="m" * 20)
    ctx.client.upload_io_spec(named)


# --- Order of requests ------------------------------------------------------------------------
@case("model before io spec", stage="fresh", after="none")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.MODEL, ctx.model)
    ctx.fails(Kind.MODEL, "MODEL before IO spec")


@case("data before model", stage="spec", after="none")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.DATA, make_input(SPEC.input_bytes))
    ctx.fails(Kind.DATA, "DATA before MODEL")


@case("process before data", stage="model", after="model")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.PROCESS)
    ctx.fails(Kind.PROCESS, "PROCESS before DATA")


@case("output before process", stage="input", after="input")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.OUTPUT)
    ctx.fails(Kind.OUTPUT, "OUTPUT before PROCESS")


@case("stats before model", stage="spec", after="none")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.STATS)
    ctx.fails(Kind.STATS, "STATS before MODEL")


# --- Inputs and models ------------------------------------------------------------------------
@case("input four bytes short", after="model")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.DATA, make_input(SPEC.input_bytes - 4))
    ctx.fails(Kind.DATA, "input size differs from the IO spec")


@case("input four bytes long", after="model")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.DATA, make_input(SPEC.input_bytes + 4))
    ctx.fails(Kind.DATA, "input size differs from the IO spec" if ctx.g1 else "input larger than the IO spec")


@case("empty input", after="model")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.DATA)
    ctx.fails(Kind.DATA, "input size differs from the IO spec")


@case("model with a bad magic", after="none")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.MODEL, b"NOTAMODEL" * 100)
    ctx.fails(Kind.MODEL, "not a test-engine model (magic BMRTTEST)")


@case("empty model", after="none")
def _(ctx: Ctx) -> None:
    ctx.request(Kind.MODEL)
    ctx.fails(Kind.MODEL, "model is empty")


@case("model whose inference fails", stage="spec", after="input")
def _(ctx: Ctx) -> None:
    ctx.client.upload_model(make_model(500, first=b"F"))
    ctx.client.upload_input(make_input(SPEC.input_bytes))
    ctx.request(Kind.PROCESS)
    ctx.fails(Kind.PROCESS, "test model asks every run to fail")
    ctx.client.upload_model(ctx.model)  # leave a working model for the probe
    ctx.client.upload_input(make_input(SPEC.input_bytes))


@case("truncated model upload", after="none")
def _(ctx: Ctx) -> None:
    stream = b"".join(encode_request(ctx.generation, Kind.MODEL, ctx.model))
    ctx.send(stream[:len(stream) // 2 + 3])
    ctx.fails(Kind.MODEL, "inter-byte timeout inside a frame")


# --- Types and flow control -------------------------------------------------------------------
def _send_code(ctx: Ctx, code: int, payload: bytes = b"", flow: Flow = Flow.REQUEST) -> None:
    if ctx.g1:
        ctx.send(encode_g1(code, payload))
    else:
        ctx.send(encode_header(ctx.generation, code, flow, Flag.FIRST | Flag.LAST, payload) + payload)


@case("type code 8")
def _(ctx: Ctx) -> None:
    _send_code(ctx, 8)
    ctx.fails(8, "not a request type" if ctx.g1 else "message type not supported", denied=True)


@case("largest type code")
def _(ctx: Ctx) -> None:
    code = {G1: 0xFFFF, G2: 63, G4: (1 << 38) - 1}[ctx.generation]
    _send_code(ctx, code)
    ctx.fails(code, "not a request type" if ctx.g1 else "message type not supported", denied=True)


@case("OK sent by the host", generations=(G1,))
def _(ctx: Ctx) -> None:
    _send_code(ctx, 0)
    ctx.fails(0, "not a request type")


@case("ERROR sent by the host", generations=(G1,))
def _(ctx: Ctx) -> None:
    _send_code(ctx, 1)
    ctx.fails(1, "not a request type")



for _kind in (Kind.STATUS, Kind.LOGS, Kind.UNOPTIMIZED_MODEL):
    def _deny_kind(ctx: Ctx, kind: Kind = _kind) -> None:
        ctx.request(kind)
        ctx.fails(kind, "message type not supported", denied=True)
    case(f"{_kind.value} request", generations=HEADER_BASED)(_deny_kind)


@case("RUNTIME upload", generations=HEADER_BASED)
def _(ctx: Ctx) -> None:
    ctx.request(Kind.RUNTIME, struct.pack("<I", 300) + bytes(300))
    ctx.fails(Kind.RUNTIME, "message type not supported", denied=True)


for _flow in (Flow.TRANSMISSION, Flow.ACKNOWLEDGE, Flow.REQUEST_RETRANSMIT):
    def _deny_flow(ctx: Ctx, flow: Flow = _flow) -> None:
        _send_code(ctx, code_of(ctx.generation, Kind.PROCESS), flow=flow)
        ctx.fails(Kind.PROCESS, "only requests are accepted", denied=True)
    case(f"{_flow.name} from the host", generations=HEADER_BASED)(_deny_flow)


@case("process with a payload")
def _(ctx: Ctx) -> None:
    _send_code(ctx, code_of(ctx.generation, Kind.PROCESS), b"\x01\x02")
    ctx.fails(Kind.PROCESS, "unexpected payload")


@case("ping with a payload", generations=HEADER_BASED)
def _(ctx: Ctx) -> None:
    _send_code(ctx, code_of(ctx.generation, Kind.PING), b"\x01")
    ctx.fails(Kind.PING, "unexpected payload")


@case("chunked payload on a request that takes none", generations=HEADER_BASED)
def _(ctx: Ctx) -> None:
    ctx.request(Kind.STATS, bytes(3000))  # 24 messages, one answer
    ctx.fails(Kind.STATS, "unexpected payload")
    ctx.silent()


@case("request without LAST is not answered", generations=HEADER_BASED)
def _(ctx: Ctx) -> None:
    ctx.send(encode_header(ctx.generation, code_of(ctx.generation, Kind.PROCESS), Flow.REQUEST, Flag.FIRST))
    ctx.silent()  # documented: a transmission is answered at its LAST message


# --- Checksums and chunking -------------------------------------------------------------------
@case("bad checksum", generations=HEADER_BASED)
def _(ctx: Ctx) -> None:
    (message,) = encode_request(ctx.generation, Kind.PROCESS)
    corrupt = bytearray(message)
    corrupt[ctx.generation.header_size - 7] ^= 0x5A
    ctx.send(bytes(corrupt))
    ctx.fails(Kind.PROCESS, "checksum mismatch")


@case("corrupted byte in a model chunk", after="none", generations=HEADER_BASED)
def _(ctx: Ctx) -> None:
    messages = encode_request(ctx.generation, Kind.MODEL, ctx.model)
    corrupt = bytearray(messages[5])
    corrupt[-1] ^= 0x01
    messages[5] = bytes(corrupt)
    ctx.send(messages)
    ctx.fails(Kind.MODEL, "checksum mismatch")


@case("chunk without FIRST", after="model", generations=HEADER_BASED)
def _(ctx: Ctx) -> None:
    payload = make_input(SPEC.input_bytes)
    ctx.send(encode_request(ctx.generation, Kind.DATA, payload)[1:])
    ctx.fails(Kind.DATA, "chunk without a FIRST chunk")


@case("upload abandoned by a new transmission", after="none", generations=HEADER_BASED)
def _(ctx: Ctx) -> None:
    messages = encode_request(ctx.generation, Kind.MODEL, ctx.model)
    ctx.send(messages[:3])
    ctx.client.upload_io_spec(SPEC)  # replaces the unfinished model upload
    ctx.send(messages[3:])
    ctx.fails(Kind.MODEL, "chunk without a FIRST chunk")


@case("disconnect in the middle of an upload", after="none", generations=HEADER_BASED)
def _(ctx: Ctx) -> None:
    messages = encode_request(ctx.generation, Kind.MODEL, ctx.model)
    ctx.send(messages[:2])
    ctx.client.disconnect()
    ctx.send(messages[2:])
    ctx.fails(Kind.MODEL, "chunk without a FIRST chunk")
    ctx.client.connect()


@case("reserved flag bits", generations=HEADER_BASED)
def _(ctx: Ctx) -> None:
    ctx.send(encode_header(ctx.generation, code_of(ctx.generation, Kind.PROCESS), Flow.REQUEST, 0x0130))
    ctx.fails(Kind.PROCESS, "malformed frame header", denied=True)


# --- Framing: sizes, truncation, garbage ------------------------------------------------------
@case("g1 size field 0", generations=(G1,))
def _(ctx: Ctx) -> None:
    ctx.send(bytes.fromhex("00000000 0400"))
    ctx.fails(Kind.PROCESS, "malformed frame header")


@case("g1 size field 1", generations=(G1,))
def _(ctx: Ctx) -> None:
    ctx.send(bytes.fromhex("01000000 0400 AA"))
    ctx.fails(Kind.PROCESS, "malformed frame header")


@case("size field of 2 GiB, sender stops")
def _(ctx: Ctx) -> None:
    if ctx.g1:
        ctx.send(struct.pack("<IH", 0x7FFFFFFF, 6) + bytes(1000))
        ctx.fails(Kind.STATS, "inter-byte timeout inside a frame")
    else:
        code = code_of(ctx.generation, Kind.PROCESS)
        header = encode_header(ctx.generation, code, Flow.REQUEST, Flag.FIRST | Flag.LAST | Flag.HAS_PAYLOAD,
                               size_field=0xFFFFFFFF)
        ctx.send(header + bytes(1000))
        ctx.fails(Kind.PROCESS, "inter-byte timeout inside a frame")


@case("payload larger than the control buffer is drained")
def _(ctx: Ctx) -> None:
    _send_code(ctx, code_of(ctx.generation, Kind.STATS), bytes(4000))
    ctx.fails(Kind.STATS, "frame payload too large")


@case("truncated header")
def _(ctx: Ctx) -> None:
    (message,) = encode_request(ctx.generation, Kind.PROCESS)
    ctx.send(message[:3])
    if ctx.g1:
        ctx.fails(Kind.PROCESS, "inter-byte timeout inside a frame")
    else:
        ctx.dropped_silently()  # documented: no header, no type to answer


@case("truncated io spec payload")
def _(ctx: Ctx) -> None:
    stream = b"".join(encode_request(ctx.generation, Kind.IO_SPEC, ctx.spec_bytes()))
    ctx.send(stream[:100])
    ctx.fails(Kind.IO_SPEC, "inter-byte timeout inside a frame")


@case("text between frames")
def _(ctx: Ctx) -> None:
    ctx.send(b"hello\r\n")
    if ctx.g1:
        ctx.any_error("inter-byte timeout inside a frame")
    else:
        ctx.dropped_silently()  # shorter than a header: dropped at the inter-byte timeout


@case("binary garbage between frames")
def _(ctx: Ctx) -> None:
    ctx.send(b"GARBAGE-GARBAGE-GARBAGE\r\n")
    ctx.any_error("inter-byte timeout inside a frame" if ctx.g1 else "malformed frame header")


PARAMS = [pytest.param(c, g, id=f"{c.name.replace(' ', '_')}-{g.value}") for c in CASES for g in c.generations]


def test_catalogue_size():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("hostile,generation", PARAMS)
def test_hostile_input(connect, host_server, hostile: Case, generation: Generation):
    client = connect(generation, timeout=3.0)
    run_case_then_recover(Ctx(client, generation, host_server.log), hostile)


def run_case_then_recover(ctx: Ctx, hostile: Case) -> None:
    """Plays the case from its stage, checks where the target is left, then runs a complete
    valid session on the same connection."""
    bring_to(ctx, hostile.stage)
    hostile.action(ctx)
    after = hostile.after[ctx.generation] if isinstance(hostile.after, dict) else hostile.after
    assert probe_stage(ctx.client) == after
    ctx.client.upload_io_spec(SPEC)
    model = make_model(4000, seed=9)
    ctx.client.upload_model(model)
    data = make_input(SPEC.input_bytes, seed=5)
    assert ctx.client.infer(data) == expected_output(model, data, SPEC.output_bytes)
