"""The model corpus and the three runtimes the corpus tests compare: IREE's own runtime
(iree-base-runtime, local-sync), bmrt's IREE engine in the host server (x86_64 kernels) and the
firmware in QEMU (riscv32 kernels), the latter two driven through the Kenning protocol client.

Kept in a uniquely named helper module (not conftest.py) so test files import it by name.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np

from bmrt import compile as bmrt_compile
from bmrt import models
from bmrt import host_server as server_process
from bmrt.client import Generation, InferenceClient, IoSpec

REPO = Path(__file__).resolve().parents[3]
CORPUS_DIR = REPO / "tests/models"
FIRMWARE = REPO / "build/rv32/platform/qemu-virt-rv32/bmrt-firmware.elf"

# MLIR sources written by tests/models/make_corpus.py, plus the two magic-wand TFLite models.
MLIR_MODELS = ["matmul", "conv2d", "depthwise_conv", "pooling", "softmax", "elementwise_chain",
               "reductions", "two_inputs", "multi_output", "int8_dense", "int32_ops", "mlp",
               "transpose_concat"]
TFLITE_MODELS = ["magic_wand", "magic_wand_int8"]
ALL_MODELS = MLIR_MODELS + TFLITE_MODELS

_TENSOR = re.compile(r"tensor<((?:\d+x)*)(f32|i8|i32)>")
_DTYPES = {"f32": "float32", "i8": "int8", "i32": "int32"}


@dataclasses.dataclass
class CorpusModel:
    name: str
    source: Path
    io_spec: dict  # Kenning's JSON form: {"input": [...], "output": [...]}
    make_input: callable  # (rng) -> list of numpy arrays, one per input

    def spec(self) -> IoSpec:
        return IoSpec.from_kenning_json(self.io_spec)

    def compile(self, target: str) -> Path:
        return bmrt_compile.compile_model(self.source, target).vmfb


def _tensor(shape: tuple[int, ...], dtype: str) -> dict:
    return {"shape": list(shape), "dtype": dtype}


def _signature(source: Path) -> tuple[list[tuple], list[tuple]]:
    """Input and output (shape, dtype) pairs of `@main` in an MLIR source."""
    text = source.read_text()
    header = re.search(r"func\.func @main\((.*?)\)\s*->\s*(.*?)\s*\{\n", text, re.S)
    if header is None:
        raise ValueError(f"{source}: no `func.func @main(...) -> ... {{` found")

    def tensors(part: str) -> list[tuple]:
        return [(tuple(int(d) for d in dims.split("x") if d), _DTYPES[element])
                for dims, element in _TENSOR.findall(part)]

    return tensors(header.group(1)), tensors(header.group(2))


def _random(rng: np.random.Generator, shape: tuple, dtype: str) -> np.ndarray:
    if dtype == "float32":
        return rng.uniform(-2.0, 2.0, shape).astype(np.float32)
    if dtype == "int8":
        return rng.integers(-128, 128, shape, dtype=np.int8)
    return rng.integers(-50000, 50000, shape, dtype=np.int32)


def load(name: str) -> CorpusModel:
    if name in TFLITE_MODELS:
        model = models.resolve(name)
        spec = model.io_spec

        def windows(rng: np.random.Generator) -> list[np.ndarray]:
            window = rng.uniform(-1500.0, 1500.0, (128, 3)).astype(np.float32)  # milli-g
            return [np.ascontiguousarray(spec.inputs[0].quantize(window))]

        return CorpusModel(name, model.path, spec.raw, windows)
    source = CORPUS_DIR / f"{name}.mlir"
    inputs, outputs = _signature(source)
    io_spec = {"input": [_tensor(*t) for t in inputs], "output": [_tensor(*t) for t in outputs]}

    def random_inputs(rng: np.random.Generator) -> list[np.ndarray]:
        return [_random(rng, shape, dtype) for shape, dtype in inputs]

    return CorpusModel(name, source, io_spec, random_inputs)


def pack(arrays: list[np.ndarray]) -> bytes:
    return b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)


def split_outputs(spec: IoSpec, data: bytes) -> list[np.ndarray]:
    arrays, offset = [], 0
    for tensor in spec.outputs:
        size = tensor.byte_size
        arrays.append(np.frombuffer(data[offset:offset + size], dtype=tensor.numpy_dtype)
                      .reshape(tensor.shape))
        offset += size
    assert offset == len(data), f"{len(data)} output bytes, the IO spec describes {offset}"
    return arrays


class IreeRuntime:
    """iree-base-runtime running `main` of a .vmfb (the reference)."""

    def __init__(self, vmfb: Path):
        import iree.runtime as ireert
        config = ireert.Config("local-sync")
        self._context = ireert.SystemContext(config=config)
        self._context.add_vm_module(
            ireert.VmModule.copy_buffer(self._context.instance, vmfb.read_bytes()))
        self._main = self._context.modules.module["main"]

    def run(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        results = self._main(*inputs)
        if not isinstance(results, (list, tuple)):
            results = [results]
        return [np.asarray(r.to_host() if hasattr(r, "to_host") else r) for r in results]


class HostServer(server_process.HostServer):
    """bmrt-host-server --engine iree on a free TCP port; stop() always ends the process."""

    def __init__(self, arena_mib: int = 64):
        super().__init__(engine="iree", arena_mib=arena_mib)

    def connect(self, timeout: float = 30.0) -> InferenceClient:
        client = super().connect(Generation.G4, timeout=timeout)
        client.connect()
        return client


def run_through_protocol(client: InferenceClient, model: CorpusModel, vmfb: Path,
                         inputs: list[list[np.ndarray]]) -> list[list[np.ndarray]]:
    """Uploads the IO spec and the model, then runs every input set; outputs per set."""
    spec = model.spec()
    client.upload_io_spec(spec)
    client.upload_model(vmfb.read_bytes())
    return [split_outputs(spec, client.infer(pack(arrays))) for arrays in inputs]


def break_kernel_elf(vmfb: bytes) -> bytes:
    """The module with its (first) embedded kernel ELF's machine field changed."""
    start = vmfb.find(b"\x7fELF")
    if start < 0:
        raise ValueError("no embedded ELF in the module")
    broken = bytearray(vmfb)
    broken[start + 18] ^= 0x55  # e_machine
    return bytes(broken)
