"""Runs the bmrt firmware in QEMU (`virt`, rv32, RVV) and never leaves a QEMU process behind.

    with Simulator(firmware, uart="socket", log_path="fw.log") as sim:
        sim.uart.write(frame)          # pyserial-like (bmrt.uart.UartConnection)
        reply = sim.uart.read(12)
        info = sim.wait(timeout=30)    # ExitInfo(code, reason)

The protocol UART is absent (uart="none"), a TCP socket (QEMU listens; connect with `uart_url`
or use `uart`) or a pty (QEMU starts paused; the pty is opened before the guest runs; optional
symlink at a path of the caller's choosing). start() returns once the firmware logged
"UART ready": bytes sent earlier could be lost when the firmware turns the UART FIFO on. In
socket mode, bytes the firmware writes while no client is connected are dropped (the protocol
server only ever answers requests). Firmware logs go through semihosting to `log_path`, never
over the UART. Exit codes follow platform/qemu-virt-rv32/board.h.
"""
from __future__ import annotations

import atexit
import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Sequence

# Exit codes and ExitInfo are re-exported: callers import them from here.
from bmrt.firmware_exit import (EXIT_BAD_ARGUMENTS, EXIT_FAILURE, EXIT_INTERRUPT_BASE,  # noqa: F401
                                EXIT_NESTED_TRAP, EXIT_SUCCESS, EXIT_TRAP_BASE, ExitInfo,
                                describe_exit)
from bmrt.insn_profile import plugin_args
from bmrt.uart import UartConnection

QEMU = "qemu-system-riscv32"
UART_READY = "UART ready"  # logged by the firmware once its UART accepts input
MEMORY_MIB = 32  # the firmware's linker script uses 17 MiB from 0x80000000

class SimulatorError(RuntimeError):
    """QEMU could not be started, or misbehaved."""


class SimulatorTimeout(SimulatorError):
    """The firmware did not finish (or log the awaited text) in time."""


def cpu_option(vector: bool, vlen: int = 512) -> str:
    if vector:
        return f"rv32,v=true,vlen={vlen},elen=64,vext_spec=v1.0"
    return "rv32,v=false"


# --- process bookkeeping: every live simulator is stopped at exit and on SIGTERM/SIGHUP -------
# Strong references: a started simulator stays reachable here until close().
_live: "set[Simulator]" = set()
_handlers_installed = False


def _stop_all() -> None:
    for simulator in list(_live):
        simulator.close()


def _exit_on_signal(signum, frame) -> None:
    _stop_all()
    raise SystemExit(128 + signum)


def _install_handlers() -> None:
    global _handlers_installed
    if _handlers_installed:
        return
    _handlers_installed = True
    atexit.register(_stop_all)
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(signum) in (signal.SIG_DFL, None):
                signal.signal(signum, _exit_on_signal)


_LIBC = ctypes.CDLL(None, use_errno=True)  # resolved here: the forked child only calls it
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Runs in the child before exec: QEMU gets SIGKILL if this Python process dies abruptly.
    _LIBC.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))


def _qemu_option_value(value: object) -> str:
    """A value inside a QEMU key=value,... option: commas are written twice."""
    return str(value).replace(",", ",,")


