"""The firmware's exit status (platform/qemu-virt-rv32/board.h) and its meaning in words."""
from __future__ import annotations

import re
import signal
from dataclasses import dataclass

EXIT_SUCCESS = 0
EXIT_FAILURE = 1
EXIT_BAD_ARGUMENTS = 2
EXIT_TRAP_BASE = 128
EXIT_INTERRUPT_BASE = 192
EXIT_NESTED_TRAP = 255

EXCEPTION_NAMES = {
    0: "instruction address misaligned", 1: "instruction access fault",
    2: "illegal instruction", 3: "breakpoint", 4: "load address misaligned",
    5: "load access fault", 6: "store address misaligned", 7: "store access fault",
    8: "environment call from U-mode", 9: "environment call from S-mode",
    11: "environment call from M-mode", 12: "instruction page fault",
    13: "load page fault", 15: "store page fault",
}
INTERRUPT_NAMES = {3: "machine software interrupt", 7: "machine timer interrupt",
                   11: "machine external interrupt"}


@dataclass(frozen=True)
class ExitInfo:
    code: int | None  # QEMU's exit status; None when the host stopped the run
    reason: str

    @property
    def ok(self) -> bool:
        return self.code == EXIT_SUCCESS


def describe_exit(code: int | None, log_text: str = "") -> str:
    """Words for a firmware exit status (platform/qemu-virt-rv32/board.h)."""
    if code is None:
        return "stopped by the host"
    if code < 0:
        return f"QEMU killed by signal {signal.Signals(-code).name}"
    if code == EXIT_SUCCESS:
        return "success"
    if code == EXIT_FAILURE:
        return "the firmware reported a failure"
    if code == EXIT_BAD_ARGUMENTS:
        return "the firmware rejected its boot arguments"
    if code == EXIT_NESTED_TRAP:
        return "trap while reporting a trap"
    where = re.search(r"^TRAP \|.*mepc=(0x[0-9a-f]+) mtval=(0x[0-9a-f]+)", log_text, re.M)
    detail = f" at pc={where.group(1)}, mtval={where.group(2)}" if where else ""
    if EXIT_INTERRUPT_BASE <= code < EXIT_NESTED_TRAP:
        cause = code - EXIT_INTERRUPT_BASE
        name = INTERRUPT_NAMES.get(cause, "interrupt")
        return f"trap: unexpected {name}, mcause interrupt code {cause}{detail}"
    if EXIT_TRAP_BASE <= code < EXIT_INTERRUPT_BASE:
        cause = code - EXIT_TRAP_BASE
        return f"trap: {EXCEPTION_NAMES.get(cause, 'reserved exception')}, mcause={cause}{detail}"
    return f"the firmware exited with status {code}"
