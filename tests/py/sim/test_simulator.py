"""Simulator launcher: UART transports deliver the first bytes intact; QEMU never outlives us."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import serial

from bmrt.simulator import ExitInfo, Simulator, SimulatorError, SimulatorTimeout, describe_exit
from sim_helpers import REPO, firmware, no_qemu_left_behind, pid_alive  # noqa: F401

PAYLOAD = bytes(range(256)) * 16


@pytest.mark.parametrize("mode", ["socket", "pty"])
def test_uart_delivers_first_bytes_and_echo_intact(firmware, mode, tmp_path):
    link = tmp_path / "uart" if mode == "pty" else None
    with Simulator(firmware, uart=mode, pty_path=link, boot_args="echo", uart_timeout=20) as sim:
        sim.uart.write(PAYLOAD)
        assert sim.uart.read(len(PAYLOAD)) == PAYLOAD
        if mode == "pty":
            assert os.readlink(link) == sim.pty_device
    assert not pid_alive(sim.pid)
    if link is not None:
        assert not link.is_symlink()


def test_socket_url_works_with_pyserial(firmware):
    with Simulator(firmware, uart="socket", boot_args="echo", connect_uart=False) as sim:
        assert sim.uart is None
        assert sim.uart_url == f"socket://127.0.0.1:{sim.uart_port}"
        port = serial.serial_for_url(sim.uart_url, timeout=20)
        try:
            port.write(b"abc\x00\xff")
            assert port.read(5) == b"abc\x00\xff"
        finally:
            port.close()


# G4 PING requests and the target's answer, byte for byte as in Kenning's trace
# (shared/reference/kenning-protocol.md 2.7-2.8): checksum = 0x4B ^ XOR(other bytes).
PING_CONNECT = bytes([0, 0, 0, 0, 0x00, 0x4B ^ 0x31, 0x31, 0x00, 0, 0, 0, 0])
PING_DISCONNECT = bytes([0, 0, 0, 0, 0x00, 0x4B ^ 0x32, 0x32, 0x00, 0, 0, 0, 0])
PING_ANSWER = bytes([0, 0, 0, 0, 0xC0, 0x4B ^ 0xC0 ^ 0xB1, 0xB1, 0x00, 0, 0, 0, 0])


@pytest.mark.parametrize("mode", ["socket", "pty"])
def test_default_boot_serves_the_protocol_on_the_uart(firmware, mode):
    with Simulator(firmware, uart=mode, uart_timeout=20) as sim:
        sim.uart.write(PING_CONNECT)  # right away: start() returned, so no byte may be lost
        assert sim.uart.read(len(PING_ANSWER)) == PING_ANSWER
        log = sim.wait_for_log("Runtime started", timeout=20)
        sim.uart.write(PING_CONNECT)
        assert sim.uart.read(len(PING_ANSWER)) == PING_ANSWER
        sim.uart.write(PING_DISCONNECT)
        assert sim.uart.read(len(PING_ANSWER)) == PING_ANSWER
        assert sim.running()
    assert "VLEN=512" in log


def test_stop_ends_a_running_firmware(firmware):
    with Simulator(firmware, uart="socket", boot_args="echo") as sim:
        sim.wait_for_log("echo: ready", timeout=20)
        with pytest.raises(SimulatorTimeout):
            sim.wait(timeout=0.2)
        assert sim.running()
        info = sim.stop()
    assert info == ExitInfo(None, "stopped by the host")
    assert not pid_alive(sim.pid)


def test_qemu_error_is_reported(firmware):
    with Simulator(firmware, uart="none", extra_args=["-no-such-option"]) as sim:
        info = sim.wait(timeout=20)
    assert info.code == 1
    assert "QEMU failed" in info.reason and "no-such-option" in info.reason


def test_describe_exit_decodes_firmware_codes():
    assert describe_exit(0) == "success"
    assert "store access fault" in describe_exit(128 + 7)
    assert "machine timer interrupt" in describe_exit(192 + 7)
    assert "trap while reporting a trap" in describe_exit(255)
    assert "SIGKILL" in describe_exit(-9)


LAUNCHER = textwrap.dedent("""
    import sys, time
    from bmrt.simulator import Simulator
    sim = Simulator(sys.argv[1], uart="pty", boot_args="echo").start()
    sim.wait_for_log("echo: ready", timeout=20)
    print(sim.pid, flush=True)
    time.sleep(60)
""")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_qemu_dies_with_its_launcher(firmware, signum):
    env = dict(os.environ, PYTHONPATH=str(REPO / "host"))
    launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(firmware)],
                                stdout=subprocess.PIPE, env=env, text=True)
    try:
        qemu_pid = int(launcher.stdout.readline())
        assert pid_alive(qemu_pid)
        launcher.send_signal(signum)
        # What matters is QEMU: it must go whichever way its launcher ends. (Reaping a killed
        # launcher has been seen to take over a minute inside a long, loaded test session.)
        deadline = time.monotonic() + 60
        while pid_alive(qemu_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not pid_alive(qemu_pid)
    finally:
        launcher.kill()
        try:
            launcher.wait(timeout=120)
        except subprocess.TimeoutExpired:
            pass


def test_socket_port_taken_by_another_process_is_retried(firmware, monkeypatch):
    import socket

    import bmrt.simulator as simulator_module

    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        offers = iter([taken])
        free_port = simulator_module._free_tcp_port
        monkeypatch.setattr(simulator_module, "_free_tcp_port", lambda: next(offers, None) or free_port())
        with Simulator(firmware, uart="socket", boot_args="echo", uart_timeout=20) as sim:
            assert sim.uart_port != taken
            sim.uart.write(b"first")
            assert sim.uart.read(5) == b"first"


def test_pty_path_never_replaces_a_regular_file(firmware, tmp_path):
    occupied = tmp_path / "uart"
    occupied.write_text("keep me")
    with pytest.raises(SimulatorError, match="not a symlink"):
        Simulator(firmware, uart="pty", pty_path=occupied).start()
    assert occupied.read_text() == "keep me"
