"""IO specification: built from Kenning's JSON, serialized to the G1 160-byte or G2+ 356-byte
struct (kenning-protocol.md section 3), and decoded back (for tests and tools)."""
from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAX_INPUTS = 2
MAX_OUTPUTS = 12
MAX_RANK = 4
NAME_SIZE = 20
G1_SIZE = 160
G2_SIZE = 356
_DLPACK_CODES = {"i": 0, "u": 1, "f": 2}
_CODE_LETTERS = {v: k for k, v in _DLPACK_CODES.items()}


class IoSpecError(ValueError):
    """An IO specification that cannot be represented on the wire."""


@dataclass(frozen=True)
class TensorSpec:
    shape: tuple[int, ...]
    dtype: str  # numpy name, e.g. "float32"

    @property
    def numpy_dtype(self) -> np.dtype:
        return np.dtype(self.dtype)

    @property
    def byte_size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64)) * self.numpy_dtype.itemsize

    def dlpack(self) -> tuple[int, int]:
        kind = self.numpy_dtype.kind
        if kind not in _DLPACK_CODES:
            raise IoSpecError(f"dtype {self.dtype} has no wire code")
        return _DLPACK_CODES[kind], self.numpy_dtype.itemsize * 8


@dataclass
class IoSpec:
    inputs: list[TensorSpec]
    outputs: list[TensorSpec]
    entry_function: str = ""
    model_name: str = "module"

    @classmethod
    def from_kenning_json(cls, source: str | Path | dict) -> "IoSpec":
        """Uses `processed_input` when present, else `input` (as Kenning does), and `output`."""
        data = source if isinstance(source, dict) else json.loads(Path(source).read_text())
        inputs = data.get("processed_input") or data.get("input")
        if not inputs or "output" not in data:
            raise IoSpecError("IO spec JSON needs 'input' (or 'processed_input') and 'output'")

        def tensor(entry: dict) -> TensorSpec:
            shape = entry["shape"]
            if shape and isinstance(shape[0], list):  # several admissible shapes: the last one
                shape = shape[-1]
            return TensorSpec(tuple(int(d) for d in shape), str(entry["dtype"]))

        ordered = lambda entries: sorted(entries, key=lambda e: e.get("order", 0))  # noqa: E731
        return cls([tensor(e) for e in ordered(inputs)], [tensor(e) for e in ordered(data["output"])],
                   entry_function=data.get("entry_func", ""))

    @property
    def input_bytes(self) -> int:
        return sum(t.byte_size for t in self.inputs)

    @property
    def output_bytes(self) -> int:
        return sum(t.byte_size for t in self.outputs)

    def _check_counts(self) -> None:
        if not 1 <= len(self.inputs) <= MAX_INPUTS or not 1 <= len(self.outputs) <= MAX_OUTPUTS:
            raise IoSpecError(f"{len(self.inputs)} inputs / {len(self.outputs)} outputs exceed the wire limits")
        for t in self.inputs + self.outputs:
            if len(t.shape) > MAX_RANK:
                raise IoSpecError(f"rank {len(t.shape)} above {MAX_RANK}")

    def encode_g1(self) -> bytes:
        """160 bytes. One dtype (input 0's) for all inputs; output element size from input 0;
        an empty entry function becomes "module.main" (what the 2023 client sent)."""
        self._check_counts()
        first = self.inputs[0]
        code, bits = first.dlpack()
        itemsize = first.numpy_dtype.itemsize
        ranks = [len(t.shape) for t in self.inputs] + [0] * (MAX_INPUTS - len(self.inputs))
        shapes = []
        for i in range(MAX_INPUTS):
            dims = list(self.inputs[i].shape) if i < len(self.inputs) else []
            shapes += dims + [0] * (MAX_RANK - len(dims))
        lengths = [int(np.prod(t.shape, dtype=np.int64)) for t in self.inputs]
        lengths += [0] * (MAX_INPUTS - len(lengths))
        sizes = [itemsize] * len(self.inputs) + [0] * (MAX_INPUTS - len(self.inputs))
        out_lengths = [int(np.prod(t.shape, dtype=np.int64)) for t in self.outputs]
        out_lengths += [0] * (MAX_OUTPUTS - len(out_lengths))
        dtype = f"{_CODE_LETTERS[code]}{bits}".encode()
        return (struct.pack("<I2I8I2I2II12II", len(self.inputs), *ranks, *shapes, *lengths, *sizes,
                            len(self.outputs), *out_lengths, itemsize)
                + struct.pack("4s20s20s", dtype, _name(self.entry_function or "module.main"),
                              _name(self.model_name)))

    def encode_g2(self) -> bytes:
        """356 bytes (Kenning's IOSpecSerializer layout)."""
        self._check_counts()
        out = bytearray()

        def tensors(items: list[TensorSpec], limit: int) -> None:
            out.extend(struct.pack(f"<{limit}I", *([len(t.shape) for t in items] + [0] * (limit - len(items)))))
            for i in range(limit):
                dims = list(items[i].shape) if i < len(items) else []
                out.extend(struct.pack("<4I", *(dims + [0] * (MAX_RANK - len(dims)))))
            for i in range(limit):
                out.extend(struct.pack("<BB", *(items[i].dlpack() if i < len(items) else (0, 0))))

        out.extend(struct.pack("<I", len(self.inputs)))
        tensors(self.inputs, MAX_INPUTS)
        out.extend(struct.pack("<I", len(self.outputs)))
        tensors(self.outputs, MAX_OUTPUTS)
        out.extend(_name(self.entry_function) + _name(self.model_name))
        return bytes(out)

    @classmethod
    def decode_g2(cls, data: bytes) -> "IoSpec":
        if len(data) != G2_SIZE:
            raise IoSpecError(f"356-byte IO spec expected, got {len(data)}")
        offset = 0

        def take(fmt: str) -> tuple:
            nonlocal offset
            values = struct.unpack_from(fmt, data, offset)
            offset += struct.calcsize(fmt)
            return values

        def tensors(count: int, limit: int) -> list[TensorSpec]:
            ranks = take(f"<{limit}I")
            shapes = [take("<4I") for _ in range(limit)]
            types = [take("<BB") for _ in range(limit)]
            return [TensorSpec(tuple(shapes[i][:ranks[i]]), _dtype_name(*types[i])) for i in range(count)]

        (num_inputs,) = take("<I")
        inputs = tensors(num_inputs, MAX_INPUTS)
        (num_outputs,) = take("<I")
        outputs = tensors(num_outputs, MAX_OUTPUTS)
        entry, model = take("20s20s")
        return cls(inputs, outputs, _unname(entry), _unname(model))


def _name(text: str) -> bytes:
    raw = text.encode("ascii")
    if len(raw) > NAME_SIZE:
        raise IoSpecError(f"name {text!r} longer than {NAME_SIZE} bytes")
    return raw.ljust(NAME_SIZE, b"\0")


def _unname(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("ascii")


def _dtype_name(code: int, bits: int) -> str:
    return str(np.dtype(f"{_CODE_LETTERS[code]}{bits // 8}"))
