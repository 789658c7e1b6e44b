"""Bytecode calling into the native_test module: each import-calling function must print what
its bytecode twin prints in iree-run-module; linking errors name the offending import."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from vm_support import REPO, CompiledCorpus, run_bmrt, run_iree

NATIVE = REPO / "tests" / "vm" / "native"
IMPORTS = NATIVE / "imports.mlir"
TWINS = NATIVE / "twins.mlir"


def pairs() -> list[tuple[str, str, tuple[str, ...]]]:
    found = []
    for line in IMPORTS.read_text().splitlines():
        if m := re.match(r"//\s*PAIR:\s*(\S+)\s+(\S+)\s*(.*)", line):
            found.append((m.group(1), m.group(2), tuple(m.group(3).split())))
    return found


PAIRS = pairs()


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p[0]}({','.join(p[2])})" for p in PAIRS])
def test_import_matches_bytecode_twin(pair, compiled_corpus: CompiledCorpus, bmrt_runner) -> None:
    import_fn, twin_fn, inputs = pair
    expected = run_iree(compiled_corpus[TWINS], twin_fn, inputs)
    assert expected.returncode == 0, expected.stderr
    actual = run_bmrt(compiled_corpus[IMPORTS], import_fn, inputs)
    assert actual.returncode == 0, actual.stderr
    assert actual.stdout == expected.stdout.replace(f"EXEC @{twin_fn}", f"EXEC @{import_fn}")


def test_native_failure_is_reported(compiled_corpus: CompiledCorpus, bmrt_runner) -> None:
    result = run_bmrt(compiled_corpus[IMPORTS], "fail_import", ("7",))
    assert result.returncode != 0
    assert "ABORTED" in result.stderr
    assert "native_test.fail called with 7" in result.stderr


@pytest.mark.parametrize("source, needle", [
    ("missing_import.mlir", "native_test.no_such_function"),
    ("cconv_mismatch.mlir", "0II_I"),
])
def test_link_errors_name_the_import(source: str, needle: str, compiled_corpus: CompiledCorpus,
                                     bmrt_runner) -> None:
    result = run_bmrt(compiled_corpus[NATIVE / source], "f", ("1",))
    assert result.returncode != 0
    assert "linking module" in result.stderr
    assert needle in result.stderr
