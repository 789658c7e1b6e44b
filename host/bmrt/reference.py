"""Reference inference on the host: the TFLite interpreter and iree-base-runtime (x86_64 build).

Both take float windows (N, 128, 3) in milli-g and return float outputs (N, classes); for a
quantized model the inputs are quantized with the IO spec's scale/zero point first and the
outputs dequantized, exactly as they are for the simulated target.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from bmrt.models import IOSpec


class ReferenceError(RuntimeError):
    """A reference runtime could not load the model or run a sample."""


class TFLiteReference:
    name = "tflite"

    def __init__(self, model: Path, io_spec: IOSpec):
        from ai_edge_litert.interpreter import Interpreter
        try:
            self._interpreter = Interpreter(model_path=str(model))
            self._interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as error:
            raise ReferenceError(f"TFLite cannot load {model}: {error}") from error
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._spec = io_spec

    def run_one(self, window: np.ndarray) -> np.ndarray:
        self._interpreter.set_tensor(self._input, self._spec.inputs[0].quantize(window))
        self._interpreter.invoke()
        return self._spec.outputs[0].dequantize(self._interpreter.get_tensor(self._output))

    def run(self, windows: np.ndarray) -> np.ndarray:
        return np.stack([self.run_one(window).reshape(-1) for window in windows])


class IreeReference:
    name = "iree-base-runtime"

    def __init__(self, vmfb: Path, io_spec: IOSpec, function: str = "main"):
        import iree.runtime as ireert
        try:
            config = ireert.Config("local-sync")
            self._context = ireert.SystemContext(config=config)
            module = ireert.VmModule.copy_buffer(self._context.instance, Path(vmfb).read_bytes())
            self._context.add_vm_module(module)
            self._function = self._context.modules.module[function]
        except (RuntimeError, ValueError, KeyError, AttributeError) as error:
            raise ReferenceError(f"iree-base-runtime cannot load {vmfb}: {error}") from error
        self._spec = io_spec

    def run_one(self, window: np.ndarray) -> np.ndarray:
        result = self._function(self._spec.inputs[0].quantize(window))
        return self._spec.outputs[0].dequantize(np.asarray(result.to_host()))

    def run(self, windows: np.ndarray) -> np.ndarray:
        return np.stack([self.run_one(window).reshape(-1) for window in windows])
