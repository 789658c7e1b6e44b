"""Scenario files: everything one evaluation needs, in a Kenning-like JSON layout.

    {"model_wrapper": {"model": "magic_wand"},
     "dataset": {"archive": null, "split": "test", "samples": null, ...},
     "optimizers": [{"type": "iree", "target": "rv32-vector", "static_batch": true}],
     "runtime": {"firmware": "build/rv32/...elf"},
     "protocol": {"generation": "G4", "transport": "socket", "timeout_s": 60},
     "simulator": {"vector": true},
     "compare": ["rv32-scalar"],
     "output_dir": "build/results/magic_wand"}

Every key is optional; missing keys take the defaults below (the float magic-wand model on the
vector target over the full test split). Unknown keys are an error, so typos do not go unnoticed.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from bmrt.fetch import REPO_ROOT

SCENARIO_DIR = REPO_ROOT / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "magic-wand.json"
DEFAULT_FIRMWARE = "build/rv32/platform/qemu-virt-rv32/bmrt-firmware.elf"

DEFAULTS: dict[str, Any] = {
    "name": "magic-wand",
    "model_wrapper": {"model": "magic_wand", "io_spec": None},
    "dataset": {"name": "magic_wand", "archive": None, "split": "test", "test_fraction": 0.2,
                "split_seed": 1234, "window_seed": 2023, "samples": None},
    "optimizers": [{"type": "iree", "target": "rv32-vector", "static_batch": True,
                    "compiler_args": []}],
    "runtime": {"type": "bmrt", "firmware": DEFAULT_FIRMWARE, "boot_args": ""},
    "protocol": {"type": "uart", "generation": "G4", "transport": "socket", "timeout_s": 60.0,
                 "stats_after_each_inference": True, "instructions_stat": None},
    "simulator": {"type": "qemu", "vector": True, "vlen": 512, "icount_shift": 0,
                  "profile": False},
    "compare": [],
    "output_dir": "build/results/magic_wand",
}
SECTIONS_WITH_KEYS = ("model_wrapper", "dataset", "runtime", "protocol", "simulator")


class ScenarioError(ValueError):
    """A scenario file is missing, not JSON, or has unknown keys or wrong types."""


def merge(base: dict[str, Any], override: dict[str, Any], origin: str) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if key not in DEFAULTS:
            raise ScenarioError(f"{origin}: unknown key {key!r} (known: {', '.join(DEFAULTS)})")
        if key in SECTIONS_WITH_KEYS:
            if not isinstance(value, dict):
                raise ScenarioError(f"{origin}: {key!r} must be an object")
            unknown = set(value) - set(DEFAULTS[key])
            if unknown:
                raise ScenarioError(f"{origin}: unknown key(s) {sorted(unknown)} in {key!r} "
                                    f"(known: {', '.join(DEFAULTS[key])})")
            merged[key].update(value)
        elif key == "optimizers":
            if not isinstance(value, list) or not value:
                raise ScenarioError(f"{origin}: 'optimizers' must be a non-empty list")
            merged[key] = [dict(DEFAULTS["optimizers"][0], **item) for item in value]
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def load(path: Path | None = None) -> dict[str, Any]:
    """The scenario at `path` (or scenarios/magic-wand.json if present) over the defaults."""
    if path is None:
        if not DEFAULT_SCENARIO.is_file():
            return copy.deepcopy(DEFAULTS)
        path = DEFAULT_SCENARIO
    try:
        raw = json.loads(Path(path).read_text())
    except FileNotFoundError as error:
        raise ScenarioError(f"scenario not found: {path}") from error
    except (OSError, json.JSONDecodeError) as error:
        raise ScenarioError(f"cannot read scenario {path}: {error}") from error
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: a scenario is a JSON object")
    return merge(DEFAULTS, raw, str(path))


def resolve_path(value: str | None) -> Path | None:
    """Scenario paths are relative to the repository root."""
    if value is None:
        return None
    path = Path(value)
    return path if path.is_absolute() else REPO_ROOT / path
