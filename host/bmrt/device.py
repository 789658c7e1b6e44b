"""The simulated accelerator as evaluate sees it: QEMU plus a protocol client, one session.

`open_device()` boots the firmware with the simulator launcher, connects the Kenning protocol
client over the UART and yields a `DeviceSession`. Any failure (QEMU exit, timeout, error reply)
surfaces as one `DeviceError` naming the step, with QEMU's exit reason and the firmware log tail;
QEMU is always stopped when the block ends.
"""
from __future__ import annotations

import contextlib
import importlib
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

from bmrt.simulator import Simulator, SimulatorError

LOG_TAIL_LINES = 15
READY_MARKER = "Runtime started"


class DeviceError(RuntimeError):
    """The simulated target failed a step; the message says which and why."""


class DeviceSession(Protocol):
    def upload_io_spec(self, io_spec: dict) -> None: ...
    def upload_model(self, model: bytes, show_progress: bool = True) -> None: ...
    def infer(self, data: bytes) -> tuple[bytes, float, float]: ...
    def statistics(self) -> dict[str, Any]: ...


def _load_client_module():
    try:
        return importlib.import_module("bmrt.client")
    except ImportError as error:
        raise DeviceError(f"the protocol client (bmrt.client) is not available: {error}") from error


class UartTransport:
    """The client's Transport over the simulator's already connected UART."""

    def __init__(self, uart: Any):
        self._uart = uart

    def write(self, data: bytes) -> None:
        self._uart.write(data)
        self._uart.flush()

    def read(self, max_bytes: int, timeout: float) -> bytes:
        self._uart.timeout = max(timeout, 0.0)
        first = self._uart.read(1)
        if not first:
            return b""
        waiting = min(self._uart.in_waiting, max_bytes - 1)
        return first + (self._uart.read(waiting) if waiting > 0 else b"")

    def close(self) -> None:
        self._uart.close()


def _statistics(records: dict[str, Any]) -> dict[str, Any]:
    """Client Stat records to plain values; allocation records also under `allocation_stats`."""
    flat: dict[str, Any] = {}
    allocation: dict[str, Any] = {}
    for name, record in records.items():
        value = getattr(record, "value", record)
        flat[name] = value
        if int(getattr(record, "type", 0)) == 1:
            allocation[name] = value
    flat["allocation_stats"] = allocation
    return flat


class ClientSession:
    """Adapts bmrt.client's InferenceClient to DeviceSession, timing PROCESS on the host."""

    def __init__(self, client: Any, simulator: Simulator, client_module: Any = None):
        self._client = client
        self._simulator = simulator
        self._module = client_module

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
        self._step("IO specification upload", lambda: self._client.upload_io_spec(
            self._module.IoSpec.from_kenning_json(io_spec)))

    def upload_model(self, model: bytes, show_progress: bool = True) -> None:
        previous = getattr(self._client, "progress", False)
        self._client.progress = show_progress
        try:
            self._step("model upload", lambda: self._client.upload_model(model))
        finally:
            self._client.progress = previous

    def infer(self, data: bytes) -> tuple[bytes, float, float]:
        """(output, PROCESS start on the host clock, PROCESS duration in seconds)."""
        self._step("input upload (DATA)", lambda: self._client.upload_input(data))
        start = time.perf_counter()
        self._step("inference (PROCESS)", self._client.process)
        elapsed = time.perf_counter() - start
        output = self._step("output download (OUTPUT)", self._client.download_output)
        return bytes(output), start, elapsed

    def statistics(self) -> dict[str, Any]:
        return _statistics(self._step("statistics (STATS)", self._client.download_stats))

    def disconnect(self) -> None:
        if self._simulator.running():
            try:
                self._client.disconnect()
            except Exception:  # the session is ending anyway; QEMU is stopped next
                pass


@contextlib.contextmanager
def open_device(firmware: Path, *, vector: bool, generation: str, transport: str,
                timeout_s: float, log_path: Path, boot_args: str = "",
                vlen: int = 512, extra_args: tuple[str, ...] = ()) -> Iterator[ClientSession]:
    if not Path(firmware).is_file():
        raise DeviceError(f"firmware not found: {firmware} (build it with `make firmware`)")
    client_module = _load_client_module()
    try:
        wire_generation = client_module.Generation[generation.upper()]
    except KeyError as error:
        raise DeviceError(f"unknown protocol generation {generation!r}") from error
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
            # Like Kenning's Renode runtime: bytes sent before the server listens are lost.
            simulator.wait_for_log(READY_MARKER, timeout=timeout_s)
        except SimulatorError as error:
            raise DeviceError(f"firmware did not start its server: {error}") from error
        client = client_module.InferenceClient(UartTransport(simulator.uart), wire_generation,
                                               timeout=timeout_s)
        session = ClientSession(client, simulator, client_module)
        session._step("connecting (PING)", client.connect)
        stack.callback(session.disconnect)
        yield session
