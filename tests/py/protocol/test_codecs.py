"""Python codecs against the documented layouts (kenning-protocol.md sections 1.5, 2.8, 3)."""
from __future__ import annotations

import struct

import pytest

from bmrt.client.io_spec import IoSpec, IoSpecError, TensorSpec
from bmrt.client.stats import Stat, StatType, encode_records, parse_stats
from bmrt.client.wire import (Flag, Flow, FrameDecoder, Generation, Kind, encode_frame, encode_request,
                              kind_of)

G1_DUMP = """
01 00 00 00 04 00 00 00 00 00 00 00 01 00 00 00
80 00 00 00 03 00 00 00 01 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00 00 00 00 00 80 01 00 00
00 00 00 00 04 00 00 00 00 00 00 00 01 00 00 00
04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
04 00 00 00 66 33 32 00 6d 6f 64 75 6c 65 2e 6d
61 69 6e 00 00 00 00 00 00 00 00 00 6d 6f 64 75
6c 65 00 00 00 00 00 00 00 00 00 00 00 00 00 00
"""


def g2_dump() -> bytes:
    data = bytearray(356)
    rows = {
        0x00: "01 00 00 00 04 00 00 00 00 00 00 00 01 00 00 00",
        0x10: "80 00 00 00 03 00 00 00 01 00 00 00 00 00 00 00",
        0x20: "00 00 00 00 00 00 00 00 00 00 00 00 02 20 00 00",
        0x30: "01 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00",
        0x60: "00 00 00 00 01 00 00 00 04 00 00 00 00 00 00 00",
        0x120: "00 00 00 00 02 20 00 00 00 00 00 00 00 00 00 00",
        0x150: "6d 6f 64 75 6c 65 00 00 00 00 00 00 00 00 00 00",
    }
    for offset, row in rows.items():
        data[offset:offset + 16] = bytes.fromhex(row)
    return bytes(data)


def test_magic_wand_json_serializes_to_reference_bytes(magic_wand_json):
    spec = IoSpec.from_kenning_json(magic_wand_json)
    assert spec.inputs == [TensorSpec((1, 128, 3, 1), "float32")]  # processed_input wins
    assert spec.encode_g2() == g2_dump()
    assert spec.encode_g1() == bytes.fromhex(G1_DUMP)
    assert IoSpec.decode_g2(g2_dump()) == spec


def test_json_without_processed_input_uses_input():
    spec = IoSpec.from_kenning_json({"input": [{"shape": [1, 96, 96, 1], "dtype": "int8"}],
                                     "output": [{"shape": [1, 2], "dtype": "int8"}]})
    assert spec.encode_g2()[0x2C:0x2E] == bytes([0, 8])
    assert spec.encode_g1()[116:120] == b"i8\0\0"
    with pytest.raises(IoSpecError):
        IoSpec([TensorSpec((1,) * 5, "float32")], [TensorSpec((1,), "float32")]).encode_g2()


G1_TRACE = [
    (Kind.IO_SPEC, 160, "A2 00 00 00 07 00"), (Kind.OK, 0, "02 00 00 00 00 00"),
    (Kind.MODEL, 20600, "7A 50 00 00 03 00"), (Kind.DATA, 1536, "02 06 00 00 02 00"),
    (Kind.PROCESS, 0, "02 00 00 00 04 00"), (Kind.OUTPUT, 0, "02 00 00 00 05 00"),
    (Kind.OK, 16, "12 00 00 00 00 00"), (Kind.STATS, 0, "02 00 00 00 06 00"),
    (Kind.OK, 24, "1A 00 00 00 00 00"), (Kind.ERROR, 0, "02 00 00 00 01 00"),
]


@pytest.mark.parametrize("kind,size,header", G1_TRACE)
def test_g1_trace(kind, size, header):
    assert encode_frame(Generation.G1, kind, bytes(size))[:6] == bytes.fromhex(header)


