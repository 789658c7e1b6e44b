"""The QEMU subset: the firmware's inference server (platform/qemu-virt-rv32, serving the test
engine) against the Python client, one fresh QEMU per generation (the firmware detects the
generation once per reset). Skipped when the firmware is not built or serves another engine."""
from __future__ import annotations

import re

import pytest

from bmrt.client import Generation, InferenceClient, IoSpec, RequestFailed, SerialTransport
from bmrt.client.wire import Flag, Flow, Kind, code_of, encode_g1, encode_header, encode_request
from protocol_support import REPO
from engine_model import expected_output, make_input, make_model

FIRMWARE = REPO / "build/rv32/platform/qemu-virt-rv32/bmrt-firmware.elf"


@pytest.fixture(params=[Generation.G1, Generation.G2, Generation.G4], ids=lambda g: g.value)
def target(request, tmp_path):
    if not FIRMWARE.is_file():
        pytest.skip(f"firmware not built: {FIRMWARE}")
    from bmrt.simulator import Simulator
    log = tmp_path / "firmware.log"
    with Simulator(FIRMWARE, uart="socket", log_path=log, boot_args="test-engine") as simulator:
        simulator.wait_for_log("Runtime started", timeout=30.0)
        engine = re.search(r"engine: ([^;\n]*)", log.read_text(errors="replace"))
        if not engine or "test engine" not in engine.group(1):
            pytest.skip("firmware does not serve the protocol test engine")
        transport = SerialTransport.from_port(simulator.uart, "qemu uart")
        yield InferenceClient(transport, request.param, timeout=30.0)


def test_firmware_session_and_recovery(target: InferenceClient, magic_wand_json):
    client, generation = target, target.generation
    spec = IoSpec.from_kenning_json(magic_wand_json)
    model = make_model(20600)
    client.connect()
    client.upload_io_spec(spec)
    client.upload_model(model)
    for seed in range(2):
        data = make_input(spec.input_bytes, seed=seed)
        assert client.infer(data) == expected_output(model, data, spec.output_bytes)
    stats = client.download_stats()
    if generation is not Generation.G1:
        assert stats["inference_count"].value == 2
        assert stats["last_inference_instructions"].value > 0
        assert stats["model_bytes"].value == len(model)

    header_based = generation is not Generation.G1

    # Unknown type: ERROR (G1) or a deny (G2+).
    if header_based:
        client.send(encode_header(generation, 8, Flow.REQUEST, Flag.FIRST | Flag.LAST))
    else:
        client.send(encode_g1(8))
    with pytest.raises(RequestFailed):
        client.await_reply(8)

    # A payload larger than the server's frame buffer is drained and refused.
    client.send(b"".join(encode_request(generation, Kind.STATS, bytes(3000))) if header_based
                else encode_g1(code_of(generation, Kind.STATS), bytes(3000)))
    with pytest.raises(RequestFailed):
        client.await_reply(Kind.STATS)

    # A truncated frame ends at the inter-byte timeout with an error reply.
    stream = b"".join(encode_request(generation, Kind.IO_SPEC, spec.encode_g1() if not header_based
                                     else spec.encode_g2()))
    client.send(stream[:100])
    with pytest.raises(RequestFailed):
        client.await_reply(Kind.IO_SPEC)

    if header_based:
        bad = bytearray(encode_request(generation, Kind.PROCESS)[0])
        bad[generation.header_size - 7] ^= 0x5A
        client.send(bytes(bad))
        with pytest.raises(RequestFailed):
            client.await_reply(Kind.PROCESS)

    # Wrong input size: refused, the model stays; the next valid request succeeds.
    with pytest.raises(RequestFailed):
        client.upload_input(bytes(spec.input_bytes - 4))
    data = make_input(spec.input_bytes, seed=9)
    assert client.infer(data) == expected_output(model, data, spec.output_bytes)
    client.disconnect()
