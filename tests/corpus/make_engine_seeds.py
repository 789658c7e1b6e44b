"""Writes the seed corpus of the engine fuzz target (runtime/engine/engine_fuzz.cc).

Compiles small models whose entry functions need no kernels (identity, reshape, two inputs)
with the pinned iree-compile for x86_64, and writes for each a load-and-run seed (mode byte,
compact spec matching its signature, module) and a declaration seed (mode byte, the module's
`iree.abi.declaration` text as iree-dump-module prints it):

    python tests/corpus/make_engine_seeds.py [--out tests/corpus/engine]
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOAD, DECLARATION = b"\x01", b"\x00"
F32, I8 = 0, 1  # type bytes of the target's compact spec

# name: (MLIR, compact spec: entry "main" (1), then input/output counts minus one, tensors)
MODELS = {
    "identity": ("func.func @main(%a: tensor<1x128x3x1xf32>) -> tensor<1x128x3x1xf32> {\n"
                 "  return %a : tensor<1x128x3x1xf32>\n}\n",
                 bytes([1, 0, 0, F32, 4, 0, 127, 2, 0, F32, 4, 0, 127, 2, 0])),
    "reshape": ("func.func @main(%a: tensor<4x2xi8>) -> tensor<8xi8> {\n"
                "  %r = tensor.collapse_shape %a [[0, 1]] : tensor<4x2xi8> into tensor<8xi8>\n"
                "  return %r : tensor<8xi8>\n}\n",
                bytes([1, 0, 0, I8, 2, 3, 1, I8, 1, 7])),
    "two_inputs": ("func.func @main(%a: tensor<4xf32>, %b: tensor<2x2xf32>) -> "
                   "(tensor<2x2xf32>, tensor<4xf32>) {\n"
                   "  return %b, %a : tensor<2x2xf32>, tensor<4xf32>\n}\n",
                   bytes([1, 1, 1, F32, 1, 3, F32, 2, 1, 1, F32, 2, 1, 1, F32, 1, 3])),
}
COMPILE = ["--iree-hal-target-device=local", "--iree-hal-local-target-device-backends=llvm-cpu",
           "--iree-llvmcpu-target-triple=x86_64-linux-gnu", "--iree-llvmcpu-target-cpu=generic"]


def tool(name: str) -> str:
    found = shutil.which(name) or str(HERE.parents[1] / ".venv/bin" / name)
    if not Path(found).is_file():
        raise SystemExit(f"{name} not found: run `make setup`")
    return found


def declaration(vmfb: Path) -> bytes:
    dump = subprocess.run([tool("iree-dump-module"), str(vmfb)], capture_output=True, text=True,
                          check=True).stdout
    found = re.search(r"iree\.abi\.declaration: (.*)", dump)
    if not found:
        raise SystemExit(f"{vmfb}: no iree.abi.declaration in iree-dump-module's output")
    return found.group(1).strip().encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "engine")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, (mlir, spec) in MODELS.items():
            source, vmfb = Path(scratch) / f"{name}.mlir", Path(scratch) / f"{name}.vmfb"
            source.write_text(mlir)
            subprocess.run([tool("iree-compile"), str(source), *COMPILE, "-o", str(vmfb)],
                           check=True)
            (args.out / f"{name}_load").write_bytes(LOAD + spec + vmfb.read_bytes())
            (args.out / f"{name}_declaration").write_bytes(DECLARATION + declaration(vmfb))
    elementwise = HERE / "vmfb" / "hal_elementwise.vmfb"
    (args.out / "hal_elementwise_load").write_bytes(
        LOAD + bytes([1, 0, 0, F32, 1, 3, F32, 1, 3]) + elementwise.read_bytes())
    print(f"{2 * len(MODELS) + 1} seeds in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
