"""InferenceClient: Kenning's inference requests over any Transport, for all generations.

Every request waits at most `timeout` seconds for its reply. Failures raise RequestFailed with
the request and the reply; silence raises ReplyTimeout.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from tqdm import tqdm

from bmrt.client.io_spec import IoSpec
from bmrt.client.stats import Stat, parse_stats
from bmrt.client.transport import Transport
from bmrt.client.wire import Flag, Flow, Frame, FrameDecoder, Generation, Kind, code_of, encode_request


class ClientError(RuntimeError):
    """Base of the client's errors."""


class ReplyTimeout(ClientError):
    def __init__(self, request: str, timeout: float, partial: list[Frame] | None = None):
        got = f" after {len(partial)} partial frame(s)" if partial else ""
        super().__init__(f"{request}: no complete reply within {timeout:.3g} s{got}")
        self.request = request


class RequestFailed(ClientError):
    def __init__(self, request: str, reply: Frame, reason: str = ""):
        detail = f": {reason}" if reason else ""
        super().__init__(f"{request} failed, target answered {reply.describe()}{detail}")
        self.request = request
        self.reply = reply
        self.reason = reason


class ProtocolError(ClientError):
    """A reply that breaks the protocol (wrong type, bad checksum, malformed header)."""


@dataclass
class Reply:
    frames: list[Frame]

    @property
    def payload(self) -> bytes:
        return b"".join(f.payload for f in self.frames)


_HEADER_KINDS = {Kind.IO_SPEC, Kind.MODEL, Kind.DATA}


class InferenceClient:
    def __init__(self, transport: Transport, generation: Generation, timeout: float = 5.0,
                 checksums: bool = True, progress: bool = False, chunk_size: int | None = None):
        self.transport = transport
        self.generation = generation
        self.timeout = timeout
        self.checksums = checksums
        self.progress = progress
        self.chunk_size = chunk_size
        self.decoder = FrameDecoder(generation)
        self._pending: list[Frame] = []

    # High-level requests (Kenning's order: connect, IO spec, model, then data/process/output).
    def connect(self) -> None:
        if self.generation.header_based:
            self.request(Kind.PING, extra_flags=Flag.SUCCESS)

    def disconnect(self) -> None:
        if self.generation.header_based:
            self.request(Kind.PING, extra_flags=Flag.FAIL)

    def upload_io_spec(self, spec: IoSpec) -> None:
        payload = spec.encode_g1() if self.generation is Generation.G1 else spec.encode_g2()
        self.request(Kind.IO_SPEC, payload)

    def upload_model(self, model: bytes) -> None:
        self.request(Kind.MODEL, model, show_progress=self.progress)

    def upload_input(self, data: bytes) -> None:
        self.request(Kind.DATA, data)

    def process(self) -> None:
        self.request(Kind.PROCESS)

    def download_output(self) -> bytes:
        return self.request(Kind.OUTPUT).payload

    def download_stats(self) -> dict[str, Stat]:
        return parse_stats(self.request(Kind.STATS).payload)

    def infer(self, data: bytes) -> bytes:
        self.upload_input(data)
        self.process()
        return self.download_output()

    # Low level.
    def send(self, data: bytes) -> None:
        self.transport.write(data)

    def request(self, kind: Kind, payload: bytes = b"", extra_flags: int = 0,
                show_progress: bool = False) -> Reply:
        name = kind.value
        messages = encode_request(self.generation, kind, payload, extra_flags, self.chunk_size,
                                  self.checksums)
        total = sum(len(m) for m in messages)
        with tqdm(total=total, unit="B", unit_scale=True, desc=f"upload {name}",
                  disable=not show_progress, leave=False) as bar:
            stream = b"".join(messages)
            for offset in range(0, len(stream), 65536):
                piece = stream[offset:offset + 65536]
                self.send(piece)
                bar.update(len(piece))
        return self.await_reply(kind)

    def await_reply(self, kind: Kind | int, timeout: float | None = None) -> Reply:
        """Waits for the answer to a request of `kind` (or a raw type code): G1 one OK / ERROR
        frame; G2+ the TRANSMISSION chunks up to LAST, or a FAIL / deny."""
        name = kind.value if isinstance(kind, Kind) else f"type {kind}"
        code = kind if isinstance(kind, int) else None
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        frames: list[Frame] = []
        while True:
            frame = self.receive_frame(deadline, name, frames, timeout)
            if frame.error:
                raise ProtocolError(f"{name}: malformed reply header ({frame.error})")
            if not frame.checksum_ok:
                raise ProtocolError(f"{name}: reply checksum mismatch in {frame.describe()}")
            if self.generation is Generation.G1:
                if frame.kind is Kind.OK:
                    return Reply([frame])
                if frame.kind is Kind.ERROR:
                    raise RequestFailed(name, frame)
                raise ProtocolError(f"{name}: unexpected reply {frame.describe()}")
            if code is None:
                code = code_of(self.generation, kind)
            if frame.code != code:
                raise ProtocolError(f"{name}: reply for another type: {frame.describe()}")
            if frame.flow is Flow.ACKNOWLEDGE and frame.has(Flag.FAIL):
                raise RequestFailed(name, frame, "request denied")
            if frame.flow is not Flow.TRANSMISSION:
                raise ProtocolError(f"{name}: unexpected reply {frame.describe()}")
            if frame.has(Flag.FAIL):
                raise RequestFailed(name, frame, frame.payload.decode("ascii", "replace"))
            frames.append(frame)
            if frame.has(Flag.LAST):
                return Reply(frames)

    def receive_frame(self, deadline: float, request: str = "reply", partial: list[Frame] | None = None,
                      timeout: float | None = None) -> Frame:
        """The next frame, or ReplyTimeout naming `request` once `deadline` has passed."""
        while not self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReplyTimeout(request, self.timeout if timeout is None else timeout, partial)
            data = self.transport.read(65536, remaining)
            self._pending.extend(self.decoder.process(data))
        return self._pending.pop(0)

    def expect_silence(self, quiet: float) -> list[Frame]:
        """Frames that arrive within `quiet` seconds (normally none)."""
        deadline = time.monotonic() + quiet
        frames = list(self._pending)
        self._pending.clear()
        while time.monotonic() < deadline:
            data = self.transport.read(65536, deadline - time.monotonic())
            frames.extend(self.decoder.process(data))
        return frames
