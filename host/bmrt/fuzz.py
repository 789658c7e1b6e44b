"""Runs every libFuzzer target of a fuzz build and reports executions and coverage.

`python -m bmrt.fuzz --build build/fuzz --seconds 60 [--jobs N] [--only vmfb,server]
                    [--corpus-dir build/fuzz-corpus] [--runs N]`

With --runs a target stops after N executions (or after --seconds, whichever comes first).

A target is an executable named `*_fuzz` anywhere under the build directory. Its seed corpus is
`tests/corpus/<name without _fuzz>/` (read-only: new inputs go to a scratch copy, or with
--corpus-dir to `<dir>/<name>/`, kept between runs so that long campaigns build on each other),
and every file
in `tests/fuzz-regressions/<name without _fuzz>/` is replayed first: each is an input that once
crashed a parser and must never crash again. Any crash, leak or timeout fails the run.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class FuzzResult:
    target: str
    ok: bool
    executions: int
    coverage: int
    seconds: int
    regressions: int
    detail: str


def find_targets(build: Path) -> list[Path]:
    return sorted(p for p in build.rglob("*_fuzz") if p.is_file() and os.access(p, os.X_OK))


def _last_int(pattern: str, text: str) -> int:
    found = re.findall(pattern, text)
    return int(found[-1]) if found else 0


def run_target(binary: Path, seconds: int, corpus_root: Path | None = None,
               runs: int = 0) -> FuzzResult:
    name = binary.name.removesuffix("_fuzz")
    seeds = REPO / "tests" / "corpus" / name
    regressions = REPO / "tests" / "fuzz-regressions" / name
    regression_files = sorted(regressions.glob("*")) if regressions.is_dir() else []
    common = ["-rss_limit_mb=4096", "-timeout=10", "-print_final_stats=1"]
    if regression_files:
        replay = subprocess.run([str(binary), *common, *map(str, regression_files)],
                                capture_output=True, text=True, timeout=600)
        if replay.returncode != 0:
            return FuzzResult(name, False, 0, 0, 0, len(regression_files),
                              "regression input crashed:\n" + replay.stderr[-3000:])
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{name}-") as scratch:
        corpus = corpus_root / name if corpus_root else Path(scratch) / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        if seeds.is_dir():
            shutil.copytree(seeds, corpus, dirs_exist_ok=True)
        artifacts = Path(scratch) / "artifacts"
        artifacts.mkdir()
        limits = [f"-max_total_time={seconds}"] + ([f"-runs={runs}"] if runs else [])
        started = time.monotonic()
        run = subprocess.run(
            [str(binary), *common, *limits, f"-artifact_prefix={artifacts}/", str(corpus)],
            capture_output=True, text=True, timeout=seconds * 3 + 120)
        elapsed = max(1, round(time.monotonic() - started))
        log = run.stderr
        crashes = sorted(artifacts.glob("*"))
        detail = ""
        if run.returncode != 0 or crashes:
            kept = REPO / "build" / "fuzz-artifacts" / name
            kept.mkdir(parents=True, exist_ok=True)
            for crash in crashes:
                shutil.copy(crash, kept / crash.name)
            detail = f"crash inputs copied to {kept}\n" + log[-3000:]
        return FuzzResult(
            target=name,
            ok=run.returncode == 0 and not crashes,
            executions=_last_int(r"stat::number_of_executed_units:\s*(\d+)", log),
            coverage=_last_int(r"\bcov: (\d+)", log),
            seconds=elapsed,
            regressions=len(regression_files),
            detail=detail)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=REPO / "build" / "fuzz")
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per target")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", default="", help="comma-separated target names (default: all)")
    parser.add_argument("--corpus-dir", type=Path, help="keep each target's corpus in DIR/<name>")
    parser.add_argument("--runs", type=int, default=0, help="stop a target after N executions")
    args = parser.parse_args(argv)
    targets = find_targets(args.build)
    if args.only:
        wanted = set(args.only.split(","))
        targets = [t for t in targets if t.name.removesuffix("_fuzz") in wanted]
    if not targets:
        print(f"fuzz: no *_fuzz targets under {args.build}", file=sys.stderr)
        return 1
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda t: run_target(t, args.seconds, args.corpus_dir, args.runs), targets))
    print(f"{'target':<24}{'executions':>14}{'seconds':>9}{'exec/s':>10}{'coverage':>10}"
          f"{'regressions':>13}  result")
    for r in results:
        rate = r.executions // max(r.seconds, 1)
        print(f"{r.target:<24}{r.executions:>14,}{r.seconds:>9}{rate:>10,}{r.coverage:>10}"
              f"{r.regressions:>13}  "
              f"{'ok' if r.ok else 'CRASH'}")
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"\n{r.target}: {r.detail}", file=sys.stderr)
    print(f"fuzz: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
