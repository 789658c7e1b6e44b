"""Results JSON (Kenning keys + ours) and the Markdown report, from a synthetic evaluation."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bmrt import report, results

CLASSES = ["wing", "ring", "slope", "negative"]
KENNING_KEYS = ("model_framework", "model_version", "compilers", "optimizers", "command",
                "build_cfg", "class_names", "eval_confusion_matrix", "total",
                "protocol_inference_step", "protocol_inference_step_timestamp",
                "target_inference_step", "compiled_model_size", "allocation_stats")


def _run(target: str, outputs: np.ndarray, base: int) -> results.TargetRun:
    count = len(outputs)
    return results.TargetRun(
        target=target, outputs=outputs, instructions=[base + i for i in range(count)],
        host_inference_seconds=[0.01] * count, upload_bytes=30000, upload_seconds=1.5,
        allocation_stats={"arena_peak": 200000, "host_bytes_peak": 150000},
        compiled={"size": 30000, "compiler_version": "3.13.0",
                  "flags": ["--iree-llvmcpu-target-cpu-features=+m,+f"]},
        host_inference_timestamps=[0.5 * i for i in range(count)])


@pytest.fixture
def synthetic():
    labels = np.array([0, 1, 2, 3, 0, 1, 2, 3])
    reference = np.eye(4, dtype=np.float32)[[0, 1, 2, 3, 0, 1, 3, 3]] * 0.9 + 0.025
    device = reference.copy()
    device[0, 0] += 2e-5
    runs = [_run("rv32-vector", device, 1_000_000), _run("rv32-scalar", device, 3_000_000)]
    return results.build(runs=runs, labels=labels,
                         references={"tflite": reference, "iree-base-runtime": reference},
                         class_names=CLASSES, model={"name": "magic_wand", "framework": "tflite"},
                         dataset={"split": "test", "units": "milli-g"}, scenario={"name": "t"},
                         command=["bmrt", "evaluate"], quantized=False)


def test_results_have_kennings_keys_and_ours(synthetic, tmp_path):
    path = results.save(synthetic, tmp_path / "results.json")
    loaded = json.loads(path.read_text())
    for key in KENNING_KEYS:
        assert key in loaded, key
    assert loaded["class_names"] == CLASSES
    assert loaded["eval_confusion_matrix"][2] == [0, 0, 1, 1]
    assert loaded["host_bytes_peak"] == 150000
    assert loaded["protocol_inference_step_timestamp"] == [0.5 * i for i in range(8)]
    assert loaded["target_inference_step"][0] == pytest.approx(1e-3)
    vector = loaded["bmrt"]["runs"][0]
    assert vector["accuracy"] == pytest.approx(7 / 8)
    assert vector["agreement"]["tflite"] == 1.0
    assert vector["output_difference"]["iree-base-runtime"]["max_abs"] == pytest.approx(2e-5,
                                                                                          rel=1e-2)
    assert vector["upload"]["bytes_per_second"] == pytest.approx(20000)
    assert vector["goals"] == {"tflite_agreement>=99.5%": True, "iree_max_rel<=1e-5": False}
    comparison = loaded["bmrt"]["comparison"]["others"]["rv32-scalar"]
    assert comparison["instruction_ratio"] == pytest.approx(3_000_003.5 / 1_000_003.5)


def test_output_difference_is_relative_to_the_sample_magnitude():
    reference = np.array([[1.0, 1e-30], [0.5, 0.5]])
    outputs = np.array([[1.0, 2e-30], [0.5, 0.5 + 1e-6]])
    difference = results.output_difference(outputs, reference)
    assert difference["max_abs"] == pytest.approx(1e-6)
    assert difference["max_rel"] == pytest.approx(2e-6)


def test_report_writes_markdown_and_images(synthetic, tmp_path, capsys):
    path = results.save(synthetic, tmp_path / "results.json")
    from bmrt.__main__ import main
    assert main(["report", str(path)]) == 0
    markdown = (tmp_path / "report.md").read_text()
    images = sorted(tmp_path.glob("*.png"))
    names = {image.name for image in images}
    assert {"report-confusion-rv32-vector.png", "report-confusion-rv32-scalar.png",
            "report-agreement.png", "report-instructions.png", "report-comparison.png"} <= names
    for image in images:
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({image.name})" in markdown
    terminal = capsys.readouterr().out
    assert "rv32-vector" in terminal and "rv32-scalar" in terminal and "87.50 %" in terminal


def test_report_without_instruction_counts_skips_those_plots(tmp_path):
    labels = np.array([0, 1])
    outputs = np.eye(4, dtype=np.float32)[[0, 1]]
    run = _run("rv32-vector", outputs, 0)
    run.instructions = []
    data = results.build(runs=[run], labels=labels, references={"tflite": outputs},
                         class_names=CLASSES, model={}, dataset={}, scenario={}, command=[],
                         quantized=False)
    assert "target_inference_step" not in data
    report.render(data, tmp_path / "r.md")
    assert not (tmp_path / "r-instructions.png").exists()
    assert not (tmp_path / "r-comparison.png").exists()
    assert (tmp_path / "r-confusion-rv32-vector.png").exists()


def test_report_of_a_missing_file_is_an_error(tmp_path, capsys):
    from bmrt.__main__ import main
    assert main(["report", str(tmp_path / "none.json")]) == 1
    assert "cannot read results" in capsys.readouterr().err
