"""The firmware's self-test in QEMU: vector and scalar kernels agree, exits and traps decode."""
from __future__ import annotations

import re
import subprocess

import pytest

from bmrt.simulator import EXIT_TRAP_BASE
from bmrt.smoke import run_smoke
from sim_helpers import firmware, no_qemu_left_behind  # noqa: F401 (fixtures)

RESULT = re.compile(r"selftest: (scalar|vector) result=(-?\d+)/2 instructions=(\d+)")
REFERENCE = re.compile(r"reference=(-?\d+)/2")


def results(log: str) -> dict[str, tuple[int, int]]:
    return {m.group(1): (int(m.group(2)), int(m.group(3))) for m in RESULT.finditer(log)}


def test_vector_cpu_selftest_passes_with_fewer_vector_instructions(firmware, tmp_path):
    result = run_smoke(firmware, vector=True, log_path=tmp_path / "fw.log")
    assert result.exit.code == 0, result.exit.reason
    assert "bmrt firmware (qemu-virt-rv32)" in result.log
    assert "VLEN=512" in result.log
    reference = int(REFERENCE.search(result.log).group(1))
    found = results(result.log)
    assert found["scalar"][0] == reference
    assert found["vector"][0] == reference
    assert found["vector"][1] < found["scalar"][1]
    assert (tmp_path / "fw.log").read_text() == result.log


def test_vector_kernel_adapts_to_vlen(firmware):
    counts = {}
    for vlen in (128, 512):
        result = run_smoke(firmware, vector=True, vlen=vlen)
        assert result.exit.ok, result.exit.reason
        assert f"VLEN={vlen}" in result.log
        counts[vlen] = results(result.log)["vector"][1]
    assert counts[128] > counts[512]  # four times the strips at a quarter of the length


def test_scalar_cpu_reports_no_vector_unit_and_passes(firmware):
    result = run_smoke(firmware, vector=False)
    assert result.exit.code == 0, result.exit.reason
    assert "no vector unit" in result.log
    assert "VLEN=" not in result.log
    found = results(result.log)
    assert "vector" not in found
    assert found["scalar"][0] == int(REFERENCE.search(result.log).group(1))


MEMORY = re.compile(r"selftest: memory routines \((vector|scalar)\) cases=(\d+) matches=(\d), "
                    r"memcpy 1536 B instructions=(\d+)")


def test_memory_routines_match_byte_loops_on_both_cpus(firmware):
    """memcpy/memmove/memset (platform/qemu-virt-rv32/memory_ops.cc) over lengths 0..300 and up
    to 4 KB at every alignment, overlapping moves included: vector strips on the vector CPU,
    word loops on the scalar one, where a vector instruction would trap."""
    found = {}
    for vector in (True, False):
        result = run_smoke(firmware, vector=vector)
        assert result.exit.code == 0, result.exit.reason
        match = MEMORY.search(result.log)
        assert match is not None, result.log
        assert match.group(1) == ("vector" if vector else "scalar")
        assert int(match.group(2)) > 10_000 and match.group(3) == "1"
        found[vector] = int(match.group(4))
    assert found[True] < found[False]


def test_forced_trap_fails_and_names_the_cause(firmware):
    result = run_smoke(firmware, vector=True, fault="trap")
    assert result.exit.code == EXIT_TRAP_BASE + 2
    assert not result.exit.ok
    assert "illegal instruction" in result.exit.reason
    assert "mcause=2" in result.exit.reason
    assert re.search(r"at pc=0x8[0-9a-f]{7}", result.exit.reason)
    assert "selftest: PASS" not in result.log


def test_stack_overflow_hits_the_guard_below_the_stack(firmware):
    result = run_smoke(firmware, vector=True, fault="stack-overflow")
    assert result.exit.code == EXIT_TRAP_BASE + 7
    assert "store access fault" in result.exit.reason
    fault_address = int(re.search(r"mtval=(0x[0-9a-f]+)", result.exit.reason).group(1), 16)
    symbols = linker_symbols(firmware)
    assert symbols["__bmrt_stack_guard"] <= fault_address < symbols["__stack_bottom"]


