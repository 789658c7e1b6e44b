"""Compiles the VM test modules (tests/vm/modules/*.mlir) with the pinned iree-compile.

A header line in each source says how to compile it (the same convention as the VM
differential tests in tests/py/vm/conftest.py; `// FLAGS: ...` adds compiler flags):
    // MODE: vm        a vm.module, compiled with --compile-mode=vm
    // MODE: std       func-level code without tensors (full pipeline, no device); the default
    // MODE: riscv32   tensor code with HAL and llvm-cpu codegen for the simulated core
    // MODE: x86_64    the same for the host CPU

    python tests/vm/compile_modules.py --out build/vm-modules [--seed-corpus tests/corpus/vmfb] [x.mlir...]

--seed-corpus also copies every module of at most --seed-max-bytes into the fuzz seed corpus
(named after the source), which is how tests/corpus/vmfb/ is regenerated.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "host"))

from bmrt import iree_tools  # noqa: E402

MODULES = REPO / "tests" / "vm" / "modules"
MODES = {"vm": None, "std": "scalar", "riscv32": "riscv32", "x86_64": "x86_64"}


def read_header(source: Path) -> tuple[str, list[str]]:
    """The MODE and extra FLAGS of a module source."""
    mode, flags = "std", []
    for line in source.read_text().splitlines():
        if m := re.match(r"//\s*(?:MODE|compile):\s*(\w+)", line):
            mode = m.group(1)
        elif m := re.match(r"//\s*FLAGS:\s*(.*)", line):
            flags.extend(m.group(1).split())
    if mode not in MODES:
        raise iree_tools.IreeToolError(f"{source}: unknown MODE {mode!r} ({', '.join(MODES)})")
    return mode, flags


def compile_one(source: Path, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / (source.stem + ".vmfb")
    # Recompile only when the source (or this script) is newer than the output.
    newest_input = max(source.stat().st_mtime, Path(__file__).stat().st_mtime)
    if output.exists() and output.stat().st_mtime >= newest_input:
        return output
    mode, flags = read_header(source)
    iree_tools.compile_mlir(source, output, target=MODES[mode], extra_args=flags)
    return output


def compile_all(out_dir: Path, sources: list[Path] | None = None) -> dict[str, Path]:
    """Compiles every module (or `sources`); returns {stem: vmfb path}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return {s.stem: compile_one(s, out_dir) for s in sources or sorted(MODULES.glob("*.mlir"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "vm-modules")
    parser.add_argument("--seed-corpus", type=Path, help="also copy small modules here")
    parser.add_argument("--seed-max-bytes", type=int, default=8192)
    parser.add_argument("sources", nargs="*", type=Path, help="modules to compile (default: all)")
    args = parser.parse_args()
    failures = 0
    for source in args.sources or sorted(MODULES.glob("*.mlir")):
        try:
            path = compile_one(source, args.out)
        except iree_tools.IreeToolError as error:
            print(f"FAILED {source.name}: {str(error).splitlines()[0]}", file=sys.stderr)
            failures += 1
            continue
        print(f"{path}  {path.stat().st_size} bytes")
        if args.seed_corpus and path.stat().st_size <= args.seed_max_bytes:
            args.seed_corpus.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, args.seed_corpus / f"{source.stem}.vmfb")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
