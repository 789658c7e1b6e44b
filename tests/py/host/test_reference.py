"""The two host references agree: TFLite interpreter vs iree-base-runtime on x86_64."""
from __future__ import annotations

import numpy as np
import pytest

from bmrt import compile as compiler
from bmrt import dataset, models, reference

SAMPLES = 16


@pytest.fixture(scope="module")
def windows(magic_wand_data):
    split = dataset.test_split(magic_wand_data).limit(SAMPLES)
    return magic_wand_data.windows[split.indices]


def _both(name: str, windows: np.ndarray, cache) -> tuple[np.ndarray, np.ndarray]:
    model = models.resolve(name)
    host = compiler.compile_model(model.path, "x86_64", cache_dir=cache)
    return (reference.TFLiteReference(model.path, model.io_spec).run(windows),
            reference.IreeReference(host.vmfb, model.io_spec).run(windows))


def test_float_references_agree(model_dir, windows, tmp_path):
    tflite, iree = _both("magic_wand", windows, tmp_path)
    assert tflite.shape == iree.shape == (SAMPLES, 4)
    np.testing.assert_allclose(iree, tflite, rtol=0, atol=1e-5)
    np.testing.assert_allclose(tflite.sum(axis=1), 1.0, atol=1e-5)  # softmax
    assert np.array_equal(tflite.argmax(axis=1), iree.argmax(axis=1))


def test_int8_references_agree_within_one_quantization_step(model_dir, windows, tmp_path):
    tflite, iree = _both("magic_wand_int8", windows, tmp_path)
    step = models.resolve("magic_wand_int8").io_spec.outputs[0].scale
    assert np.max(np.abs(tflite - iree)) <= step + 1e-9
    assert np.mean(tflite.argmax(axis=1) == iree.argmax(axis=1)) >= 0.9


def test_float_reference_classifies_the_test_samples(model_dir, windows, magic_wand_data):
    model = models.resolve("magic_wand")
    outputs = reference.TFLiteReference(model.path, model.io_spec).run(windows)
    labels = magic_wand_data.labels[dataset.test_split(magic_wand_data).limit(SAMPLES).indices]
    assert np.mean(outputs.argmax(axis=1) == labels) >= 0.8
