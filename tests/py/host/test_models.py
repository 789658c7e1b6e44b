"""Model catalogue and IO specifications: shared copies, verified downloads, quantization."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bmrt import fetch, models


def test_catalogue_pins_the_shared_copies(model_dir):
    for source in models.MODELS.values():
        model, io_spec = source.paths()
        assert fetch.sha256_of(model) == source.sha256
        assert fetch.sha256_of(io_spec) == source.io_spec_sha256


def test_float_io_spec_uses_processed_input(model_dir):
    spec = models.resolve("magic_wand").io_spec
    assert spec.inputs[0].shape == (1, 128, 3, 1)
    assert spec.inputs[0].byte_size == 1536
    assert spec.outputs[0].shape == (1, 4)
    assert spec.class_names == ("wing", "ring", "slope", "negative")
    assert not spec.inputs[0].quantized


def test_int8_io_spec_quantizes_with_scale_and_zero_point(model_dir):
    spec = models.resolve("magic_wand_int8").io_spec
    tensor = spec.inputs[0]
    assert (tensor.dtype, tensor.scale, tensor.zero_point) == ("int8", 16.0, -1)
    values = np.array([0.0, 16.0, -16.0, 24.0, 2040.0, -2040.0, 5000.0]
                      + [0.0] * (384 - 7), dtype=np.float32)
    quantized = tensor.quantize(values).reshape(-1)[:7]
    assert quantized.tolist() == [-1, 0, -2, 1, 127, -128, 127]
    output = spec.outputs[0]
    assert output.dequantize(np.array([-128, 127, 0, -64], dtype=np.int8)).tolist() == [
        [0.0, 255 / 256, 0.5, 0.25]]


def test_model_downloads_are_checked(tmp_path, monkeypatch):
    public = tmp_path / "public"
    public.mkdir()
    (public / "magic_wand.tflite").write_bytes(b"TFL3 but not the real model")
    (public / "magic_wand.tflite.json").write_text("{}")
    monkeypatch.setattr(models, "SHARED_MODELS", tmp_path / "absent")
    monkeypatch.setattr(models, "DOWNLOAD_DIR", tmp_path / "downloads")
    monkeypatch.setattr(models, "PUBLIC_BASE", public.as_uri() + "/")
    with pytest.raises(models.ModelError, match="checksum mismatch"):
        models.resolve("magic_wand")
    assert not (tmp_path / "downloads" / "models" / "magic_wand.tflite").exists()


def test_unknown_model_and_missing_io_spec_are_clear_errors(tmp_path):
    with pytest.raises(models.ModelError, match="model not found"):
        models.resolve(str(tmp_path / "nope.tflite"))
    lonely = tmp_path / "lonely.tflite"
    lonely.write_bytes(b"x")
    with pytest.raises(models.ModelError, match="IO specification not found"):
        models.resolve(str(lonely))
    (tmp_path / "lonely.tflite.json").write_text(json.dumps({"input": [{"shape": [1]}]}))
    with pytest.raises(models.ModelError, match="malformed"):
        models.resolve(str(lonely))
