"""Model sources (the magic-wand TFLite models) and their Kenning IO specifications."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np

from bmrt.fetch import DOWNLOAD_DIR, SHARED_DIR, FetchError, fetch_verified

SHARED_MODELS = SHARED_DIR / "models" / "magic_wand"
PUBLIC_BASE = ("https://raw.githubusercontent.com/antmicro/kenning-zephyr-runtime/main/"
               "demo_app/model/tflite/")


class ModelError(RuntimeError):
    """A model or its IO specification is missing, unreadable or malformed."""


@dataclasses.dataclass(frozen=True)
class ModelSource:
    """A published model file with its IO-spec JSON, both pinned by SHA-256."""
    name: str
    file_name: str
    sha256: str
    io_spec_sha256: str

    def paths(self) -> tuple[Path, Path]:
        """(model, io_spec): the project copy, else verified downloads of the public files."""
        model = SHARED_MODELS / self.file_name
        io_spec = SHARED_MODELS / (self.file_name + ".json")
        if model.is_file() and io_spec.is_file():
            return model, io_spec
        target = DOWNLOAD_DIR / "models"
        try:
            return (fetch_verified(PUBLIC_BASE + self.file_name, self.sha256,
                                   target / self.file_name),
                    fetch_verified(PUBLIC_BASE + self.file_name + ".json", self.io_spec_sha256,
                                   target / (self.file_name + ".json")))
        except FetchError as error:
            raise ModelError(f"model {self.name} unavailable: {error}") from error


MODELS = {
    "magic_wand": ModelSource(
        "magic_wand", "magic_wand.tflite",
        "e99bf4659af6721e6bc81f7df7aadc6405dca630729c685d55d79e081515e1fd",
        "afde48be20c7e0d9d28dec98f32950c451aae4a82e88cedca94de04b6b601996"),
    "magic_wand_int8": ModelSource(
        "magic_wand_int8", "magic_wand_int8.tflite",
        "2dd20f3c0742c4372c1c070bd2e5e3c8c4409ca3944be3b978a22228c9e979f1",
        "6eee6feaf73bc55a24fcaeda7c4e99c5196e0bb14025b252a4582f2cdd7bb741"),
}


@dataclasses.dataclass(frozen=True)
class TensorSpec:
    name: str
    shape: tuple[int, ...]
    dtype: str
    scale: float | None = None
    zero_point: int | None = None

    @property
    def numpy_dtype(self) -> np.dtype:
        return np.dtype(self.dtype)

    @property
    def byte_size(self) -> int:
        return int(np.prod(self.shape)) * self.numpy_dtype.itemsize

    @property
    def quantized(self) -> bool:
        return self.scale is not None and self.numpy_dtype.kind in "iu"

    def quantize(self, values: np.ndarray) -> np.ndarray:
        """Float values to this tensor's dtype (TFLite rounding: round half away from zero)."""
        if not self.quantized:
            return np.asarray(values, dtype=self.numpy_dtype).reshape(self.shape)
        info = np.iinfo(self.numpy_dtype)
        scaled = np.asarray(values, dtype=np.float32) / np.float32(self.scale)
        rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) + self.zero_point
        return np.clip(rounded, info.min, info.max).astype(self.numpy_dtype).reshape(self.shape)

    def dequantize(self, values: np.ndarray) -> np.ndarray:
        values = np.asarray(values).reshape(self.shape)
        if not self.quantized:
            return values.astype(np.float32)
        return ((values.astype(np.float32) - self.zero_point) * np.float32(self.scale))


@dataclasses.dataclass(frozen=True)
class IOSpec:
    """The Kenning IO specification: what goes in (`processed_input`) and what comes out."""
    raw: dict
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    class_names: tuple[str, ...]

    @classmethod
    def load(cls, path: Path) -> "IOSpec":
        try:
            raw = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as error:
            raise ModelError(f"cannot read IO specification {path}: {error}") from error
        return cls.from_dict(raw, str(path))

    @classmethod
    def from_dict(cls, raw: dict, origin: str = "IO specification") -> "IOSpec":
        try:
            inputs = tuple(_tensor(item) for item in raw.get("processed_input", raw["input"]))
            outputs = tuple(_tensor(item) for item in raw["output"])
        except (KeyError, TypeError, ValueError) as error:
            raise ModelError(f"{origin}: malformed tensor entry ({error})") from error
        class_names = tuple(raw["output"][0].get("class_names", ())) if outputs else ()
        return cls(raw, inputs, outputs, class_names)


def _tensor(item: dict) -> TensorSpec:
    shape = item["shape"]
    if shape and isinstance(shape[0], list):  # Kenning's `input` lists alternative shapes
        shape = shape[-1]
    return TensorSpec(item.get("name", ""), tuple(int(dim) for dim in shape),
                      str(np.dtype(item["dtype"])), item.get("scale"), item.get("zero_point"))


@dataclasses.dataclass(frozen=True)
class Model:
    name: str
    path: Path
    io_spec_path: Path
    io_spec: IOSpec

    @property
    def framework(self) -> str:
        return {".tflite": "tflite", ".mlir": "mlir", ".mlirbc": "mlir"}.get(self.path.suffix,
                                                                           "unknown")


def resolve(name_or_path: str, io_spec: str | None = None) -> Model:
    """A model by catalogue name (`magic_wand`, `magic_wand_int8`) or by file path.

    A file path takes its IO spec from `io_spec` or `<model>.json` beside it.
    """
    if name_or_path in MODELS:
        model_path, spec_path = MODELS[name_or_path].paths()
        name = name_or_path
    else:
        model_path = Path(name_or_path)
        if not model_path.is_file():
            known = ", ".join(MODELS)
            raise ModelError(f"model not found: {name_or_path} (not a file, nor one of: {known})")
        spec_path = Path(io_spec) if io_spec else model_path.with_name(model_path.name + ".json")
        name = model_path.stem
    if io_spec and name_or_path in MODELS:
        spec_path = Path(io_spec)
    if not spec_path.is_file():
        raise ModelError(f"IO specification not found for model {name}: {spec_path}")
    return Model(name, model_path, spec_path, IOSpec.load(spec_path))
