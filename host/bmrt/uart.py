"""A pyserial-like byte stream over a file descriptor: a TCP socket or a raw pty.

The simulator hands one of these out as `Simulator.uart`; it implements the subset of
`serial.Serial` the protocol client needs (read, read_until, write, flush, timeout, in_waiting,
reset_input_buffer, close), so code written against pyserial works with either transport.
"""
from __future__ import annotations

import errno
import fcntl
import os
import select
import socket
import struct
import termios
import time
import tty


class UartClosedError(ConnectionError):
    """The other end of the UART went away (QEMU exited or closed the chardev)."""


class UartConnection:
    def __init__(self, fd: int, description: str, owner: socket.socket | None = None,
                 timeout: float | None = None):
        self._fd = fd
        self._owner = owner  # keeps the socket object (and so the descriptor) alive
        self.description = description
        self.timeout = timeout
        self._closed = False

    @classmethod
    def connect_tcp(cls, host: str, port: int, timeout: float | None = None) -> UartConnection:
        sock = socket.create_connection((host, port), timeout=5.0)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        return cls(sock.fileno(), f"socket://{host}:{port}", owner=sock, timeout=timeout)

    @classmethod
    def open_pty(cls, path: str, timeout: float | None = None) -> UartConnection:
        fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        tty.setraw(fd)
        return cls(fd, path, timeout=timeout)

    # --- pyserial-compatible surface -------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return not self._closed

    @property
    def in_waiting(self) -> int:
        self._check_open()
        raw = fcntl.ioctl(self._fd, termios.FIONREAD, b"\0\0\0\0")
        return struct.unpack("i", raw)[0]

    def fileno(self) -> int:
        return self._fd

    def read(self, size: int = 1) -> bytes:
        """Up to `size` bytes; blocks until all arrived or `timeout` expired (None: forever)."""
        self._check_open()
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        data = bytearray()
        while len(data) < size:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            readable, _, _ = select.select([self._fd], [], [], remaining)
            if not readable:
                break
            chunk = self._read_some(size - len(data))
            if chunk is None:
                continue
            data += chunk
        return bytes(data)

    def read_until(self, expected: bytes = b"\n", size: int | None = None) -> bytes:
        self._check_open()
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        data = bytearray()
        while not data.endswith(expected) and (size is None or len(data) < size):
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            readable, _, _ = select.select([self._fd], [], [], remaining)
            if not readable:
                break
            chunk = self._read_some(1)
            if chunk:
                data += chunk
        return bytes(data)

    def write(self, data: bytes) -> int:
        self._check_open()
        view = memoryview(data)
        while view:
            select.select([], [self._fd], [])
            try:
                written = os.write(self._fd, view)
            except BlockingIOError:
                continue
            except OSError as error:
                raise UartClosedError(f"{self.description}: write failed: {error}") from error
            view = view[written:]
        return len(data)

    def flush(self) -> None:
        if self._owner is None and not self._closed:
            termios.tcdrain(self._fd)

    def reset_input_buffer(self) -> None:
        self._check_open()
        while select.select([self._fd], [], [], 0)[0]:
            if not self._read_some(4096):
                break

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._owner is not None:
            self._owner.close()
        else:
            os.close(self._fd)

    def __enter__(self) -> UartConnection:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- internals -------------------------------------------------------------------------
    def _read_some(self, size: int) -> bytes | None:
        try:
            chunk = os.read(self._fd, size)
        except BlockingIOError:
            return None
        except OSError as error:
            # A pty whose other side closed reports EIO.
            if error.errno == errno.EIO:
                raise UartClosedError(f"{self.description}: the simulator closed the UART") from error
            raise
        if not chunk:
            raise UartClosedError(f"{self.description}: the simulator closed the UART")
        return chunk

    def _check_open(self) -> None:
        if self._closed:
            raise UartClosedError(f"{self.description}: connection already closed")
