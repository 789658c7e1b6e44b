"""`python -m bmrt smoke`: boots the firmware's self-test in QEMU and reports the result.

The self-test runs a vector dot product and its scalar twin, checks both against an exact
reference and logs their retired-instruction counts; the run passes when QEMU exits with 0.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bmrt.insn_profile import InsnProfile, read_profile
from bmrt.simulator import ExitInfo, Simulator

DEFAULT_FIRMWARE = "build/rv32/platform/qemu-virt-rv32/bmrt-firmware.elf"
INSTRUCTIONS = re.compile(r"selftest: (scalar|vector) result=(-?\d+)/2 instructions=(\d+)")


@dataclass(frozen=True)
class SmokeResult:
    cpu: str
    exit: ExitInfo
    log: str

    def instructions(self, kernel: str) -> int | None:
        for match in INSTRUCTIONS.finditer(self.log):
            if match.group(1) == kernel:
                return int(match.group(3))
        return None


FAULTS = ("trap", "stack-overflow")  # boot words the self-test understands


def run_smoke(firmware: Path, *, vector: bool = True, vlen: int = 512, fault: str | None = None,
              log_path: Path | None = None, timeout: float = 30.0,
              profile_path: Path | None = None) -> SmokeResult:
    """Boots the self-test; `fault` ("trap": illegal instruction, "stack-overflow": hits the
    stack guard) makes it end with that fault after its checks. With `profile_path`, the
    instruction-profile plugin reports there (each vector kernel is one marked window)."""
    if fault is not None and fault not in FAULTS:
        raise ValueError(f"unknown self-test fault {fault!r}; choose from {FAULTS}")
    boot_args = f"selftest {fault}" if fault else "selftest"
    with Simulator(firmware, vector=vector, vlen=vlen, boot_args=boot_args, log_path=log_path,
                   uart="none", profile_path=profile_path) as sim:
        info = sim.wait(timeout)
        return SmokeResult("vector" if vector else "scalar", info, sim.log_text())


def print_profile(profile: InsnProfile) -> None:
    if not profile.windows:
        print("    profile: no marked window ran (no vector unit)")
        return
    counts = {name: count for name, count in profile.window.items() if count}
    classes = ", ".join(f"{name} {count}" for name, count in counts.items()
                        if not name.startswith("mem_") and name != "insns")
    print(f"    vector kernels ({profile.windows} windows): {counts.get('insns', 0)} instructions "
          f"({classes}); "
          f"{counts.get('mem_loads', 0)} loads / {counts.get('mem_load_bytes', 0)} B, "
          f"{counts.get('mem_stores', 0)} stores")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--firmware", type=Path, default=Path(DEFAULT_FIRMWARE))
    parser.add_argument("--cpu", choices=("vector", "scalar", "both"), default="both",
                        help="QEMU CPU: rv32 with V (VLEN 512), without, or both in turn")
    parser.add_argument("--vlen", type=int, default=512, help="VLEN of the vector CPU (bits)")
    parser.add_argument("--fault", choices=FAULTS, default=None,
                        help="end the self-test with this fault (the run must then fail)")
    parser.add_argument("--log-dir", type=Path, default=None,
                        help="keep the firmware logs here (smoke-<cpu>.log)")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--profile", action="store_true",
                        help="count the vector kernels' instructions by class with the QEMU "
                             "plugin (built by `make host`)")


def run(args: argparse.Namespace) -> int:
    cpus = ("vector", "scalar") if args.cpu == "both" else (args.cpu,)
    status = 0
    with tempfile.TemporaryDirectory(prefix="bmrt-smoke-") as scratch:
        for cpu in cpus:
            log_path = args.log_dir / f"smoke-{cpu}.log" if args.log_dir else None
            profile_path = None
            if args.profile:
                profile_path = (args.log_dir or Path(scratch)) / f"smoke-{cpu}-profile.txt"
            result = run_smoke(args.firmware, vector=cpu == "vector", vlen=args.vlen,
                               fault=args.fault, log_path=log_path, timeout=args.timeout,
                               profile_path=profile_path)
            report(cpu, result)
            if profile_path is not None:
                print_profile(read_profile(profile_path))
            if not result.exit.ok:
                status = 1
    return status


def report(cpu: str, result: SmokeResult) -> None:
    print(f"--- {cpu} CPU: firmware log ---")
    print(result.log.rstrip())
    verdict = "PASS" if result.exit.ok else "FAIL"
    print(f"--- {cpu} CPU: {verdict}: exit status {result.exit.code} ({result.exit.reason})")
    scalar, vector = result.instructions("scalar"), result.instructions("vector")
    if scalar and vector:
        print(f"    instructions: scalar {scalar}, vector {vector} ({scalar / vector:.1f}x fewer)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
