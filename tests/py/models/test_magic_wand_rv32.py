"""The magic-wand models on the simulated rv32 core (with and without vectors) run like IREE's
own runtime.

A check firmware (runtime/hal/hal_rv32_model_test.cc) loads the rv32-vector .vmfb through the
module loader, the VM and the hal module, runs `main` on an input placed in RAM by QEMU's loader
device and logs the output bytes. The reference is iree-base-runtime (local-sync) running the
x86_64 build of the same model on the same input.
"""
from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np
import pytest

from bmrt import compile as bmrt_compile
from bmrt import models
from bmrt.reference import IreeReference
from bmrt.simulator import Simulator

REPO = Path(__file__).resolve().parents[3]
FIRMWARE = REPO / "build/rv32/runtime/hal/bmrt-hal-rv32-model.elf"
MODULE_ADDRESS = 0x81800000  # hal_rv32_model_test.cc: kModuleAddress
INPUT_ADDRESS = 0x81C00000   # kInputAddress
WINDOWS = 3


def run_on_target(vmfb: Path, tensor: np.ndarray, scratch: Path,
                  vector: bool = True) -> tuple[bytes, str]:
    """Output bytes of `main` on the simulated core, and the firmware log."""
    if not FIRMWARE.is_file():
        pytest.fail(f"{FIRMWARE} missing: run `make firmware` first")
    data = scratch / "input.bin"
    data.write_bytes(np.ascontiguousarray(tensor).tobytes())
    shape = "x".join(str(dim) for dim in tensor.shape)
    boot = f"module={vmfb.stat().st_size} input={data.stat().st_size} shape={shape}"
    if tensor.dtype == np.int8:
        boot += " i8"
    loaders = ["-device", f"loader,file={vmfb},addr={MODULE_ADDRESS:#x},force-raw=on",
               "-device", f"loader,file={data},addr={INPUT_ADDRESS:#x},force-raw=on"]
    with Simulator(FIRMWARE, uart="none", boot_args=boot, vector=vector,
                   extra_args=loaders) as simulator:
        info = simulator.wait(timeout=120)
        log = simulator.log_text()
    assert info.code == 0, f"{info.reason}\n{log}"
    words = [int(m.group(1), 16) for m in re.finditer(r"model: out\[\d+\]=0x([0-9a-f]+)", log)]
    return b"".join(struct.pack("<I", word) for word in words), log


@pytest.mark.parametrize("target", ["rv32-vector", "rv32-scalar"])
@pytest.mark.parametrize("name", ["magic_wand", "magic_wand_int8"])
def test_target_matches_iree_runtime(name, target, tmp_path):
    model = models.resolve(name)
    target_vmfb = bmrt_compile.compile_model(model.path, target).vmfb
    host_vmfb = bmrt_compile.compile_model(model.path, "x86_64").vmfb
    reference = IreeReference(host_vmfb, model.io_spec)
    input_spec, output_spec = model.io_spec.inputs[0], model.io_spec.outputs[0]
    rng = np.random.default_rng(2026)
    for _ in range(WINDOWS):
        window = rng.uniform(-1500.0, 1500.0, (128, 3)).astype(np.float32)  # milli-g
        raw, log = run_on_target(target_vmfb, input_spec.quantize(window), tmp_path,
                                 vector=target == "rv32-vector")
        produced = np.frombuffer(raw[:output_spec.byte_size], dtype=output_spec.numpy_dtype)
        expected = reference.run_one(window).reshape(-1)
        if output_spec.quantized:
            # Integer kernels: at most one quantization step apart.
            assert np.max(np.abs(output_spec.dequantize(produced).reshape(-1) - expected)) \
                <= output_spec.scale * 1.01, log
        else:
            np.testing.assert_allclose(produced, expected, rtol=1e-4, atol=1e-5, err_msg=log)
        assert int(np.argmax(produced)) == int(np.argmax(expected))
        assert "live=0" in log  # everything the run allocated went back to the arena
