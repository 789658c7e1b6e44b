"""The firmware's self-test in QEMU: vector and scalar kernels agree, exits and traps decode."""
from __future__ import annotations

import re

from bmrt.simulator import EXIT_TRAP_BASE
from bmrt.smoke import run_smoke

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


def test_scalar_cpu_reports_no_vector_unit_and_passes(firmware):
    result = run_smoke(firmware, vector=False)
    assert result.exit.code == 0, result.exit.reason
    assert "no vector unit" in result.log
    assert "VLEN=" not in result.log
    found = results(result.log)
    assert "vector" not in found
    assert found["scalar"][0] == int(REFERENCE.search(result.log).group(1))


def test_forced_trap_fails_and_names_the_cause(firmware):
    result = run_smoke(firmware, vector=True, force_trap=True)
    assert result.exit.code == EXIT_TRAP_BASE + 2
    assert not result.exit.ok
    assert "illegal instruction" in result.exit.reason
    assert "mcause=2" in result.exit.reason
    assert re.search(r"at pc=0x8[0-9a-f]{7}", result.exit.reason)
    assert "selftest: PASS" not in result.log
