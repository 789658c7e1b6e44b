"""Every corpus function runs in bmrt-run-module and in iree-run-module; the printed results
(and success or failure) must be identical."""
from __future__ import annotations

import re

import pytest

from vm_support import Case, all_cases, run_bmrt, run_iree

CASES = all_cases()

# IREE status codes that bmrt's smaller StatusCode set reports under another name.
CODE_EQUIVALENTS = {
    "PERMISSION_DENIED": "FAILED_PRECONDITION",
    "ALREADY_EXISTS": "FAILED_PRECONDITION",
    "UNAUTHENTICATED": "FAILED_PRECONDITION",
    "UNKNOWN": "INTERNAL",
    "CANCELLED": "ABORTED",
    "UNAVAILABLE": "ABORTED",
}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_matches_iree(case: Case, compiled_corpus, bmrt_runner) -> None:
    module = compiled_corpus[case.source]
    expected = run_iree(module, case.function, case.inputs)
    actual = run_bmrt(module, case.function, case.inputs)
    if expected.returncode != 0:
        assert actual.returncode != 0, (
            f"iree-run-module failed ({expected.stderr.strip()}) but bmrt succeeded:\n"
            f"{actual.stdout}")
        code = re.search(r"\b([A-Z][A-Z_]+[A-Z]);", expected.stderr)
        if code:
            expected_code = CODE_EQUIVALENTS.get(code.group(1), code.group(1))
            assert expected_code in actual.stderr, (
                f"status codes differ: iree {expected.stderr.strip()!r}, "
                f"bmrt {actual.stderr.strip()!r}")
        return
    assert actual.returncode == 0, f"bmrt failed: {actual.stderr}\nexpected:\n{expected.stdout}"
    assert actual.stdout == expected.stdout