def _free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def live_qemu_children(parent: int) -> list[int]:
    """Pids of live (not zombie) qemu-system-riscv32 processes whose parent is `parent` (from
    /proc): what a launcher must not leave behind."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
        if (b"qemu-system-riscv32" in command and int(fields.get("PPid", "0")) == parent
                and not fields.get("State", "").startswith("Z")):
            found.append(int(entry.name))
    return found


def _listening_socket_of(pid: int, port: int) -> bool:
    """True when process `pid` itself listens on 127.0.0.1:`port` (from /proc)."""
    wanted = f"0100007F:{port:04X}"
    try:
        descriptors = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
    except OSError:
        return False
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if (fields[1] == wanted and fields[3] == "0A"  # 0A: TCP_LISTEN
                    and f"socket:[{fields[9]}]" in descriptors):
                return True
    return False


class Simulator:
    """One QEMU run of a firmware image. Use as a context manager (or call start()/stop())."""

    def __init__(self, firmware: str | os.PathLike, *, uart: str = "socket",
                 pty_path: str | os.PathLike | None = None, vector: bool = True,
                 vlen: int = 512, boot_args: str = "", log_path: str | os.PathLike | None = None,
                 connect_uart: bool = True, uart_timeout: float | None = 10.0,
                 extra_args: Sequence[str] = (), qemu: str = QEMU,
                 start_timeout: float = 10.0, profile_path: str | os.PathLike | None = None):
        if uart not in ("socket", "pty", "none"):
            raise ValueError(f"uart must be 'socket', 'pty' or 'none', not {uart!r}")
        self.firmware = Path(firmware)
        if not self.firmware.is_file():
            raise SimulatorError(f"firmware image not found: {self.firmware}")
        if shutil.which(qemu) is None:
            raise SimulatorError(f"{qemu} not found (run `make setup`)")
        self.uart_mode = uart
        self.pty_path = Path(pty_path) if pty_path else None
        self.vector = vector
        self.vlen = vlen
        self.boot_args = boot_args
        self.connect_uart = connect_uart
        self.uart_timeout = uart_timeout
        self.extra_args = tuple(extra_args)
        # With profile_path, the instruction-profile plugin writes its report there at exit
        # (bmrt.insn_profile.read_profile reads it).
        self.profile_path = Path(profile_path) if profile_path else None
        if self.profile_path is not None:
            self.extra_args += tuple(plugin_args(self.profile_path.resolve()))
        self.qemu = qemu
        self.start_timeout = start_timeout
        self._workdir = Path(tempfile.mkdtemp(prefix="bmrt-sim-"))
        self.log_path = Path(log_path) if log_path else self._workdir / "firmware.log"
        self.qemu_output_path = self._workdir / "qemu-output.txt"
        self._monitor_path = self._workdir / "monitor.sock"
        self._process: subprocess.Popen | None = None
        self._exit: ExitInfo | None = None
        self._symlink_created = False
        self.uart: UartConnection | None = None
        self._pty_holder: UartConnection | None = None
        self.uart_url: str | None = None
        self.uart_port: int | None = None
        self.pty_device: str | None = None

    # --- life cycle ---------------------------------------------------------------------------
    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.close()

    def start(self) -> Simulator:
        if self._process is not None:
            raise SimulatorError("simulator already started")
        _install_handlers()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.write_bytes(b"")
        try:
            if self.uart_mode == "socket":
                self._start_with_socket_retrying()
            elif self.uart_mode == "none":
                self._spawn(self.command(["-monitor", "none", "-serial", "null"]))
            else:
                self._start_with_pty()
            if self.uart_mode != "none":
                self._wait_until_uart_ready()
        except BaseException:
            self.close()
            raise
        return self

    def command(self, uart_args: Sequence[str]) -> list[str]:
        args = [
            self.qemu, "-machine", "virt", "-cpu", cpu_option(self.vector, self.vlen),
            "-icount", "shift=0", "-bios", "none", "-m", f"{MEMORY_MIB}M", "-display", "none",
            "-chardev", f"file,id=log0,path={_qemu_option_value(self.log_path)}",
            "-semihosting-config", "enable=on,target=native,chardev=log0",
            *uart_args, "-kernel", str(self.firmware),
        ]
        if self.boot_args:
            args += ["-append", self.boot_args]
        return args + list(self.extra_args)

    def _spawn(self, args: list[str]) -> None:
        with open(self.qemu_output_path, "wb") as output:
            self._process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=_die_with_parent)
        _live.add(self)

    def _start_with_socket_retrying(self, attempts: int = 3) -> None:
        """The free port is picked before QEMU binds it; another process may take it first."""
        for attempt in range(attempts):
            try:
                self._start_with_socket()
                return
            except SimulatorError:
                if attempt + 1 == attempts or "Address already in use" not in self.qemu_output():
                    raise
                self._process, self._exit = None, None

    def _start_with_socket(self) -> None:
        self.uart_port = _free_tcp_port()
        self.uart_url = f"socket://127.0.0.1:{self.uart_port}"
        self._spawn(self.command([
            "-monitor", "none",
            "-chardev", f"socket,id=uart0,host=127.0.0.1,port={self.uart_port},server=on,wait=off,nodelay=on",
            "-serial", "chardev:uart0"]))
        deadline = time.monotonic() + self.start_timeout
        while not _listening_socket_of(self._process.pid, self.uart_port):
            self._raise_if_exited("while opening its UART socket")
            if time.monotonic() > deadline:
                raise SimulatorTimeout(f"QEMU did not open UART port {self.uart_port}")
            time.sleep(0.02)
        if not self.connect_uart:
            return
        while True:
            self._raise_if_exited("while waiting for its UART socket")
            try:
                self.uart = UartConnection.connect_tcp("127.0.0.1", self.uart_port,
                                                       timeout=self.uart_timeout)
                return
            except ConnectionRefusedError:
                if time.monotonic() > deadline:
                    raise SimulatorTimeout(f"QEMU did not open UART port {self.uart_port}")
                time.sleep(0.02)

    def _start_with_pty(self) -> None:
        self._spawn(self.command([
            "-S", "-monitor", f"unix:{self._monitor_path},server=on,wait=off",
            "-chardev", "pty,id=uart0", "-serial", "chardev:uart0"]))
        deadline = time.monotonic() + self.start_timeout
        while self.pty_device is None:
            self._raise_if_exited("before reporting its pty")
            match = re.search(r"(/dev/pts/\d+)", self.qemu_output_path.read_text(errors="replace"))
            if match:
                self.pty_device = match.group(1)
            elif time.monotonic() > deadline:
                raise SimulatorTimeout("QEMU did not report its pty device")
            else:
                time.sleep(0.02)
        self.uart_url = self.pty_device
        if self.pty_path is not None:
            if self.pty_path.is_symlink():
                self.pty_path.unlink()
            elif self.pty_path.exists():
                raise SimulatorError(f"{self.pty_path} exists and is not a symlink; not replacing it")
            self.pty_path.symlink_to(self.pty_device)
            self._symlink_created = True
            self.uart_url = str(self.pty_path)
        # Open the pty before the guest runs: QEMU drops output while nobody holds it open.
        # Without connect_uart the descriptor is only held (never read), so another program
        # opening the pty receives every byte.
        connection = UartConnection.open_pty(self.pty_device, timeout=self.uart_timeout)
        if self.connect_uart:
            self.uart = connection
        else:
            self._pty_holder = connection
        self._resume()

    def _wait_until_uart_ready(self) -> None:
        """Waits for the firmware's "UART ready" log line (or for its exit: wait() reports)."""
        deadline = time.monotonic() + self.start_timeout
        while UART_READY not in self.log_text():
            if self._process.poll() is not None:
                return
            if time.monotonic() > deadline:
                raise SimulatorTimeout(f"firmware did not log {UART_READY!r} within "
                                       f"{self.start_timeout} s; log:\n{self.log_text()}")
            time.sleep(0.005)

    def _resume(self) -> None:
        """Sends `cont` over the HMP monitor and waits until QEMU reports the VM running."""
        deadline = time.monotonic() + self.start_timeout
        while True:
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as monitor:
                    monitor.connect(str(self._monitor_path))
                    monitor.settimeout(max(0.1, deadline - time.monotonic()))
                    self._monitor_read_until(monitor, b"(qemu) ")
                    monitor.sendall(b"cont\n")
                    self._monitor_read_until(monitor, b"(qemu) ")
                    monitor.sendall(b"info status\n")
                    reply = self._monitor_read_until(monitor, b"(qemu) ")
                    if b"running" not in reply:
                        raise SimulatorError(f"QEMU did not resume: {reply.decode(errors='replace')}")
                    return
            except (FileNotFoundError, ConnectionRefusedError):
                self._raise_if_exited("before its monitor came up")
                if time.monotonic() > deadline:
                    raise SimulatorTimeout("QEMU monitor socket did not come up")
                time.sleep(0.02)
            except socket.timeout:
                raise SimulatorTimeout("QEMU monitor did not answer") from None

    @staticmethod
    def _monitor_read_until(monitor: socket.socket, marker: bytes) -> bytes:
        data = b""
        while not data.endswith(marker):
            chunk = monitor.recv(4096)
            if not chunk:
                raise SimulatorError("QEMU closed its monitor connection")
            data += chunk
        return data

    # --- observing the run --------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def qemu_output(self) -> str:
        try:
            return self.qemu_output_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_for_log(self, text: str, timeout: float = 10.0) -> str:
        """Waits until `text` appears in the firmware log; returns the log so far."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.log_text()
            if text in log:
                return log
            self._raise_if_exited(f"before logging {text!r}")
            if time.monotonic() > deadline:
                raise SimulatorTimeout(f"firmware did not log {text!r} within {timeout} s; "
                                       f"log so far:\n{log}")
            time.sleep(0.02)

    def wait(self, timeout: float) -> ExitInfo:
        """Waits for the firmware to end the run. Raises SimulatorTimeout (QEMU keeps running)."""
        if self._exit is not None:
            return self._exit
        if self._process is None:
            raise SimulatorError("simulator not started")
        try:
            code = self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise SimulatorTimeout(f"firmware still running after {timeout} s; log:\n"
                                   f"{self.log_text()}") from None
        return self._record_exit(code)

    def stop(self) -> ExitInfo:
        """Ends the run now (if still running) and reaps QEMU and its process group."""
        if self._process is None:
            return ExitInfo(None, "never started")
        if self._exit is not None:
            return self._exit
        code = self._process.poll()
        if code is None:
            self._kill_group(signal.SIGTERM)
            try:
                self._process.wait(2.0)
            except subprocess.TimeoutExpired:
                self._kill_group(signal.SIGKILL)
                self._process.wait()
            self._exit = ExitInfo(None, describe_exit(None))
            return self._exit
        return self._record_exit(code)

    def close(self) -> None:
        """stop() plus releasing the UART, the pty symlink and the scratch directory."""
        self.stop()
        for connection in (self.uart, self._pty_holder):
            if connection is not None:
                connection.close()
        if self._symlink_created and self.pty_path is not None and self.pty_path.is_symlink():
            self.pty_path.unlink()
            self._symlink_created = False
        shutil.rmtree(self._workdir, ignore_errors=True)
        _live.discard(self)

    # --- internals ----------------------------------------------------------------------------
    def _record_exit(self, code: int) -> ExitInfo:
        reason = describe_exit(code, self.log_text())
        if code == EXIT_FAILURE and not self.log_text().strip():
            output = self.qemu_output().strip()
            reason = f"QEMU failed: {output}" if output else reason
        self._exit = ExitInfo(code, reason)
        return self._exit

    def _kill_group(self, signum: int) -> None:
        try:
            os.killpg(self._process.pid, signum)
        except ProcessLookupError:
            pass

    def _raise_if_exited(self, when: str) -> None:
        if self._process is not None and self._process.poll() is not None:
            info = self._record_exit(self._process.returncode)
            raise SimulatorError(f"QEMU exited {when}: {info.reason}\n{self.qemu_output()}")
