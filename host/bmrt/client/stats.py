"""STATS payloads: the G1 24-byte allocator form and the G2+ 48-byte `32sQQ` records."""
from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

G1_NAMES = ("host_bytes_peak", "host_bytes_allocated", "host_bytes_freed",
            "device_bytes_peak", "device_bytes_allocated", "device_bytes_freed")
RECORD = struct.Struct("<32sQQ")


class StatType(enum.IntEnum):
    DEFAULT = 0
    ALLOCATION = 1
    INFERENCE_TIME = 2


@dataclass(frozen=True)
class Stat:
    name: str
    value: int
    type: StatType = StatType.DEFAULT


def parse_stats(payload: bytes) -> dict[str, Stat]:
    """Decodes either form; raises ValueError for any other length (as Kenning does)."""
    if len(payload) == 24:
        values = struct.unpack("<6I", payload)
        return {name: Stat(name, value, StatType.ALLOCATION) for name, value in zip(G1_NAMES, values)}
    if payload and len(payload) % RECORD.size == 0:
        stats = {}
        for offset in range(0, len(payload), RECORD.size):
            raw, kind, value = RECORD.unpack_from(payload, offset)
            name = raw.split(b"\0", 1)[0].decode("ascii")
            stats[name] = Stat(name, value, StatType(kind) if kind in StatType._value2member_map_ else kind)
        return stats
    raise ValueError(f"STATS payload of {len(payload)} bytes is neither 24 bytes nor 48-byte records")


def encode_records(stats: list[Stat]) -> bytes:
    return b"".join(RECORD.pack(s.name.encode("ascii")[:31], int(s.type), s.value) for s in stats)
