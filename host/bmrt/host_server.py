"""The host build of the inference server (`bmrt-host-server`) as a child process.

The same server core as the firmware, with the IREE engine or the protocol test engine, on a
free TCP port or a pty: the fast way to try a client, a model or an IO spec before QEMU.

    with HostServer(engine="iree") as server:
        client = server.connect(Generation.G4)
"""
from __future__ import annotations

import selectors
import subprocess
import tempfile
from pathlib import Path

from bmrt.client import Generation, InferenceClient, SocketTransport

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / "build/host/platform/host/bmrt-host-server"
START_TIMEOUT_S = 10.0


class HostServerError(RuntimeError):
    """The server binary is missing or did not start."""


class HostServer:
    """One server process; every TCP connection is a fresh target (new state, new detection).

    `stop()` (or leaving the `with` block) always ends the process.
    """

    def __init__(self, *extra: str, engine: str = "test", link: str = "tcp", arena_mib: int = 16,
                 inter_byte_timeout_ms: int | None = None, binary: Path = BINARY):
        if not binary.is_file():
            raise HostServerError(f"{binary} is missing: run `make host` first")
        self._stderr = tempfile.TemporaryFile()
        args = [str(binary), *(["--port", "0"] if link == "tcp" else ["--pty"]),
                "--engine", engine, "--arena-mib", str(arena_mib)]
        if inter_byte_timeout_ms is not None:
            args += ["--inter-byte-timeout-ms", str(inter_byte_timeout_ms)]
        self.process = subprocess.Popen([*args, *extra], stdout=subprocess.PIPE,
                                        stderr=self._stderr, text=True)
        line = self._first_line()
        self.port = int(line.rsplit(":", 1)[1]) if link == "tcp" else None
        self.pty = line.split(" ", 1)[1].strip() if link != "tcp" else None

    def _first_line(self) -> str:
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(START_TIMEOUT_S):
            self.stop()
            raise HostServerError(f"bmrt-host-server printed no address within {START_TIMEOUT_S} s")
        line = self.process.stdout.readline().strip()
        if not line:
            log = self.log()
            self.stop()
            raise HostServerError(f"bmrt-host-server exited at start: {log.strip()[-500:]}")
        return line

    def connect(self, generation: Generation = Generation.G4, timeout: float = 30.0,
                **options) -> InferenceClient:
        """A client on a new connection (not yet connected: call its connect())."""
        if self.port is None:
            raise HostServerError("this server listens on a pty, not on TCP")
        return InferenceClient(SocketTransport("127.0.0.1", self.port), generation,
                               timeout=timeout, **options)

    def log(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def stop(self) -> None:
        try:
            self.process.terminate()
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        finally:
            self.process.stdout.close()
            self._stderr.close()

    def __enter__(self) -> "HostServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
