"""The profile keys in results JSON and the report's profile plots, from synthetic runs."""
from __future__ import annotations

import numpy as np

from bmrt import report, results

CLASSES = ["wing", "ring", "slope", "negative"]


def _statistics(scale: int, vector: bool) -> dict:
    return {
        "opcode_counters": {"insns": 100 * scale, "int_alu": 60 * scale, "fp_arith": 20 * scale,
                            "vector_arith": 20 * scale if vector else 0, "mem_loads": 7},
        "kernel_instructions": {"main_dispatch_1_conv": 70.0 * scale,
                                "main_dispatch_0_copy": 5.0 * scale},
        "instructions_by_component": {"kernels": 75.0 * scale, "vm": 15.0, "hal": 10.0},
        "memory_by_region": {"model_bytes": {"loads": 40.0, "stores": 0.0, "load_bytes": 160.0,
                                             "store_bytes": 0.0},
                             "arena": {"loads": 20.0, "stores": 10.0, "load_bytes": 80.0,
                                       "store_bytes": 40.0}},
    }


def _run(target: str, scale: int, vector: bool) -> results.TargetRun:
    outputs = np.eye(4, dtype=np.float32)
    return results.TargetRun(
        target=target, outputs=outputs, instructions=[100 * scale] * 4,
        host_inference_seconds=[0.01] * 4, upload_bytes=100, upload_seconds=1.0,
        allocation_stats={}, compiled={"size": 100, "compiler_version": "3.13.0"},
        statistics=_statistics(scale, vector))


def test_profile_keys_reach_the_results_and_the_plots_render(tmp_path):
    runs = [_run("rv32-vector", 1, True), _run("rv32-scalar", 3, False)]
    measured = results.build(runs=runs, labels=np.arange(4), references={},
                             class_names=CLASSES, model={"name": "m"}, dataset={},
                             scenario={}, command=["bmrt"], quantized=False)
    for key in results.PROFILE_KEYS:
        assert measured[key] == runs[0].statistics[key]  # the primary run at the top level
    for run, metrics in zip(runs, measured["bmrt"]["runs"]):
        assert metrics["kernel_instructions"] == run.statistics["kernel_instructions"]
        assert metrics["memory_by_region"] == run.statistics["memory_by_region"]
    path = report.render(measured, tmp_path / "report.md")
    text = path.read_text()
    for stem in ("opcodes", "vector-share", "kernels", "components", "memory", "comparison"):
        png = tmp_path / f"report-{stem}.png"
        assert png.is_file() and png.read_bytes()[:4] == b"\x89PNG", stem
        assert f"]({png.name})" in text


def test_runs_without_a_profile_get_no_profile_plots(tmp_path):
    run = _run("rv32-vector", 1, True)
    run.statistics = {}
    measured = results.build(runs=[run], labels=np.arange(4), references={},
                             class_names=CLASSES, model={"name": "m"}, dataset={},
                             scenario={}, command=["bmrt"], quantized=False)
    assert not any(key in measured for key in results.PROFILE_KEYS)
    report.render(measured, tmp_path / "report.md")
    for stem in ("opcodes", "vector-share", "kernels", "components", "memory"):
        assert not (tmp_path / f"report-{stem}.png").exists()
