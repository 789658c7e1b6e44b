"""Fixtures: the host inference server (build/host/platform/host/bmrt-host-server) with the test
engine, always stopped at the end, and clients connected to it over TCP."""
from __future__ import annotations

import selectors
import subprocess
from pathlib import Path

import pytest

from bmrt.client import Generation, InferenceClient, SocketTransport

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
SERVER_BINARY = REPO / "build/host/platform/host/bmrt-host-server"
INTER_BYTE_TIMEOUT_MS = 50
ARENA_MIB = 16


class HostServer:
    """One server process; every TCP connection is a fresh target (new state, new detection)."""

    def __init__(self, *extra: str, link: str = "tcp"):
        if not SERVER_BINARY.exists():
            pytest.fail(f"{SERVER_BINARY} is missing: run `make host` first")
        self.stderr_path = Path(f"/tmp/bmrt-host-server-{id(self)}.log")
        self.stderr = self.stderr_path.open("w")
        link_args = ["--port", "0"] if link == "tcp" else ["--pty"]
        self.process = subprocess.Popen(
            [str(SERVER_BINARY), *link_args, "--arena-mib", str(ARENA_MIB),
             "--inter-byte-timeout-ms", str(INTER_BYTE_TIMEOUT_MS), *extra],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        line = self._first_line(timeout=10.0)
        if link == "tcp":
            self.port = int(line.rsplit(":", 1)[1])
        else:
            self.pty = line.split(" ", 1)[1].strip()

    def _first_line(self, timeout: float) -> str:
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            self.stop()
            pytest.fail("bmrt-host-server did not start")
        return self.process.stdout.readline().strip()

    def connect(self, generation: Generation, timeout: float = 3.0, **kwargs) -> InferenceClient:
        return InferenceClient(SocketTransport("127.0.0.1", self.port), generation, timeout=timeout, **kwargs)

    def log(self) -> str:
        self.stderr.flush()
        return self.stderr_path.read_text()

    def stop(self) -> None:
        try:
            self.process.terminate()
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        finally:
            self.process.stdout.close()
            self.stderr.close()


@pytest.fixture(scope="session")
def host_server():
    server = HostServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def connect(host_server):
    """connect(generation) -> client; closes every client at the end of the test."""
    clients: list[InferenceClient] = []

    def open_client(generation: Generation, **kwargs) -> InferenceClient:
        for client in clients:  # the server serves one connection at a time
            client.transport.close()
        client = host_server.connect(generation, **kwargs)
        clients.append(client)
        return client

    try:
        yield open_client
    finally:
        for client in clients:
            client.transport.close()


@pytest.fixture(scope="session")
def magic_wand_json() -> Path:
    return SHARED / "models/magic_wand/magic_wand.tflite.json"