REPLY = Flag.SUCCESS | Flag.FIRST | Flag.LAST | Flag.IS_ZEPHYR
HEADER_TRACES = [  # kind, flow, flags, G4 header, G2 header
    (Kind.PING, Flow.REQUEST, Flag.SUCCESS | Flag.FIRST | Flag.LAST, "0000000000 7A 3100 00000000", "00 7A 3100 00000000"),
    (Kind.PING, Flow.TRANSMISSION, REPLY, "00000000C0 3A B100 00000000", "C0 3A B100 00000000"),
    (Kind.IO_SPEC, Flow.TRANSMISSION, REPLY, "07000000C0 3D B100 00000000", "C7 3D B100 00000000"),
    (Kind.PROCESS, Flow.REQUEST, Flag.FIRST | Flag.LAST, "0400000000 7F 3000 00000000", "04 7F 3000 00000000"),
    (Kind.OUTPUT, Flow.REQUEST, Flag.FIRST | Flag.LAST, "0500000000 7E 3000 00000000", "05 7E 3000 00000000"),
    (Kind.STATS, Flow.REQUEST, Flag.FIRST | Flag.LAST, "0600000000 7D 3000 00000000", "06 7D 3000 00000000"),
    (Kind.PING, Flow.REQUEST, Flag.FAIL | Flag.FIRST | Flag.LAST, "0000000000 79 3200 00000000", "00 79 3200 00000000"),
]


@pytest.mark.parametrize("kind,flow,flags,g4,g2", HEADER_TRACES)
def test_header_traces(kind, flow, flags, g4, g2):
    assert encode_frame(Generation.G4, kind, b"", flow, flags) == bytes.fromhex(g4)
    assert encode_frame(Generation.G2, kind, b"", flow, flags) == bytes.fromhex(g2)


def test_chunked_upload_checksums(magic_wand_json):
    model = magic_wand_json.with_name("magic_wand.tflite").read_bytes()
    cases = [
        (Generation.G4, Kind.IO_SPEC, g2_dump(), 3, "0700000000 8A 1800 7C000000", "0700000000 30 2800 6C000000"),
        (Generation.G2, Kind.IO_SPEC, g2_dump(), 3, "07 76 1800 80000000", "07 38 2800 64000000"),
        (Generation.G4, Kind.MODEL, model, 167, "0300000000 B1 1800 7C000000", "0300000000 78 2800 10000000"),
        (Generation.G2, Kind.MODEL, model, 161, "03 44 1800 80000000", "03 E9 2800 78000000"),
        (Generation.G4, Kind.DATA, bytes(1536), 13, "0200000000 2D 1800 7C000000", "0200000000 51 2800 30000000"),
        (Generation.G2, Kind.DATA, bytes(1536), 12, "02 D1 1800 80000000", "02 E1 2800 80000000"),
    ]
    for generation, kind, payload, count, first, last in cases:
        messages = encode_request(generation, kind, payload)
        size = generation.header_size
        assert len(messages) == count
        assert messages[0][:size] == bytes.fromhex(first)
        assert messages[-1][:size] == bytes.fromhex(last)


def test_output_reply_checksum():
    payload = struct.pack("<4f", 0.1, 0.2, 0.3, 0.4)
    frame = encode_frame(Generation.G4, Kind.OUTPUT, payload, Flow.TRANSMISSION, REPLY)
    assert frame[:12] == bytes.fromhex("05000000C0 F3 B900 10000000")


@pytest.mark.parametrize("generation", list(Generation))
def test_decoder_round_trip_byte_by_byte(generation):
    decoder = FrameDecoder(generation)
    stream = b"".join(encode_request(generation, Kind.MODEL, bytes(range(256)) * 3))
    stream += encode_frame(generation, Kind.PROCESS)
    frames = [f for byte in stream for f in decoder.process([byte])]
    assert b"".join(f.payload for f in frames if f.kind is Kind.MODEL) == bytes(range(256)) * 3
    assert frames[-1].kind is Kind.PROCESS
    assert all(f.checksum_ok for f in frames)


def test_decoder_flags_problems():
    g4 = FrameDecoder(Generation.G4)
    bad = bytearray(encode_frame(Generation.G4, Kind.PROCESS))
    bad[5] ^= 1
    (frame,) = g4.process(bad)
    assert not frame.checksum_ok
    g1 = FrameDecoder(Generation.G1)
    (frame,) = g1.process(bytes.fromhex("010000000400"))
    assert frame.error
    assert kind_of(Generation.G4, 8) is Kind.TRACE_DATA and kind_of(Generation.G2, 8) is Kind.OPTIMIZERS


def test_stats_forms():
    g1 = parse_stats(struct.pack("<6I", 1, 2, 3, 4, 5, 6))
    assert g1["device_bytes_freed"].value == 6
    records = encode_records([Stat("arena_peak_bytes", 1 << 40, StatType.ALLOCATION), Stat("x", 3)])
    assert len(records) == 96
    parsed = parse_stats(records)
    assert parsed["arena_peak_bytes"] == Stat("arena_peak_bytes", 1 << 40, StatType.ALLOCATION)
    with pytest.raises(ValueError):
        parse_stats(bytes(50))
