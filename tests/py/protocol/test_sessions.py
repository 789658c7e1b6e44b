"""Whole Kenning sessions against bmrt-host-server (test engine), for every generation."""
from __future__ import annotations

import pytest

from bmrt.client import Generation, InferenceClient, IoSpec, SerialTransport, StatType
from bmrt.client.wire import Flag, Flow, Kind, encode_frame, encode_request
from protocol_support import SERVER_BINARY, HostServer
from engine_model import expected_output, make_input, make_model

AUTO_DETECTED = [Generation.G1, Generation.G2, Generation.G4]


def run_session(client: InferenceClient, spec: IoSpec, model: bytes, samples: int = 3) -> None:
    client.connect()
    client.upload_io_spec(spec)
    client.upload_model(model)
    for index in range(samples):
        data = make_input(spec.input_bytes, seed=index)
        assert client.infer(data) == expected_output(model, data, spec.output_bytes)


@pytest.mark.parametrize("generation", AUTO_DETECTED, ids=lambda g: g.value)
def test_kenning_session(connect, generation, magic_wand_json):
    client = connect(generation)
    spec = IoSpec.from_kenning_json(magic_wand_json)
    model = make_model(20600)
    run_session(client, spec, model)
    stats = client.download_stats()
    if generation is Generation.G1:
        assert set(stats) >= {"host_bytes_peak", "device_bytes_freed"}
        assert stats["host_bytes_peak"].value >= len(model) + spec.input_bytes + spec.output_bytes
    else:
        assert stats["inference_count"].value == 3
        assert stats["test_engine_runs"].value == 3
        assert stats["model_bytes"] == type(stats["model_bytes"])("model_bytes", len(model), StatType.ALLOCATION)
        assert stats["arena_capacity_bytes"].value > 15 << 20
        assert stats["last_inference_instructions"].value == 0  # the host has no counter
        assert stats["test_engine_seed"].value == sum(model[8:]) % 256
    client.disconnect()


@pytest.mark.parametrize("generation", AUTO_DETECTED, ids=lambda g: g.value)
def test_four_mebibyte_model(connect, generation, magic_wand_json):
    client = connect(generation, timeout=20.0, progress=True)
    spec = IoSpec.from_kenning_json(magic_wand_json)
    run_session(client, spec, make_model(4 << 20, seed=7), samples=1)


@pytest.mark.parametrize("generation", AUTO_DETECTED, ids=lambda g: g.value)
def test_model_larger_than_arena_is_refused_clearly(connect, generation, magic_wand_json):
    from bmrt.client import RequestFailed
    client = connect(generation, timeout=20.0)
    client.connect()
    spec = IoSpec.from_kenning_json(magic_wand_json)
    client.upload_io_spec(spec)
    with pytest.raises(RequestFailed) as failure:
        client.upload_model(make_model(17 << 20))
    if generation is not Generation.G1:
        assert failure.value.reason == "model does not fit in the arena"
    model = make_model(5000)
    client.upload_model(model)
    data = make_input(spec.input_bytes)
    assert client.infer(data) == expected_output(model, data, 16)


@pytest.mark.parametrize("generation", [Generation.G2, Generation.G4], ids=lambda g: g.value)
def test_ping_trace_bytes(connect, generation):
    client = connect(generation)
    client.send(encode_frame(generation, Kind.PING, flags=Flag.SUCCESS | Flag.FIRST | Flag.LAST))
    expected = {Generation.G2: "C0 3A B1 00 00 00 00 00", Generation.G4: "00 00 00 00 C0 3A B1 00 00 00 00 00"}
    assert client.transport.read(64, 3.0) == bytes.fromhex(expected[generation])


def test_unchecked_checksums_are_accepted(connect, magic_wand_json):
    # Kenning built from JSON sends checksum 0x00 (error recovery off).
    client = connect(Generation.G4, checksums=False)
    run_session(client, IoSpec.from_kenning_json(magic_wand_json), make_model(3000), samples=1)


def test_output_larger_than_one_chunk_is_chunked(connect):
    client = connect(Generation.G4)
    spec = IoSpec.from_kenning_json({"input": [{"shape": [2, 3], "dtype": "int32"}, {"shape": [7], "dtype": "int32"}],
                                     "output": [{"shape": [100], "dtype": "float32"}, {"shape": [3, 3], "dtype": "int8"}]})
    client.connect()
    client.upload_io_spec(spec)
    model = make_model(777)
    client.upload_model(model)
    data = bytes(range(52))
    client.upload_input(data)
    client.process()
    reply = client.request(Kind.OUTPUT)
    assert len(reply.frames) == 4  # 409 bytes in 124-byte chunks
    assert reply.frames[0].has(Flag.FIRST) and reply.frames[-1].has(Flag.LAST)
    assert reply.payload == expected_output(model, data, 409)


def test_pinned_g3():
    server = HostServer("--generation", "g3")
    try:
        client = server.connect(Generation.G3)
        spec = IoSpec.from_kenning_json({"input": [{"shape": [4], "dtype": "float32"}],
                                         "output": [{"shape": [4], "dtype": "float32"}]})
        model = make_model(100)
        run_session(client, spec, model, samples=2)
        client.send(b"".join(encode_request(Generation.G3, Kind.TRACE_DATA)))
        reply = client.expect_silence(0.3)
        assert len(reply) == 1 and reply[0].flow is Flow.ACKNOWLEDGE and reply[0].has(Flag.FAIL)
        assert reply[0].code == 8
        client.transport.close()
    finally:
        server.stop()


@pytest.mark.parametrize("generation", [Generation.G1, Generation.G4], ids=lambda g: g.value)
def test_pty_link_with_pyserial(generation, magic_wand_json):
    server = HostServer(link="pty")
    try:
        with SerialTransport(server.pty) as transport:
            client = InferenceClient(transport, generation, timeout=5.0)
            run_session(client, IoSpec.from_kenning_json(magic_wand_json), make_model(20600), samples=2)
    finally:
        server.stop()


def test_pyserial_socket_url(host_server, magic_wand_json):
    with SerialTransport(f"socket://127.0.0.1:{host_server.port}") as transport:
        client = InferenceClient(transport, Generation.G2, timeout=5.0)
        run_session(client, IoSpec.from_kenning_json(magic_wand_json), make_model(2048), samples=1)


def test_stdio_link():
    import subprocess

    from bmrt.client.wire import Generation as G, encode_frame as frame
    process = subprocess.Popen([str(SERVER_BINARY), "--stdio"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        requests = frame(G.G1, Kind.PROCESS) + frame(G.G1, Kind.OK)
        stdout, stderr = process.communicate(requests, timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
    assert stdout == bytes.fromhex("020000000100") * 2  # both refused, nothing else on stdout
    assert b"PROCESS before DATA" in stderr
