"""Fixtures: the host inference server (build/host/platform/host/bmrt-host-server) with the test
engine, always stopped at the end, and clients connected to it over TCP."""
from __future__ import annotations

from pathlib import Path

import pytest

from bmrt import host_server as server_process
from bmrt.client import Generation, InferenceClient

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
SERVER_BINARY = server_process.BINARY
INTER_BYTE_TIMEOUT_MS = 50
ARENA_MIB = 16


class HostServer(server_process.HostServer):
    """The server with the test engine and a short inter-byte timeout; a missing binary or a
    failed start fails the test."""

    def __init__(self, *extra: str, link: str = "tcp"):
        try:
            super().__init__(*extra, engine="test", link=link, arena_mib=ARENA_MIB,
                             inter_byte_timeout_ms=INTER_BYTE_TIMEOUT_MS)
        except server_process.HostServerError as error:
            pytest.fail(str(error))

    def connect(self, generation: Generation, timeout: float = 3.0, **kwargs) -> InferenceClient:
        return super().connect(generation, timeout=timeout, **kwargs)


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
