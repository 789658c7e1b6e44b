"""Host overhead: bmrt's invoke loop against iree-benchmark-module (local-sync) on x86_64.

Wall and CPU time per invocation come from interleaved pairs (bmrt, IREE, bmrt, IREE, ...): each
pair gives a ratio, and the median and spread of those ratios are reported. Instruction counts
come from callgrind with N and 2N invocations: the difference divided by N removes load and setup.
Instructions in code without an object file (the kernels both runtimes load from the .vmfb) are
counted apart, so the runtime's own share per invocation is visible.
"""
from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bmrt import compile as compiler
from bmrt import models
from bmrt.fetch import REPO_ROOT
from bmrt.iree_tools import find_tool

IREE_LIBS = "iree/_runtime_libs"
RUN_TIMEOUT_S = 300


@dataclass(frozen=True)
class HostModel:
    name: str
    source: Path
    inputs: tuple[str, ...]   # <shape>x<type>, zeros, as both runners read them
    invocations: int          # per timed run
    callgrind_invocations: int


def host_models() -> list[HostModel]:
    wand = models.resolve("magic_wand").path
    return [
        HostModel("add4", REPO_ROOT / "bench/models/add4.mlir", ("4xf32", "4xf32"), 5000, 100),
        HostModel("magic_wand", wand, ("1x128x3x1xf32",), 300, 10),
        HostModel("convnet", REPO_ROOT / "bench/models/convnet.mlir", ("1x32x32x3xf32",), 20, 2),
    ]


def iree_binary(name: str) -> Path:
    """The native executable behind the venv's console script (callgrind must not trace Python)."""
    import iree  # noqa: F401  (located through the installed package)
    for root in map(Path, iree.__path__):
        candidate = root / IREE_LIBS.split("/", 1)[1] / name
        if candidate.is_file():
            return candidate
    return find_tool(name)


def _run(command: list[str], env: dict | None = None) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout + done.stderr


class Runners:
    def __init__(self, build: Path):
        self.ours = build / "host/bench/invoke/bmrt-bench-invoke"
        self.shim = build / "host/bench/no_io_uring/libno_io_uring.so"
        for path in (self.ours, self.shim):
            if not path.is_file():
                raise RuntimeError(f"{path} missing: run `make host`")
        # Private copies: a concurrent `make host` relinking the build tree cannot break a run.
        self._copies = tempfile.TemporaryDirectory(prefix="bmrt-bench-bin-")
        copies = Path(self._copies.name)
        self.ours_source = self.ours
        self.ours = Path(shutil.copy2(self.ours, copies / self.ours.name))
        self.shim = Path(shutil.copy2(self.shim, copies / self.shim.name))
        self.iree = iree_binary("iree-benchmark-module")

    def ours_command(self, vmfb: Path, model: HostModel, n: int) -> list[str]:
        return [str(self.ours), f"--module={vmfb}", "--function=main", f"--repeat={n}",
                "--arena_bytes=16777216", *(f"--input={i}" for i in model.inputs)]

    def iree_command(self, vmfb: Path, model: HostModel, n: int) -> list[str]:
        return [str(self.iree), "--device=local-sync", f"--module={vmfb}", "--function=main",
                f"--benchmark_min_time={n}x", "--benchmark_format=json",
                *(f"--input={i}" for i in model.inputs)]

    def time_ours(self, vmfb: Path, model: HostModel, n: int) -> tuple[float, float]:
        out = _run(self.ours_command(vmfb, model, n))
        wall = float(re.search(r"ns_per_invocation=([\d.]+)", out).group(1))
        cpu = float(re.search(r"cpu_ns_per_invocation=([\d.]+)", out).group(1))
        return wall, cpu

    def time_iree(self, vmfb: Path, model: HostModel, n: int) -> tuple[float, float]:
        done = subprocess.run(self.iree_command(vmfb, model, n), capture_output=True, text=True,
                              timeout=RUN_TIMEOUT_S)
        if done.returncode != 0:
            raise RuntimeError(f"iree-benchmark-module failed: {done.stderr[-2000:]}")
        run = json.loads(done.stdout)["benchmarks"][0]
        scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[run["time_unit"]]
        return run["real_time"] * scale, run["cpu_time"] * scale


def _spread(values: list[float]) -> dict:
    ordered = sorted(values)
    quartiles = statistics.quantiles(ordered, n=4) if len(ordered) >= 2 else ordered * 3
    return {"median": statistics.median(ordered), "p25": quartiles[0], "p75": quartiles[-1],
            "min": ordered[0], "max": ordered[-1], "samples": len(ordered)}


def interleaved(runners: Runners, vmfb: Path, model: HostModel, pairs: int, n: int) -> dict:
    wall_ratios, cpu_ratios, ours_wall, iree_wall, ours_cpu, iree_cpu = [], [], [], [], [], []
    runners.time_ours(vmfb, model, n)  # warm the page cache and CPU frequency once
    for index in range(pairs):
        # Alternate which runner goes first so neither always follows the other.
        if index % 2 == 0:
            a, b = runners.time_ours(vmfb, model, n), runners.time_iree(vmfb, model, n)
        else:
            b, a = runners.time_iree(vmfb, model, n), runners.time_ours(vmfb, model, n)
        ours_wall.append(a[0]); iree_wall.append(b[0]); ours_cpu.append(a[1]); iree_cpu.append(b[1])
        wall_ratios.append(a[0] / b[0]); cpu_ratios.append(a[1] / b[1])
    return {"invocations_per_run": n, "pairs": pairs,
            "wall_ratio": _spread(wall_ratios), "cpu_ratio": _spread(cpu_ratios),
            "ours_wall_ns": _spread(ours_wall), "iree_wall_ns": _spread(iree_wall),
            "ours_cpu_ns": _spread(ours_cpu), "iree_cpu_ns": _spread(iree_cpu)}


