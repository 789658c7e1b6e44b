"""Every corpus function runs in bmrt-run-module and in iree-run-module; the printed results
(and success or failure) must be identical."""
from __future__ import annotations

import pytest

from conftest import Case, all_cases, run_bmrt, run_iree

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_matches_iree(case: Case, compiled_corpus, bmrt_runner) -> None:
    module = compiled_corpus[case.source]
    expected = run_iree(module, case.function, case.inputs)
    actual = run_bmrt(module, case.function, case.inputs)
    if expected.returncode != 0:
        assert actual.returncode != 0, (
            f"iree-run-module failed ({expected.stderr.strip()}) but bmrt succeeded:\n"
            f"{actual.stdout}")
        return
    assert actual.returncode == 0, f"bmrt failed: {actual.stderr}\nexpected:\n{expected.stdout}"
    assert actual.stdout == expected.stdout
