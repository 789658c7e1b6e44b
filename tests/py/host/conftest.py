"""Shared fixtures for the host-side tests: the project's shared models and data set."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
ARCHIVE = SHARED / "datasets" / "magic_wand" / "data.tar.gz"
MODELS = SHARED / "models" / "magic_wand"


@pytest.fixture(scope="session")
def archive() -> Path:
    if not ARCHIVE.is_file():
        pytest.skip(f"shared data set not present: {ARCHIVE}")
    return ARCHIVE


@pytest.fixture(scope="session")
def magic_wand_data(archive):
    from bmrt import dataset
    return dataset.load(archive)


@pytest.fixture(scope="session")
def model_dir() -> Path:
    if not (MODELS / "magic_wand.tflite").is_file():
        pytest.skip(f"shared models not present: {MODELS}")
    return MODELS