def linker_symbols(firmware) -> dict[str, int]:
    listing = subprocess.run(["llvm-nm-22", str(firmware)], check=True, capture_output=True,
                             text=True).stdout
    return {parts[2]: int(parts[0], 16) for parts in map(str.split, listing.splitlines())
            if len(parts) == 3}


def test_profile_plugin_counts_the_marked_vector_kernels(firmware, tmp_path):
    from bmrt.insn_profile import read_profile
    from bmrt.simulator import Simulator

    with Simulator(firmware, uart="none", boot_args="selftest",
                   profile_path=tmp_path / "profile.txt") as sim:
        assert sim.wait(timeout=60).ok
        log = sim.log_text()
    profile = read_profile(tmp_path / "profile.txt")
    assert profile.windows == 2  # the self-test marks its two vector kernels
    window = profile.window
    assert window["vector_arith"] > 0 and window["vsetvl"] > 0
    assert window["vector_load"] > 0 and window["vector_store"] > 0
    assert window["fp_load"] == 0 and window["fp_store"] == 0
    # Dot product and saxpy each read 1024 floats from two arrays; saxpy writes 1024 floats.
    # QEMU reports vector memory accesses element by element.
    assert window["mem_loads"] == 4 * 1024 and window["mem_load_bytes"] == 4 * 1024 * 4
    assert window["mem_stores"] == 1024 and window["mem_store_bytes"] == 1024 * 4
    # minstret's deltas also cover the calls and the counter reads around the windows.
    saxpy = re.search(r"saxpy scalar instructions=(\d+) .* vector instructions=(\d+)", log)
    minstret = results(log)["vector"][1] + int(saxpy.group(2))
    assert 0 < window["insns"] <= minstret
    assert profile.total["fp_arith"] >= 2 * 1024  # the scalar twins' multiply-adds


def run_profiled_selftest(firmware, tmp_path, vector: bool, vlen: int = 512):
    from bmrt.insn_profile import read_profile
    from bmrt.simulator import Simulator

    tmp_path.mkdir(parents=True, exist_ok=True)
    with Simulator(firmware, uart="none", boot_args="selftest", vector=vector, vlen=vlen,
                   profile_path=tmp_path / "profile.txt") as sim:
        assert sim.wait(timeout=60).ok
        log = sim.log_text()
    return read_profile(tmp_path / "profile.txt"), log


@pytest.mark.parametrize("vlen", [128, 512])
def test_plugin_window_total_equals_the_firmware_minstret_delta(firmware, tmp_path, vlen):
    profile, log = run_profiled_selftest(firmware, tmp_path, vector=True, vlen=vlen)
    deltas = [int(m.group(1)) for m in re.finditer(r"window minstret=(\d+)", log)]
    assert len(deltas) == profile.windows == 2
    # Per window, the plugin also counts the begin marker and the closing minstret read
    # (platform/qemu-virt-rv32/profile_marker.h, kCountedWindowExtraInstructions).
    assert profile.window["insns"] == sum(deltas) + 2 * len(deltas)


def test_scalar_cpu_runs_the_twins_without_any_vector_instruction(firmware, tmp_path):
    vector_profile, _ = run_profiled_selftest(firmware, tmp_path / "v", vector=True)
    scalar_profile, log = run_profiled_selftest(firmware, tmp_path / "s", vector=False)
    assert "selftest: PASS" in log
    assert vector_profile.vector_instructions("window") > 0
    assert scalar_profile.windows == 0
    assert scalar_profile.vector_instructions("total") == 0
    # The same dot product and saxpy ran as scalar float code instead.
    assert scalar_profile.total["fp_arith"] >= 2 * 1024
