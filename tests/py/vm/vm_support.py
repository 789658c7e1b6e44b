"""Shared fixtures for the VM differential tests: the corpus, its compiled modules and the two
runners (bmrt-run-module from the host build, iree-run-module from the pinned venv)."""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from bmrt import iree_tools

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / "tests" / "vm" / "modules"
# $BMRT_RUN_MODULE selects another build of the runner (e.g. a sanitizer build).
BMRT_RUN_MODULE = Path(os.environ.get(
    "BMRT_RUN_MODULE", REPO / "build" / "host" / "tools" / "run_module" / "bmrt-run-module"))
RUN_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Case:
    """One `// CASE: function arg...` line of a corpus module."""

    source: Path
    function: str
    inputs: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.source.stem}:{self.function}({','.join(self.inputs)})"


@dataclass(frozen=True)
class RunResult:
    returncode: int
    stdout: str
    stderr: str


def corpus_sources() -> list[Path]:
    return sorted(CORPUS.glob("*.mlir"))


def read_header(source: Path) -> tuple[str, list[str], list[Case]]:
    """MODE (std or vm), extra FLAGS and CASE lines of a corpus module."""
    mode, flags, cases = "std", [], []
    for line in source.read_text().splitlines():
        if m := re.match(r"//\s*(?:MODE|compile):\s*(\w+)", line):
            mode = m.group(1)
        elif m := re.match(r"//\s*FLAGS:\s*(.*)", line):
            flags.extend(m.group(1).split())
        elif m := re.match(r"//\s*CASE:\s*(\S+)\s*(.*)", line):
            cases.append(Case(source, m.group(1), tuple(m.group(2).split())))
    return mode, flags, cases


def all_cases() -> list[Case]:
    return [case for source in corpus_sources() for case in read_header(source)[2]]


def compile_module(source: Path, out_dir: Path) -> Path:
    mode, flags, _ = read_header(source)
    output = out_dir / (source.stem + ".vmfb")
    if mode == "vm":
        return iree_tools.compile_mlir(source, output, target=None, extra_args=flags)
    # A program without tensor work: the standard pipeline produces a VM-only module.
    return iree_tools.compile_mlir(source, output, target=None,
                                   extra_args=["--compile-mode=std", *flags])


def run_tool(command: list[str]) -> RunResult:
    done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS)
    return RunResult(done.returncode, done.stdout, done.stderr)


def run_bmrt(module: Path, function: str, inputs: tuple[str, ...]) -> RunResult:
    return run_tool([str(BMRT_RUN_MODULE), f"--module={module}", f"--function={function}",
                     *[f"--input={value}" for value in inputs]])


def run_iree(module: Path, function: str, inputs: tuple[str, ...]) -> RunResult:
    return run_tool([str(iree_tools.find_tool("iree-run-module")), f"--module={module}",
                     f"--function={function}", *[f"--input={value}" for value in inputs]])


@pytest.fixture(scope="session")
def bmrt_runner() -> Path:
    if not BMRT_RUN_MODULE.is_file():
        pytest.fail(f"{BMRT_RUN_MODULE} is missing: run `make host` first")
    return BMRT_RUN_MODULE


class CompiledCorpus:
    """Compiles each corpus module on first use, once per session."""

    def __init__(self, out_dir: Path) -> None:
        self._out_dir = out_dir
        self._modules: dict[Path, Path | Exception] = {}

    def __getitem__(self, source: Path) -> Path:
        if source not in self._modules:
            try:
                self._modules[source] = compile_module(source, self._out_dir)
            except iree_tools.IreeToolError as error:
                self._modules[source] = error
        found = self._modules[source]
        if isinstance(found, Exception):
            raise found
        return found


@pytest.fixture(scope="session")
def compiled_corpus(tmp_path_factory: pytest.TempPathFactory) -> CompiledCorpus:
    return CompiledCorpus(tmp_path_factory.mktemp("vm-corpus"))
