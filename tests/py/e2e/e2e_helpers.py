"""Helpers shared by the end-to-end tests (a module name unique across tests/py)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bmrt import scenario
from bmrt.simulator import live_qemu_children


def qemu_children() -> list[int]:
    """Pids of live qemu-system-riscv32 processes started by this test process."""
    return live_qemu_children(os.getpid())


def scenario_firmware() -> Path:
    """The firmware the default scenario boots; skips the test when it is not built."""
    path = scenario.resolve_path(scenario.DEFAULTS["runtime"]["firmware"])
    if not path.is_file():
        pytest.skip(f"firmware not built: {path}")
    return path
