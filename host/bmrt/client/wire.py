"""Kenning wire formats G1-G4 as pure functions, plus a byte-fed frame decoder.

G1: ``u32 size (= 2 + payload) | u16 type | payload``; replies OK / ERROR.
G2/G3: 8-byte header ``msg-id u8 | checksum | flags u16 | size u32``; G4: 12-byte header with a
40-bit msg-id. msg-id = type | flow << type_bits; checksum = 0x4B ^ XOR(all other bytes).
"""
from __future__ import annotations

import enum
import struct
from dataclasses import dataclass
from typing import Generator, Iterable, Iterator

import numpy as np


class Generation(enum.Enum):
    G1 = "g1"
    G2 = "g2"
    G3 = "g3"
    G4 = "g4"

    @property
    def header_size(self) -> int:
        return {"g1": 6, "g4": 12}.get(self.value, 8)

    @property
    def type_bits(self) -> int:
        return 38 if self is Generation.G4 else 6

    @property
    def chunk_size(self) -> int:
        """Payload bytes per message Kenning sends (max_message_size 136 minus the header)."""
        return 124 if self is Generation.G4 else 128

    @property
    def header_based(self) -> bool:
        return self is not Generation.G1


class Kind(enum.Enum):
    OK = "OK"
    ERROR = "ERROR"
    PING = "PING"
    STATUS = "STATUS"
    DATA = "DATA"
    MODEL = "MODEL"
    PROCESS = "PROCESS"
    OUTPUT = "OUTPUT"
    STATS = "STATS"
    IO_SPEC = "IO_SPEC"
    TRACE_DATA = "TRACE_DATA"
    OPTIMIZERS = "OPTIMIZERS"
    OPTIMIZE_MODEL = "OPTIMIZE_MODEL"
    RUNTIME = "RUNTIME"
    UNOPTIMIZED_MODEL = "UNOPTIMIZED_MODEL"
    LOGS = "LOGS"
    UNKNOWN = "UNKNOWN"


_G1 = [Kind.OK, Kind.ERROR, Kind.DATA, Kind.MODEL, Kind.PROCESS, Kind.OUTPUT, Kind.STATS, Kind.IO_SPEC]
_G2 = [Kind.PING, Kind.STATUS, Kind.DATA, Kind.MODEL, Kind.PROCESS, Kind.OUTPUT, Kind.STATS,
       Kind.IO_SPEC, Kind.OPTIMIZERS, Kind.OPTIMIZE_MODEL, Kind.RUNTIME, Kind.UNOPTIMIZED_MODEL, Kind.LOGS]
_G3 = _G2[:8] + [Kind.TRACE_DATA] + _G2[8:]
_TABLES = {Generation.G1: _G1, Generation.G2: _G2, Generation.G3: _G3, Generation.G4: _G3}


def code_of(generation: Generation, kind: Kind) -> int:
    try:
        return _TABLES[generation].index(kind)
    except ValueError:
        raise ValueError(f"{kind.value} does not exist in {generation.value}") from None


def kind_of(generation: Generation, code: int) -> Kind:
    table = _TABLES[generation]
    return table[code] if 0 <= code < len(table) else Kind.UNKNOWN


class Flow(enum.IntEnum):
    REQUEST = 0
    REQUEST_RETRANSMIT = 1
    ACKNOWLEDGE = 2
    TRANSMISSION = 3


class Flag(enum.IntFlag):
    NONE = 0
    SUCCESS = 0x0001
    FAIL = 0x0002
    IS_HOST_MESSAGE = 0x0004
    HAS_PAYLOAD = 0x0008
    FIRST = 0x0010
    LAST = 0x0020
    IS_KENNING = 0x0040
    IS_ZEPHYR = 0x0080
    SERIALIZED = 0x1000


RESERVED_FLAGS = 0x0F00
CHECKSUM_SEED = 0x4B


@dataclass
class Frame:
    """One decoded frame. `code` is the raw type code; `kind` its meaning in the generation."""
    generation: Generation
    code: int
    payload: bytes = b""
    flow: Flow = Flow.REQUEST
    flags: int = 0
    size_field: int = 0
    checksum: int = 0
    checksum_ok: bool = True
    error: str | None = None  # set for a frame whose header was malformed

    @property
    def kind(self) -> Kind:
        return kind_of(self.generation, self.code)

    def has(self, flag: Flag) -> bool:
        return bool(self.flags & flag)

    def describe(self) -> str:
        if self.generation is Generation.G1:
            return f"{self.kind.value} ({len(self.payload)} B payload)"
        flag_names = [f.name for f in Flag if f and self.flags & f]
        return (f"{self.kind.value} {self.flow.name} flags={'|'.join(flag_names) or '0'} "
                f"({len(self.payload)} B payload)")


def checksum(data: bytes) -> int:
    value = CHECKSUM_SEED
    for byte in data:
        value ^= byte
    return value


def encode_g1(code: int, payload: bytes = b"") -> bytes:
    return struct.pack("<IH", len(payload) + 2, code) + payload


