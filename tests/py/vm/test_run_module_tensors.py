"""bmrt-run-module with tensor inputs and outputs prints what iree-run-module prints for the same
x86_64 module: the hal module runs the kernels, and the text forms (`2x3xf32=...`, `@file.npy`,
nested brackets, %G floats) match."""
from __future__ import annotations

from pathlib import Path

import os
import subprocess

import numpy as np
import pytest

from bmrt import iree_tools

REPO = Path(__file__).resolve().parents[3]
BMRT_RUN_MODULE = Path(os.environ.get(
    "BMRT_RUN_MODULE", REPO / "build" / "host" / "tools" / "run_module" / "bmrt-run-module"))


def run_tool(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60)

ADD = """
func.func @main(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = arith.addf %a, %b : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
"""
PASS_THROUGH = """
func.func @main(%a: tensor<4xf32>, %b: tensor<2x2x2xi32>, %c: tensor<3xi8>)
    -> (tensor<4xf32>, tensor<2x2x2xi32>, tensor<3xi8>) {
  return %a, %b, %c : tensor<4xf32>, tensor<2x2x2xi32>, tensor<3xi8>
}
"""

CASES = [
    ("add", ADD, ("2x3xf32=1 2 3 4 5 6", "2x3xf32=0.5 0.25 1e-7 123456789 -3 7.125")),
    ("add_fill", ADD, ("2x3xf32=1.5", "2x3xf32")),
    ("pass_through", PASS_THROUGH, ("@{npy}", "2x2x2xi32=1 2 3 4 5 6 7 -8", "3xi8=-1 2 127")),
]


@pytest.mark.parametrize("name,source,inputs", CASES, ids=[c[0] for c in CASES])
def test_tensor_text_matches_iree(tmp_path: Path, name: str, source: str,
                                  inputs: tuple[str, ...]) -> None:
    if not BMRT_RUN_MODULE.exists():
        pytest.skip(f"{BMRT_RUN_MODULE} is not built (make host)")
    mlir = tmp_path / f"{name}.mlir"
    mlir.write_text(source)
    module = iree_tools.compile_mlir(mlir, tmp_path / f"{name}.vmfb", target="x86_64")
    npy = tmp_path / "input.npy"
    np.save(npy, np.array([0.1, -2.5, 1e20, 1 / 3], dtype=np.float32))
    args = [f"--input={text.format(npy=npy)}" for text in inputs]
    ours = run_tool([str(BMRT_RUN_MODULE), f"--module={module}", "--function=main", *args])
    theirs = run_tool([str(iree_tools.find_tool("iree-run-module")), "--device=local-sync",
                       f"--module={module}", "--function=main", *args])
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert "hal.buffer_view" in ours.stdout
    assert ours.stdout.strip() == theirs.stdout.strip()


def test_bad_tensor_input_is_named(tmp_path: Path) -> None:
    if not BMRT_RUN_MODULE.exists():
        pytest.skip(f"{BMRT_RUN_MODULE} is not built (make host)")
    mlir = tmp_path / "add.mlir"
    mlir.write_text(ADD)
    module = iree_tools.compile_mlir(mlir, tmp_path / "add.vmfb", target="x86_64")
    ours = run_tool([str(BMRT_RUN_MODULE), f"--module={module}", "--function=main",
                     "--input=2x3xf32=1 2 3", "--input=2x3xf32"])
    assert ours.returncode != 0
    assert "3 values for 6 elements" in ours.stderr
