"""Helpers and fixtures shared by the simulator tests.

A plain module with a name unique across tests/py, imported by each test module: a conftest.py
here would be imported as the module `conftest` and shadow other directories' conftest
modules that tests import by that name.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bmrt.simulator import live_qemu_children

REPO = Path(__file__).resolve().parents[3]
FIRMWARE = REPO / "build/rv32/platform/qemu-virt-rv32/bmrt-firmware.elf"


qemu_children = live_qemu_children


def pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in state


@pytest.fixture(scope="session")
def firmware() -> Path:
    if not FIRMWARE.is_file():
        pytest.fail(f"{FIRMWARE} missing: build it with `make firmware`")
    return FIRMWARE


@pytest.fixture(autouse=True)
def no_qemu_left_behind():
    yield
    left = qemu_children(os.getpid())
    assert not left, f"QEMU processes left running: {left}"
