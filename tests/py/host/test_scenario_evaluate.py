"""Scenario files, evaluate's option handling and its failure messages (no simulator needed)."""
from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from bmrt import evaluate, scenario


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    evaluate.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_shipped_scenarios_select_float_int8_and_scalar_comparison():
    default = scenario.load(scenario.SCENARIO_DIR / "magic-wand.json")
    assert default == scenario.load(None)
    assert default["model_wrapper"]["model"] == "magic_wand"
    assert default["optimizers"][0]["target"] == "rv32-vector"
    assert default["dataset"]["split"] == "test" and default["dataset"]["samples"] is None
    int8 = scenario.load(scenario.SCENARIO_DIR / "magic-wand-int8.json")
    assert int8["model_wrapper"]["model"] == "magic_wand_int8"
    scalar = scenario.load(scenario.SCENARIO_DIR / "magic-wand-scalar.json")
    assert scalar["compare"] == ["rv32-scalar"]
    assert len({default["output_dir"], int8["output_dir"], scalar["output_dir"]}) == 3


def test_unknown_scenario_keys_are_rejected(tmp_path):
    path = tmp_path / "typo.json"
    path.write_text(json.dumps({"protocol": {"genration": "G1"}}))
    with pytest.raises(scenario.ScenarioError, match="genration"):
        scenario.load(path)
    path.write_text(json.dumps({"modle": {}}))
    with pytest.raises(scenario.ScenarioError, match="modle"):
        scenario.load(path)
    with pytest.raises(scenario.ScenarioError, match="not found"):
        scenario.load(tmp_path / "absent.json")


def test_command_line_overrides_the_scenario():
    config = evaluate.configure(_args("--int8", "--compare-scalar", "--samples", "5",
                                      "--generation", "G1", "--output-dir", "/tmp/x"))
    assert config["model_wrapper"]["model"] == "magic_wand_int8"
    assert config["compare"] == ["rv32-scalar"]
    assert config["dataset"]["samples"] == 5
    assert config["protocol"]["generation"] == "G1"
    assert config["output_dir"] == "/tmp/x"
    assert evaluate.configure(_args("--scalar"))["optimizers"][0]["target"] == "rv32-scalar"


def test_instruction_statistic_is_found_by_name():
    stats = {"allocation_stats": {"arena_peak": 5}, "inference_instructions": 1234,
             "total_instructions": 99999}
    assert evaluate.find_instruction_stat(stats, None) == "inference_instructions"
    assert evaluate.find_instruction_stat(stats, "total_instructions") == "total_instructions"
    assert evaluate.find_instruction_stat({"arena_peak": 1}, None) is None


def test_missing_firmware_stops_with_one_message(model_dir, archive, tmp_path, capsys):
    from bmrt.__main__ import main
    code = main(["evaluate", "--samples", "2", "--firmware", str(tmp_path / "none.elf"),
                 "--output-dir", str(tmp_path / "out")])
    error = capsys.readouterr().err
    assert code == 1
    assert "firmware not found" in error and "Traceback" not in error


def test_missing_model_stops_with_one_message(tmp_path, capsys):
    from bmrt.__main__ import main
    code = main(["evaluate", "--model", str(tmp_path / "none.tflite"),
                 "--output-dir", str(tmp_path / "out")])
    assert code == 1
    assert "model not found" in capsys.readouterr().err


def test_uncompilable_model_stops_with_the_compiler_message(model_dir, archive, tmp_path, capsys):
    broken = tmp_path / "broken.mlir"
    broken.write_text("this is not MLIR\n")
    (tmp_path / "broken.mlir.json").write_text((model_dir / "magic_wand.tflite.json").read_text())
    from bmrt.__main__ import main
    code = main(["evaluate", "--model", str(broken), "--samples", "1",
                 "--output-dir", str(tmp_path / "out")])
    error = capsys.readouterr().err
    assert code == 1
    assert "broken.mlir" in error and "error:" in error


def test_output_of_the_wrong_size_is_reported(model_dir):
    from bmrt import models
    spec = models.resolve("magic_wand").io_spec.outputs[0]
    with pytest.raises(evaluate.EvaluationError, match="OUTPUT has 8 bytes"):
        evaluate._decode_output(bytes(8), spec, 3)
    decoded = evaluate._decode_output(np.arange(4, dtype=np.float32).tobytes(), spec, 0)
    assert decoded.tolist() == [0.0, 1.0, 2.0, 3.0]
