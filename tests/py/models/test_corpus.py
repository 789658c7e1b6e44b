"""The model corpus (tests/models: matmul, convolutions, pooling, softmax, elementwise chains,
reductions, several inputs and outputs, integer and int8 models, both magic-wand models) runs on
bmrt exactly like on IREE's own runtime.

- host: every model compiled for x86_64, run by the host server's IREE engine through the
  protocol, is compared BIT FOR BIT with iree-base-runtime on the same .vmfb and inputs;
- target: the riscv32 build, run by the firmware in QEMU (one boot, one IO spec + model upload
  per model), is within 1e-5 relative of the host reference (integers exactly equal);
- a module whose kernel ELF is malformed is refused, and the error reply names the problem.
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest

from bmrt.client import RequestFailed, SerialTransport, InferenceClient, Generation
from bmrt.simulator import Simulator

import corpus_harness as corpus

INPUT_SETS = 3


def _inputs(name: str) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    model = corpus.load(name)
    return [model.make_input(rng) for _ in range(INPUT_SETS)]


@pytest.fixture(scope="module")
def host_server():
    server = corpus.HostServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def references() -> dict[str, list[list[np.ndarray]]]:
    """iree-base-runtime's outputs per model and input set (x86_64 build)."""
    return {}


def _reference(name: str, references: dict) -> list[list[np.ndarray]]:
    if name not in references:
        runtime = corpus.IreeRuntime(corpus.load(name).compile("x86_64"))
        references[name] = [runtime.run(arrays) for arrays in _inputs(name)]
    return references[name]


def test_corpus_has_the_promised_variety():
    assert len(corpus.ALL_MODELS) >= 12
    specs = [corpus.load(name).spec() for name in corpus.ALL_MODELS]
    assert any(len(s.inputs) == 2 for s in specs)
    assert any(len(s.outputs) >= 3 for s in specs)
    assert any(t.dtype == "int8" for s in specs for t in s.inputs)


@pytest.mark.parametrize("name", corpus.ALL_MODELS)
def test_host_engine_is_bit_exact_with_iree_runtime(name, host_server, references):
    model = corpus.load(name)
    client = host_server.connect()
    try:
        produced = corpus.run_through_protocol(client, model, model.compile("x86_64"),
                                               _inputs(name))
    finally:
        client.transport.close()
    for outputs, expected in zip(produced, _reference(name, references)):
        assert len(outputs) == len(expected)
        for index, (got, want) in enumerate(zip(outputs, expected)):
            assert got.dtype == want.dtype and got.shape == want.shape, index
            assert got.tobytes() == want.tobytes(), (
                f"{name} output {index}: max difference {np.max(np.abs(got - want))}")


def test_host_engine_refuses_a_malformed_kernel(host_server):
    model = corpus.load("conv2d")
    client = host_server.connect()
    try:
        client.upload_io_spec(model.spec())
        with pytest.raises(RequestFailed) as failure:
            client.upload_model(corpus.break_kernel_elf(model.compile("x86_64").read_bytes()))
    finally:
        client.transport.close()
    assert "model initialization failed" in failure.value.reason
    assert "ELF" in failure.value.reason or "machine" in failure.value.reason


@pytest.fixture(scope="module")
def firmware(tmp_path_factory):
    """One firmware boot (IREE engine) and a G4 client on its UART."""
    if not corpus.FIRMWARE.is_file():
        pytest.fail(f"{corpus.FIRMWARE} missing: run `make firmware` first")
    log = tmp_path_factory.mktemp("corpus-firmware") / "firmware.log"
    with Simulator(corpus.FIRMWARE, uart="socket", log_path=log, vector=True) as simulator:
        simulator.wait_for_log("Runtime started", timeout=30.0)
        assert "engine: iree" in log.read_text(errors="replace")
        transport = SerialTransport.from_port(simulator.uart, "qemu uart")
        client = InferenceClient(transport, Generation.G4, timeout=120.0)
        client.connect()
        yield client, log


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    """Integers exactly; floats within 1e-5 relative, per element, where an element's scale is
    at least 1e-5 of the tensor's largest magnitude (kernels that sum in another order leave
    absolute errors of that size on results that nearly cancel)."""
    if got.dtype.kind in "iu":
        return np.array_equal(got, want)
    want = want.astype(np.float64)
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    return bool(np.all(np.abs(got - want) <= 1e-5 * np.abs(want) + 1e-5 * scale))


@pytest.mark.parametrize("name", corpus.ALL_MODELS)
def test_target_matches_the_host_reference(name, firmware, references):
    client, log = firmware
    model = corpus.load(name)
    produced = corpus.run_through_protocol(client, model, model.compile("rv32-vector"),
                                           _inputs(name))
    stats = client.download_stats()
    for outputs, expected in zip(produced, _reference(name, references)):
        for index, (got, want) in enumerate(zip(outputs, expected)):
            assert got.shape == want.shape and got.dtype == want.dtype
            assert _close(got, want), (
                f"{name} output {index}: max difference {np.max(np.abs(got.astype(np.float64) - want))}")
    assert stats["engine_runs"].value == INPUT_SETS  # counted since this model was loaded
    assert 0 < stats["last_kernel_instructions"].value < stats["last_inference_instructions"].value


def test_target_refuses_a_malformed_kernel_with_a_reason(firmware):
    client, _ = firmware
    model = corpus.load("softmax")
    client.upload_io_spec(model.spec())
    with pytest.raises(RequestFailed) as failure:
        client.upload_model(corpus.break_kernel_elf(model.compile("rv32-vector").read_bytes()))
    assert "model initialization failed" in failure.value.reason
    # The target still serves a good model afterwards.
    outputs = corpus.run_through_protocol(client, model, model.compile("rv32-vector"),
                                          _inputs("softmax")[:1])
    assert outputs[0][0].shape == (4, 10)


def test_target_instruction_counts_are_exact_and_split(firmware):
    """Under -icount shift=0 the same input costs the same instructions every time (after the
    first inference, which also resolves the command buffer's binding ranges that later ones
    reuse); kernel calls are a part of the entry call, which is a part of the whole Run."""
    client, _ = firmware
    model = corpus.load("magic_wand")
    client.upload_io_spec(model.spec())
    client.upload_model(model.compile("rv32-vector").read_bytes())
    data = corpus.pack(_inputs("magic_wand")[0])
    counts = []
    for _ in range(4):
        client.infer(data)
        stats = client.download_stats()
        counts.append(tuple(stats[key].value for key in (
            "last_inference_instructions", "last_invoke_instructions",
            "last_kernel_instructions", "last_dispatches")))
    first, counts = counts[0], counts[1:]
    assert counts[0] == counts[1] == counts[2]
    assert first[2:] == counts[0][2:] and first[0] >= counts[0][0]
    total, invoke, kernels, dispatches = counts[0]
    assert 0 < kernels < invoke < total
    assert dispatches > 0
