"""The simulated accelerator as evaluate sees it: QEMU plus a protocol client, one session.

`open_device()` boots the firmware with the simulator launcher, connects the Kenning protocol
client over the UART and yields a `DeviceSession`. Any failure (QEMU exit, timeout, error reply)
surfaces as one `DeviceError` naming the step, with QEMU's exit reason and the firmware log tail;
QEMU is always stopped when the block ends.
"""
from __future__ import annotations

import contextlib
import importlib
import inspect
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

from bmrt.simulator import Simulator, SimulatorError

LOG_TAIL_LINES = 15


class DeviceError(RuntimeError):
    """The simulated target failed a step; the message says which and why."""


class DeviceSession(Protocol):
    def upload_io_spec(self, io_spec: dict) -> None: ...
    def upload_model(self, model: bytes, progress: Callable[[int], None] | None = None) -> None: ...
    def infer(self, data: bytes) -> tuple[bytes, float, float]: ...
    def statistics(self) -> dict[str, Any]: ...


def _load_client_module():
    try:
        return importlib.import_module("bmrt.client")
    except ImportError as error:
        raise DeviceError(f"the protocol client (bmrt.client) is not available: {error}") from error


def _call(method: Callable, *args, **options):
    """Calls `method` with only the keyword options it accepts."""
    try:
        accepted = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return method(*args)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values()):
        return method(*args, **options)
    return method(*args, **{k: v for k, v in options.items() if k in accepted})


class ClientSession:
    """Adapts bmrt.client's client object to DeviceSession, timing each step on the host."""

    def __init__(self, client: Any, simulator: Simulator):
        self._client = client
        self._simulator = simulator

    def _step(self, what: str, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except DeviceError:
            raise
        except Exception as error:  # the client's own errors, OS errors, timeouts
            raise DeviceError(self.explain(what, error)) from error

    def explain(self, what: str, error: BaseException) -> str:
        message = f"{what} failed: {type(error).__name__}: {error}"
        if not self._simulator.running():
            info = self._simulator.stop()
            message += f"\nQEMU exited: {info.reason}"
        tail = self._simulator.log_text().strip().splitlines()[-LOG_TAIL_LINES:]
        if tail:
            message += "\nfirmware log (last lines):\n  " + "\n  ".join(tail)
        return message

    def upload_io_spec(self, io_spec: dict) -> None:
        self._step("IO specification upload",
                   lambda: self._client.upload_io_spec(io_spec))

    def upload_model(self, model: bytes, progress: Callable[[int], None] | None = None) -> None:
        self._step("model upload",
                   lambda: _call(self._client.upload_model, model, progress=progress))

    def infer(self, data: bytes) -> tuple[bytes, float, float]:
        """(output, PROCESS start on the host clock, PROCESS duration in seconds)."""
        self._step("input upload (DATA)", lambda: self._client.upload_input(data))
        start = time.perf_counter()
        self._step("inference (PROCESS)", self._client.process)
        elapsed = time.perf_counter() - start
        output = self._step("output download (OUTPUT)", self._client.download_output)
        return bytes(output), start, elapsed

    def statistics(self) -> dict[str, Any]:
        return dict(self._step("statistics (STATS)", self._client.download_statistics))


@contextlib.contextmanager
def open_device(firmware: Path, *, vector: bool, generation: str, transport: str,
                timeout_s: float, log_path: Path, boot_args: str = "",
                vlen: int = 512, extra_args: tuple[str, ...] = ()) -> Iterator[ClientSession]:
    if not Path(firmware).is_file():
        raise DeviceError(f"firmware not found: {firmware} (build it with `make firmware`)")
    client_module = _load_client_module()
    try:
        simulator = Simulator(firmware, uart=transport, vector=vector, vlen=vlen,
                              boot_args=boot_args, log_path=log_path, uart_timeout=timeout_s,
                              extra_args=extra_args)
    except SimulatorError as error:
        raise DeviceError(f"cannot start the simulator: {error}") from error
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(simulator)
        except SimulatorError as error:
            raise DeviceError(f"cannot start the simulator: {error}") from error
        try:
            client = _call(client_module.connect, simulator.uart, generation=generation,
                           timeout=timeout_s)
        except Exception as error:
            raise DeviceError(ClientSession(None, simulator).explain("connecting the client",
                                                                     error)) from error
        if hasattr(client, "close"):
            stack.callback(client.close)
        yield ClientSession(client, simulator)
