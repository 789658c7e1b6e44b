"""`make bench`: bmrt against the strongest reference on the same work, as ratios.

    python -m bmrt.bench [--quick] [--out docs/benchmarks.md]

Writes docs/benchmarks.md and docs/benchmarks.json. Sections (bench/README.md):
  host      x86_64 .vmfb models: bmrt-bench-invoke vs iree-benchmark-module (local-sync),
            interleaved A/B runs (median ratio and spread) and callgrind instruction counts
  simulated magic wand on the QEMU core through the firmware's server (exact instructions)
  footprint firmware sections per component (linker map)
  memory    arena use against module bytes plus the largest live activations
  link      model upload bytes/s against an echo of the same bytes over the same UART
The machine is shared and noisy: only ratios taken in one run are compared.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bmrt.bench_host import host_overhead
from bmrt.bench_target import footprint, link_speed, memory, simulated
from bmrt.bench_report import machine, write_documents
from bmrt.fetch import REPO_ROOT

DEFAULT_OUT = REPO_ROOT / "docs" / "benchmarks.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bmrt.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="tiny mode (3 pairs, few invocations): checks the machinery only")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="Markdown output; the JSON goes beside it (default docs/benchmarks.md)")
    parser.add_argument("--build", type=Path, default=REPO_ROOT / "build",
                        help="build directory holding host/ and rv32/")
    args = parser.parse_args(argv)
    started = time.time()
    command = "make bench" if not args.quick else "python -m bmrt.bench --quick"
    results = {"command": command, "quick": args.quick, "machine": machine()}
    steps = [("host", lambda: host_overhead(args.build, args.quick)),
             ("simulated", lambda: simulated(args.build, args.quick)),
             ("footprint", lambda: footprint(args.build)),
             ("memory", lambda: memory(
                 args.build, results["simulated"]["targets"]["rv32-vector"]["server_stats"])),
             ("link", lambda: link_speed(args.build, args.quick))]
    for name, step in steps:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        section_start = time.time()
        results[name] = step()
        results[name]["seconds"] = round(time.time() - section_start, 1)
    results["seconds"] = round(time.time() - started, 1)
    markdown, json_path = write_documents(results, args.out)
    print(f"bench: wrote {markdown} and {json_path} in {results['seconds']} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