def encode_header(generation: Generation, code: int, flow: Flow, flags: int, payload: bytes = b"",
                  size_field: int | None = None, compute_checksum: bool = True,
                  payload_xor: int | None = None) -> bytes:
    """G2+ header. HAS_PAYLOAD is set when there is a payload; `size_field` overrides the size;
    `payload_xor` (XOR of the payload bytes) saves recomputing it."""
    if payload:
        flags |= Flag.HAS_PAYLOAD
    msg_id = code | (int(flow) << generation.type_bits)
    id_size = 5 if generation is Generation.G4 else 1
    size = len(payload) if size_field is None else size_field
    head = msg_id.to_bytes(id_size, "little")
    tail = struct.pack("<HI", int(flags), size)
    check = 0
    if compute_checksum:
        check = checksum(head + tail) ^ (_xor(payload) if payload_xor is None else payload_xor)
    return head + bytes([check]) + tail


def _xor(data: bytes) -> int:
    return int(np.bitwise_xor.reduce(np.frombuffer(data, dtype=np.uint8))) if data else 0


def encode_frame(generation: Generation, kind: Kind | int, payload: bytes = b"", flow: Flow = Flow.REQUEST,
                 flags: int = Flag.FIRST | Flag.LAST, compute_checksum: bool = True) -> bytes:
    code = kind if isinstance(kind, int) else code_of(generation, kind)
    if generation is Generation.G1:
        return encode_g1(code, payload)
    return encode_header(generation, code, flow, flags, payload, compute_checksum=compute_checksum) + payload


def encode_request(generation: Generation, kind: Kind, payload: bytes = b"", extra_flags: int = 0,
                   chunk_size: int | None = None, compute_checksum: bool = True) -> list[bytes]:
    """A request as the list of messages Kenning sends (G2+: FIRST ... LAST chunks)."""
    if generation is Generation.G1:
        return [encode_frame(generation, kind, payload)]
    chunk = chunk_size or generation.chunk_size
    if not payload:
        return [encode_frame(generation, kind, b"", Flow.REQUEST, Flag.FIRST | Flag.LAST | extra_flags,
                             compute_checksum)]
    padded = np.zeros(-(-len(payload) // chunk) * chunk, dtype=np.uint8)
    padded[:len(payload)] = np.frombuffer(payload, dtype=np.uint8)
    chunk_xors = np.bitwise_xor.reduce(padded.reshape(-1, chunk), axis=1).tolist()
    code = code_of(generation, kind)
    messages = []
    for index, offset in enumerate(range(0, len(payload), chunk)):
        piece = payload[offset:offset + chunk]
        flags = (Flag.FIRST if offset == 0 else 0) | (Flag.LAST if offset + chunk >= len(payload) else 0)
        messages.append(encode_header(generation, code, Flow.REQUEST, flags | extra_flags, piece,
                                      compute_checksum=compute_checksum, payload_xor=chunk_xors[index])
                        + piece)
    return messages


def _decoder(generation: Generation) -> Generator[Frame | None, int, None]:
    """Generator fed with send(byte); yields a Frame after the byte that completes one."""
    out: Frame | None = None
    size = generation.header_size
    while True:
        header = bytearray()
        while len(header) < size:
            header.append((yield out))
            out = None
        if generation is Generation.G1:
            size_field, code = struct.unpack("<IH", header)
            if size_field < 2:
                out = Frame(generation, code, size_field=size_field, error="size field below 2")
                continue
            payload_size = size_field - 2
            frame = Frame(generation, code, size_field=size_field)
        else:
            id_size = 5 if generation is Generation.G4 else 1
            msg_id = int.from_bytes(header[:id_size], "little")
            flags, size_field = struct.unpack("<HI", header[id_size + 1:])
            frame = Frame(generation, msg_id & ((1 << generation.type_bits) - 1),
                          flow=Flow((msg_id >> generation.type_bits) & 3), flags=flags,
                          size_field=size_field, checksum=header[id_size])
            if flags & RESERVED_FLAGS:
                frame.error = "reserved flag bits set"
                out = frame
                continue
            payload_size = size_field if flags & Flag.HAS_PAYLOAD else 0
        payload = bytearray()
        while len(payload) < payload_size:
            payload.append((yield None))
        frame.payload = bytes(payload)
        if generation.header_based and frame.checksum != 0:
            frame.checksum_ok = checksum(bytes(header) + frame.payload) == 0  # XOR(all) == 0x4B
        out = frame


class FrameDecoder:
    """Byte-fed decoder: `for frame in decoder.process(data): ...`."""

    def __init__(self, generation: Generation):
        self.generation = generation
        self.reset()

    def reset(self) -> None:
        self._generator = _decoder(self.generation)
        next(self._generator)
        self._in_frame = 0

    @property
    def in_frame(self) -> bool:
        return self._in_frame > 0

    def process(self, data: Iterable[int]) -> Iterator[Frame]:
        for byte in data:
            frame = self._generator.send(byte)
            self._in_frame += 1
            if frame is not None:
                self._in_frame = 0
                yield frame
