"""Writes the seed corpus of the vm_exec fuzz target (runtime/hal/vm_exec_fuzz.cc).

Each seed is 8 bytes of argument material followed by a module of tests/corpus/vmfb/ (itself
compiled from tests/vm/modules/ by tests/vm/compile_modules.py --seed-corpus):

    python tests/corpus/make_vm_exec_seeds.py [--modules tests/corpus/vmfb] [--out tests/corpus/vm_exec]
"""
from __future__ import annotations

import argparse
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Small counts keep loops short; the second set reaches edge cases (negative, zero divisor).
ARGUMENTS = {"a": struct.pack("<ii", 3, 7), "b": struct.pack("<ii", -1, 0)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=Path, default=HERE / "vmfb")
    parser.add_argument("--out", type=Path, default=HERE / "vm_exec")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    modules = sorted(args.modules.glob("*.vmfb"))
    for module in modules:
        for tag, material in ARGUMENTS.items():
            (args.out / f"{module.stem}_{tag}").write_bytes(material + module.read_bytes())
    print(f"{len(modules) * len(ARGUMENTS)} seeds in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
