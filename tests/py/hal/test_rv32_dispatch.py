"""The HAL on the rv32 board: QEMU loads the riscv32 sample library next to a test firmware
(runtime/hal/hal_rv32_test.cc), which loads it with the ELF loader, dispatches both kernels
(directly and through a command buffer with a binding table) and checks every element."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from bmrt import compile as bmrt_compile
from bmrt.simulator import Simulator

REPO = Path(__file__).resolve().parents[3]
FIRMWARE = REPO / "build/rv32/runtime/hal/bmrt-hal-rv32-test.elf"
LIBRARY_ADDRESS = 0x81800000  # hal_rv32_test.cc: kLibraryAddress

sys.path.insert(0, str(REPO / "tests" / "models"))
import build_samples  # noqa: E402


def compile_library(target: str, scratch: Path) -> Path:
    """The sample kernels for `target` (bmrt compile's rv32-vector or rv32-scalar flags)."""
    vmfb = bmrt_compile.compile_model(build_samples.HERE / "elementwise.mlir", target).vmfb
    library = scratch / f"elementwise_{target}.so"
    library.write_bytes(build_samples.extract_elf(vmfb))
    return library


@pytest.fixture(scope="module")
def rv32_library(tmp_path_factory) -> Path:
    return compile_library("rv32-vector", tmp_path_factory.mktemp("hal-rv32"))


def run_firmware(library: Path, size: int | None = None,
                 vector: bool = True) -> tuple[int | None, str]:
    if not FIRMWARE.is_file():
        pytest.fail(f"{FIRMWARE} missing: run `make firmware` first")
    size = library.stat().st_size if size is None else size
    loader = f"loader,file={library},addr={LIBRARY_ADDRESS:#x},force-raw=on"
    with Simulator(FIRMWARE, uart="none", boot_args=f"size={size}", vector=vector,
                   extra_args=["-device", loader]) as simulator:
        info = simulator.wait(timeout=60)
        return info.code, simulator.log_text()


def test_rv32_kernels_load_and_compute_exact_results(rv32_library):
    code, log = run_firmware(rv32_library)
    assert code == 0, log
    assert "hal-rv32: loaded 2 exports" in log
    assert "hal-rv32: PASS" in log
    counts = {m.group(1): int(m.group(2))
              for m in re.finditer(r"hal-rv32: (\w+) of \d+ elements, instructions=(\d+)", log)}
    # 512-bit vectors: far fewer instructions than elements.
    assert 0 < counts["mul_add"] < 1000
    assert 0 < counts["scale_dynamic"] < 10000


def test_rv32_truncated_library_is_rejected_cleanly(rv32_library):
    code, log = run_firmware(rv32_library, size=rv32_library.stat().st_size - 1)
    assert code == 3, log
    assert "hal-rv32: load failed: ELF:" in log


def test_rv32_scalar_kernels_run_on_a_core_without_vectors(tmp_path):
    code, log = run_firmware(compile_library("rv32-scalar", tmp_path), vector=False)
    assert code == 0, log
    assert "hal-rv32: PASS" in log
    counts = {m.group(1): int(m.group(2))
              for m in re.finditer(r"hal-rv32: (\w+) of \d+ elements, instructions=(\d+)", log)}
    assert counts["mul_add"] > 1000  # at least one instruction per element without vectors
