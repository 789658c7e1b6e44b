"""Byte links to a target: pyserial (a pty / serial path or any pyserial URL such as
``socket://127.0.0.1:4000``) or a plain TCP socket. Every read is bounded by a timeout."""
from __future__ import annotations

import socket
import time
from typing import Protocol

import serial


class Transport(Protocol):
    def write(self, data: bytes) -> None: ...
    def read(self, max_bytes: int, timeout: float) -> bytes:
        """Up to max_bytes; b"" when nothing arrived within timeout seconds."""
    def close(self) -> None: ...


class LinkClosed(ConnectionError):
    """The peer closed the link."""


class SerialTransport:
    def __init__(self, url: str, baudrate: int = 115200):
        self.url = url
        self.port = serial.serial_for_url(url, baudrate=baudrate, timeout=0)

    @classmethod
    def from_port(cls, port, description: str = "port") -> "SerialTransport":
        """Wraps an already open pyserial-like object (read, write, flush, timeout, in_waiting)."""
        transport = cls.__new__(cls)
        transport.url = description
        transport.port = port
        return transport

    def write(self, data: bytes) -> None:
        self.port.write(data)
        self.port.flush()

    def read(self, max_bytes: int, timeout: float) -> bytes:
        self.port.timeout = max(timeout, 0)
        first = self.port.read(1)
        if not first:
            return b""
        waiting = min(self.port.in_waiting, max_bytes - 1)
        return first + (self.port.read(waiting) if waiting > 0 else b"")

    def close(self) -> None:
        self.port.close()

    def __enter__(self) -> "SerialTransport":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SocketTransport:
    def __init__(self, host: str, port: int, connect_timeout: float = 5.0):
        self.address = (host, port)
        self.sock = socket.create_connection(self.address, timeout=connect_timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def write(self, data: bytes) -> None:
        self.sock.settimeout(None)
        self.sock.sendall(data)

    def read(self, max_bytes: int, timeout: float) -> bytes:
        self.sock.settimeout(max(timeout, 1e-3))
        try:
            data = self.sock.recv(max_bytes)
        except socket.timeout:
            return b""
        if not data:
            raise LinkClosed(f"{self.address[0]}:{self.address[1]} closed the connection")
        return data

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "SocketTransport":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_transport(link: str) -> Transport:
    """``tcp:HOST:PORT`` opens a socket; anything else (a path, ``socket://``, ``rfc2217://``)
    goes to pyserial."""
    if link.startswith("tcp:"):
        host, _, port = link[4:].rpartition(":")
        return SocketTransport(host or "127.0.0.1", int(port))
    return SerialTransport(link)


def wait_quiet(transport: Transport, quiet: float, limit: float = 5.0) -> bytes:
    """Reads until the link has been silent for `quiet` seconds (at most `limit`)."""
    collected = bytearray()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        data = transport.read(4096, quiet)
        if not data:
            break
        collected += data
    return bytes(collected)