def _callgrind(command: list[str], out: Path, env: dict | None = None) -> dict[str, int]:
    """Total Ir, Ir in code outside any object file (loaded kernels), and per-function Ir."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise RuntimeError("valgrind not found (run `make setup`)")
    _run([valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *command], env=env)
    text = subprocess.run(["callgrind_annotate", "--threshold=100", str(out)], capture_output=True,
                          text=True, timeout=RUN_TIMEOUT_S).stdout
    functions: dict[str, int] = {}
    total = kernels = 0
    for line in text.splitlines():
        match = re.match(r"\s*([\d,]+)\s+(?:\([\s\d.%]+\)\s+)?(.*)$", line)
        if not match:
            continue
        count, name = int(match.group(1).replace(",", "")), match.group(2).strip()
        if name.startswith("PROGRAM TOTALS"):
            total = count
        elif name:
            functions[name] = count
            if name.startswith("???:0x") and name.endswith("[???]"):
                kernels += count
    return {"total": total, "kernels": kernels, "functions": functions}


def _short(name: str) -> str:
    name = re.sub(r"^\S*?:(?=[^/])", "", name, count=1) if not name.startswith("???:0x") else name
    name = re.sub(r"\s*\[[^\]]*\]$", "", name)
    return re.sub(r"\(.*\)", "()", name)[:90]


def instruction_counts(runners: Runners, vmfb: Path, model: HostModel, n: int) -> dict:
    env = {"LD_PRELOAD": str(runners.shim), "PATH": "/usr/bin:/bin"}
    with tempfile.TemporaryDirectory(prefix="bmrt-callgrind-") as scratch:
        work = Path(scratch)
        # clang-22's DWARF 5 is beyond valgrind 3.19's reader: profile a copy without it.
        ours = work / "bmrt-bench-invoke"
        subprocess.run(["llvm-strip-22", "--strip-debug", "-o", str(ours), str(runners.ours)],
                       check=True, timeout=60)
        stripped = object.__new__(Runners)
        stripped.ours, stripped.iree, stripped.shim = ours, runners.iree, runners.shim
        counts = {}
        for who, make in (("ours", stripped.ours_command), ("iree", stripped.iree_command)):
            one = _callgrind(make(vmfb, model, n), work / f"{who}-1.out", env)
            two = _callgrind(make(vmfb, model, 2 * n), work / f"{who}-2.out", env)
            per_total = (two["total"] - one["total"]) / n
            per_kernel = (two["kernels"] - one["kernels"]) / n
            top = sorted(((two["functions"].get(f, 0) - one["functions"].get(f, 0)) / n, f)
                         for f in two["functions"])
            counts[who] = {
                "instructions_per_invocation": round(per_total),
                "kernel_instructions_per_invocation": round(per_kernel),
                "runtime_instructions_per_invocation": round(per_total - per_kernel),
                "top_functions": [{"function": _short(f), "instructions": round(c)}
                                  for c, f in reversed(top[-8:]) if c > 0],
                "top_runtime_functions": [{"function": _short(f), "instructions": round(c)}
                                          for c, f in reversed(top)
                                          if c > 0 and not f.startswith("???:0x")][:8],
            }
    counts["ratio_total"] = (counts["ours"]["instructions_per_invocation"]
                             / counts["iree"]["instructions_per_invocation"])
    counts["ratio_runtime"] = (counts["ours"]["runtime_instructions_per_invocation"]
                               / max(1, counts["iree"]["runtime_instructions_per_invocation"]))
    counts["invocations"] = [n, 2 * n]
    return counts


def host_overhead(build: Path, quick: bool) -> dict:
    runners = Runners(build)
    example = host_models()[0]

    def shown(command: str) -> str:
        command = command.replace(str(runners.ours), str(runners.ours_source))
        return command.replace(f"{REPO_ROOT}/", "")
    results = {"ours_command": shown(" ".join(runners.ours_command(Path("<m.vmfb>"), example, 0)
                                        ).replace("--repeat=0", "--repeat=N")),
               "iree_command": shown(" ".join(runners.iree_command(Path("<m.vmfb>"), example, 0)
                                        ).replace("=0x", "=Nx")),
               "models": {}}
    for model in host_models():
        vmfb = compiler.compile_model(model.source, "x86_64").vmfb
        pairs = 3 if quick else 21
        n = max(1, model.invocations // 50) if quick else model.invocations
        entry = {"vmfb": str(vmfb.relative_to(REPO_ROOT) if vmfb.is_relative_to(REPO_ROOT) else vmfb),
                 "vmfb_bytes": vmfb.stat().st_size, "inputs": list(model.inputs),
                 "timing": interleaved(runners, vmfb, model, pairs, n),
                 "callgrind": instruction_counts(runners, vmfb, model,
                                                 1 if quick else model.callgrind_invocations)}
        results["models"][model.name] = entry
    return results
