"""The rv32-vector build of the float magic-wand model makes the vector unit do the work.

Both builds run through evaluate's own pipeline (firmware inference server in QEMU, the
instruction-profile plugin counting inside the inference windows) on the same windows. The
vector build must give iree-base-runtime's outputs, execute vector arithmetic inside the
windows, and need at most half the scalar build's instructions per inference (measured: 0.35x;
docs/evaluation.md, "Vector code generation").
"""
from __future__ import annotations

import copy

import numpy as np
import pytest

from bmrt import compile as compiler
from bmrt import evaluate, models, scenario
from bmrt.reference import IreeReference

WINDOWS = 3
MAX_INSTRUCTION_RATIO = 0.5
MIN_VECTOR_SHARE = 0.10


def _run(target: str, windows: np.ndarray, tmp_path) -> "evaluate.results.TargetRun":
    config = copy.deepcopy(scenario.load(None))
    config["simulator"]["profile"] = True
    if not scenario.resolve_path(config["runtime"]["firmware"]).is_file():
        pytest.fail("firmware missing: run `make firmware` first")
    output_dir = tmp_path / target
    output_dir.mkdir()
    try:
        return evaluate.run_target(config, models.resolve("magic_wand"),
                                   compiler.TARGETS[target], windows, output_dir)
    except evaluate.EvaluationError as error:
        pytest.fail(f"{target}: {error}")


@pytest.fixture(scope="module")
def windows() -> np.ndarray:
    rng = np.random.default_rng(512)
    return rng.uniform(-1500.0, 1500.0, (WINDOWS, 128, 3, 1)).astype(np.float32)  # milli-g


def test_vector_build_uses_the_vector_unit(windows, tmp_path):
    model = models.resolve("magic_wand")
    vector = _run("rv32-vector", windows, tmp_path)
    scalar = _run("rv32-scalar", windows, tmp_path)

    reference = IreeReference(compiler.compile_model(model.path, "x86_64").vmfb, model.io_spec)
    expected = reference.run(windows)
    for run in (vector, scalar):
        np.testing.assert_allclose(run.outputs.reshape(expected.shape), expected,
                                   rtol=1e-4, atol=1e-5, err_msg=run.target)

    profile = vector.statistics["insn_profile"]
    assert profile["windows"] == WINDOWS
    window = profile["window"]
    vector_insns = sum(window[name] for name in
                       ("vector_arith", "vector_load", "vector_store", "vsetvl"))
    assert window["vector_arith"] > 0
    assert vector_insns >= MIN_VECTOR_SHARE * window["insns"]
    assert scalar.statistics["insn_profile"]["window"]["vector_arith"] == 0

    assert len(vector.instructions) == len(scalar.instructions) == WINDOWS
    ratio = max(vector.instructions) / min(scalar.instructions)
    assert ratio <= MAX_INSTRUCTION_RATIO, (vector.instructions, scalar.instructions)
