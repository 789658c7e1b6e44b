"""The test engine's documented behaviour (runtime/server/test_engine.h), recomputed here."""
from __future__ import annotations

import numpy as np

MAGIC = b"BMRTTEST"


def make_model(size: int, first: bytes = b"x", seed: int = 1) -> bytes:
    """A test-engine model of `size` bytes; first=b"F" makes every run fail."""
    body = np.random.default_rng(seed).integers(0, 256, size - len(MAGIC), dtype=np.uint8).tobytes()
    return MAGIC + first + body[1:]


def expected_output(model: bytes, inputs: bytes, output_size: int) -> bytes:
    total = sum(model[len(MAGIC):]) + sum(inputs)
    return bytes((total + j) % 256 for j in range(output_size))


def make_input(size: int, seed: int = 2) -> bytes:
    return np.random.default_rng(seed).standard_normal(size // 4).astype(np.float32).tobytes()
