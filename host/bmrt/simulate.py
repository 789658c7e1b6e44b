"""`python -m bmrt simulate`: runs the firmware in QEMU alone until Ctrl-C (or until it exits).

The protocol UART appears as a pty (symlinked at --pty, e.g. /tmp/uart like the seed's Renode
set-up, so a Kenning installation can drive it) or as a TCP socket (--socket). The firmware log
(semihosting) is copied to the terminal as it grows and kept in --log.
"""
from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from bmrt.insn_profile import ProfileError
from bmrt.simulator import Simulator, SimulatorError

DEFAULT_FIRMWARE = "build/rv32/platform/qemu-virt-rv32/bmrt-firmware.elf"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--firmware", type=Path, default=Path(DEFAULT_FIRMWARE))
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--pty", type=Path, default=None,
                       help="symlink the UART's pty here (default /tmp/uart)")
    where.add_argument("--socket", action="store_true",
                       help="serve the UART on a TCP port instead (printed at start)")
    parser.add_argument("--scalar", action="store_true", help="CPU without the vector unit")
    parser.add_argument("--boot-args", default="", help='firmware mode, e.g. "echo"')
    parser.add_argument("--log", type=Path, default=Path("build/simulate-firmware.log"),
                        help="firmware log file")
    parser.add_argument("--profile", type=Path, default=None,
                        help="load the instruction-profile plugin; its report is written here "
                             "when QEMU stops")
    parser.add_argument("--qemu-arg", action="append", default=[], dest="qemu_args",
                        help="extra QEMU argument (repeatable)")


def run(args: argparse.Namespace) -> int:
    # Ctrl-C must stop QEMU even when started from a shell that ignores SIGINT for us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    mode = "socket" if args.socket else "pty"
    pty_path = None if args.socket else (args.pty or Path("/tmp/uart"))
    try:
        # Nobody reads the UART here; holding the pty open keeps QEMU from dropping output while
        # the real client (re)connects. In socket mode the client connects itself.
        sim = Simulator(args.firmware, uart=mode, pty_path=pty_path, vector=not args.scalar,
                        boot_args=args.boot_args, log_path=args.log, connect_uart=False,
                        extra_args=args.qemu_args, uart_timeout=None,
                        profile_path=args.profile)
        with sim:
            where = f"{sim.uart_url} -> {sim.pty_device}" if mode == "pty" else sim.uart_url
            print(f"simulate: QEMU pid {sim.pid}, UART at {where}, log {args.log}", flush=True)
            print("simulate: Ctrl-C to stop", flush=True)
            printed = 0
            while sim.running():
                log = sim.log_text()
                if len(log) > printed:
                    sys.stdout.write(log[printed:])
                    sys.stdout.flush()
                    printed = len(log)
                time.sleep(0.1)
            sys.stdout.write(sim.log_text()[printed:])
            info = sim.wait(1.0)
            print(f"simulate: firmware exited with status {info.code} ({info.reason})")
            return 0 if info.ok else 1
    except KeyboardInterrupt:
        print("\nsimulate: stopped")
        if args.profile:
            print(f"simulate: instruction profile in {args.profile}")
        return 0
    except (SimulatorError, ProfileError) as error:
        print(f"simulate: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
