"""Builds the compiled inputs of the ELF-loader and HAL tests from the MLIR in this directory.

    python tests/models/build_samples.py --out build/host/hal-samples      # test inputs
    python tests/models/build_samples.py --corpus tests/corpus/elf          # fuzz seed corpus

For each target (x86_64, riscv32) `elementwise.mlir` is compiled with the pinned iree-compile
(the .vmfb is kept with --out) and the embedded ELF library is cut out of the .vmfb (it is stored as an external rodata
segment; its extent follows from its own program and section header tables). Test vectors
are written as raw little-endian float32 with numpy-computed expected results.
"""
from __future__ import annotations

import argparse
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "host"))
from bmrt import iree_tools  # noqa: E402

TARGETS = {"x86_64": "x86_64", "riscv_32": "riscv32"}
ELF_MAGIC = b"\x7fELF"
SCALE_LENGTH = 10000  # spans several workgroups of scale_dynamic
MUL_ADD_LENGTH = 1000


class SampleError(RuntimeError):
    """The compiled module does not contain a usable ELF library."""


def elf_extent(data: bytes, start: int) -> int:
    """Length of the ELF image starting at `start` (end of its last header table or segment)."""
    if data[start + 4] == 2:
        phoff, shoff = struct.unpack_from("<QQ", data, start + 0x20)
        phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", data, start + 0x36)
        segment = lambda i: struct.unpack_from("<QQQQ", data, start + phoff + i * phentsize + 8)
        ends = [off + filesz for off, _, _, filesz in map(segment, range(phnum))]
    else:
        phoff, shoff = struct.unpack_from("<II", data, start + 0x1C)
        phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", data, start + 0x2A)
        segment = lambda i: struct.unpack_from("<IIII", data, start + phoff + i * phentsize + 4)
        ends = [off + filesz for off, _, _, filesz in map(segment, range(phnum))]
    return max([shoff + shentsize * shnum, phoff + phentsize * phnum, *ends])


def extract_elf(vmfb: Path) -> bytes:
    data = vmfb.read_bytes()
    start = data.find(ELF_MAGIC)
    if start < 0:
        raise SampleError(f"{vmfb}: no embedded ELF library found")
    end = start + elf_extent(data, start)
    if end > len(data):
        raise SampleError(f"{vmfb}: ELF library at {start} runs past the file end")
    return data[start:end]


def build_libraries(out: Path, keep_modules: bool) -> list[Path]:
    """Compiles the sample module per target; writes its ELF (and the .vmfb if asked)."""
    written = []
    with tempfile.TemporaryDirectory(prefix="bmrt-samples-") as scratch:
        for name, target in TARGETS.items():
            directory = out if keep_modules else Path(scratch)
            vmfb = iree_tools.compile_mlir(HERE / "elementwise.mlir",
                                           directory / f"elementwise_{name}.vmfb", target=target)
            path = out / f"elementwise_{name}.so"
            path.write_bytes(extract_elf(vmfb))
            written.append(path)
    return written


def write_vectors(out: Path) -> None:
    rng = np.random.default_rng(20261125)
    a, b, c = (rng.standard_normal(MUL_ADD_LENGTH, dtype=np.float32) for _ in range(3))
    for label, array in {"a": a, "b": b, "c": c, "expected": a * b + c}.items():
        array.astype("<f4").tofile(out / f"mul_add_{label}.bin")
    x, y = (rng.standard_normal(SCALE_LENGTH, dtype=np.float32) for _ in range(2))
    for label, array in {"a": x, "b": y, "expected": x * y + x}.items():
        array.astype("<f4").tofile(out / f"scale_dynamic_{label}.bin")


def shared_models() -> Path:
    return HERE.parents[1].parent / "shared" / "models" / "magic_wand"


def reference_outputs(vmfb: Path, inputs: list[np.ndarray]) -> list[np.ndarray]:
    """Outputs of `main` per input, from IREE's own runtime (iree-base-runtime, local-sync)."""
    import iree.runtime as ireert

    config = ireert.Config("local-sync")
    context = ireert.SystemContext(config=config)
    context.add_vm_module(ireert.VmModule.copy_buffer(context.instance, vmfb.read_bytes()))
    return [np.asarray(context.modules.module.main(x).to_host()) for x in inputs]


def build_model_references(out: Path) -> None:
    """The float magic-wand model for x86_64 with inputs and IREE-runtime outputs (batch 1 and
    3, which take different paths through the compiled module). The int8 variant does not
    compile for generic x86_64 with the pinned compiler, so it is exercised on rv32 only."""
    model = shared_models() / "magic_wand.tflite"
    if not model.is_file():
        return
    vmfb = iree_tools.compile_tflite(model, out / "magic_wand_x86_64.vmfb", target="x86_64")
    rng = np.random.default_rng(7)
    inputs = [rng.uniform(-2.0, 2.0, (batch, 128, 3, 1)).astype(np.float32) for batch in (1, 3)]
    for x, y in zip(inputs, reference_outputs(vmfb, inputs)):
        x.tofile(out / f"magic_wand_b{x.shape[0]}_input.bin")
        y.tofile(out / f"magic_wand_b{x.shape[0]}_output.bin")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="directory for test libraries and vectors")
    group.add_argument("--corpus", type=Path, help="directory for the ELF fuzz seed corpus")
    args = parser.parse_args()
    target = args.out or args.corpus
    target.mkdir(parents=True, exist_ok=True)
    build_libraries(target, keep_modules=bool(args.out))
    if args.out:
        write_vectors(target)
        build_model_references(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
