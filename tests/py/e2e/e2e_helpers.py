"""Helpers shared by the end-to-end tests (a module name unique across tests/py)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bmrt import scenario


def qemu_children() -> list[int]:
    """Pids of live qemu-system-riscv32 processes started by this test process."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if (b"qemu-system-riscv32" in command and f"PPid:\t{os.getpid()}\n" in status
                and "State:\tZ" not in status):
            children.append(int(entry.name))
    return children


def scenario_firmware() -> Path:
    """The firmware the default scenario boots; skips the test when it is not built."""
    path = scenario.resolve_path(scenario.DEFAULTS["runtime"]["firmware"])
    if not path.is_file():
        pytest.skip(f"firmware not built: {path}")
    return path
