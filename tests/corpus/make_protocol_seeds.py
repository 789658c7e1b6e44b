"""Writes the seed corpora of the protocol and server fuzz targets from the Python client's codecs
(host/bmrt/client), so that every seed is a well-formed stream of its generation:

    tests/corpus/protocol/   io_spec_g1, io_spec_g2 (raw IO specs) and session_<gen> (frames)
    tests/corpus/server/     session_<gen> (byte 0: auto-detect), pinned_<gen> (byte 0: the
                             pinned generation), resync_<gen> (a frame cut short, a pause, then a
                             session); 0xA5 0x5A stands for a pause (runtime/server/server_fuzz.cc)

    PYTHONPATH=host python tests/corpus/make_protocol_seeds.py
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "host"))

from bmrt.client import Generation, IoSpec, TensorSpec  # noqa: E402
from bmrt.client.wire import Flag, Kind, encode_g1, encode_request  # noqa: E402

SPEC = IoSpec([TensorSpec((1, 4), "float32")], [TensorSpec((1, 2), "float32")], model_name="module")
MODEL = b"BMRTTEST" + bytes(range(56))  # a test-engine model (runtime/server/test_engine.h)
GENERATIONS = {Generation.G1: 1, Generation.G2: 2, Generation.G4: 4}  # ServerOptions numbering
PAUSE = b"\xA5\x5A"


def request(generation: Generation, kind: Kind, payload: bytes = b"", **kwargs) -> bytes:
    return b"".join(encode_request(generation, kind, payload, **kwargs))


def session(generation: Generation) -> bytes:
    spec = SPEC.encode_g1() if generation is Generation.G1 else SPEC.encode_g2()
    stream = b""
    if generation is not Generation.G1:
        stream += request(generation, Kind.PING, extra_flags=Flag.SUCCESS)
    stream += request(generation, Kind.IO_SPEC, spec)
    stream += request(generation, Kind.MODEL, MODEL)
    stream += request(generation, Kind.DATA, bytes(SPEC.input_bytes))
    for kind in (Kind.PROCESS, Kind.OUTPUT, Kind.STATS):
        stream += request(generation, kind)
    return stream


def main() -> int:
    protocol, server = HERE / "protocol", HERE / "server"
    protocol.mkdir(exist_ok=True)
    server.mkdir(exist_ok=True)
    (protocol / "io_spec_g1").write_bytes(SPEC.encode_g1())
    (protocol / "io_spec_g2").write_bytes(SPEC.encode_g2())
    for generation, number in GENERATIONS.items():
        stream = session(generation)
        name = generation.value
        (protocol / f"session_{name}").write_bytes(stream)
        (server / f"session_{name}").write_bytes(b"\x00" + stream)
        (server / f"pinned_{name}").write_bytes(bytes([number]) + stream)
        cut = request(generation, Kind.MODEL, MODEL)[:10]
        (server / f"resync_{name}").write_bytes(bytes([number]) + stream[:len(stream) // 3] + cut + PAUSE + stream)
    print(f"seeds written to {protocol} and {server}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
