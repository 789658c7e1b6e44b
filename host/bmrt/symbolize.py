"""Maps the instruction profile's addresses to kernels, firmware components and memory regions.

Inputs: the plugin report (bmrt.insn_profile: instructions per pc and accesses per memory
block inside profiling windows), the firmware ELF (function symbols and the linker's region
bounds, via `llvm-nm -C -S --defined-only`) and the firmware log, in which the platform
writes where the uploaded model bytes and each loaded executable are:

    model-bytes 0x<base> 0x<size>
    kernel-image 0x<base> 0x<size>
    kernel 0x<entry> <export name>

Kernel ELFs carry no symbols for their dispatch functions, so a pc inside a kernel image
belongs to the export with the greatest entry at or below it (KERNEL_OTHER before the first).
Only the lines after the last `model-bytes` count: they describe the model that was running.
"""
from __future__ import annotations

import bisect
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bmrt.insn_profile import InsnProfile

KERNEL_OTHER = "<executable other>"
KERNELS = "kernels"
COMPONENTS = ("vm", "hal", "elf", "vmfb", "engine", "protocol", "server", "base", "platform",
              "libc/libgcc", KERNELS, "unknown")
_RUNTIME_NAMESPACES = {"vm", "hal", "elf", "vmfb", "engine", "protocol", "server", "platform"}
REGIONS = ("model_bytes", "kernel_code", "arena", "stack", "firmware_code_rodata",
           "firmware_data_bss", "mmio", "other_ram")
MEMORY_FIELDS = ("loads", "stores", "load_bytes", "store_bytes")
NM_CANDIDATES = ("llvm-nm-22", "llvm-nm")


class SymbolizeError(RuntimeError):
    """The firmware ELF or log cannot be read for symbolization."""


@dataclass(frozen=True)
class Symbol:
    address: int
    size: int
    name: str


@dataclass
class FirmwareImage:
    """Function symbols (sorted by address) and linker symbols of the firmware ELF."""
    functions: list[Symbol]
    linker: dict[str, int]

    def __post_init__(self) -> None:
        self.functions.sort(key=lambda symbol: symbol.address)
        self._starts = [symbol.address for symbol in self.functions]

    def function_at(self, pc: int) -> Symbol | None:
        index = bisect.bisect_right(self._starts, pc) - 1
        while index >= 0:
            symbol = self.functions[index]
            if symbol.address <= pc < symbol.address + max(symbol.size, 1):
                return symbol
            if symbol.address < pc and symbol.size > 0:
                return None
            index -= 1  # zero-size aliases at the same address
        return None


@dataclass
class KernelLayout:
    """What the firmware log says about the running model."""
    model_bytes: tuple[int, int] | None = None
    images: list[tuple[int, int]] = field(default_factory=list)
    entries: list[tuple[int, str]] = field(default_factory=list)  # sorted by address

    def export_names(self) -> list[str]:
        return [name for _, name in self.entries]


_LOG_LINE = re.compile(r"^(model-bytes|kernel-image|kernel) 0x([0-9a-fA-F]+) (\S+)\s*$")


def parse_firmware_log(text: str) -> KernelLayout:
    layout = KernelLayout()
    for line in text.splitlines():
        match = _LOG_LINE.match(line.strip())
        if not match:
            continue
        kind, address, rest = match.group(1), int(match.group(2), 16), match.group(3)
        if kind == "model-bytes":
            layout = KernelLayout(model_bytes=(address, int(rest, 16)))
        elif kind == "kernel-image":
            layout.images.append((address, int(rest, 16)))
        else:
            layout.entries.append((address, rest))
    layout.entries.sort()
    return layout


def read_firmware(elf: Path, nm: str | None = None) -> FirmwareImage:
    tool = nm or next((name for name in NM_CANDIDATES if shutil.which(name)), None)
    if tool is None:
        raise SymbolizeError(f"none of {', '.join(NM_CANDIDATES)} found (scripts/setup.sh "
                             "installs llvm-22)")
    try:
        listing = subprocess.run([tool, "-C", "-S", "--defined-only", str(elf)], check=True,
                                 capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise SymbolizeError(f"{tool} cannot read {elf}: {error}") from error
    return parse_nm(listing)


def parse_nm(listing: str) -> FirmwareImage:
    """`nm -C -S --defined-only` output: "<address> [<size>] <type> <name>" lines."""
    functions, linker = [], {}
    for line in listing.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4 and len(parts[2]) == 1:
            address, size, kind, name = int(parts[0], 16), int(parts[1], 16), parts[2], parts[3]
        elif len(parts) >= 3 and len(parts[1]) == 1:
            address, size, kind, name = int(parts[0], 16), 0, parts[1], " ".join(parts[2:])
        else:
            continue
        if kind in "tTwW":
            functions.append(Symbol(address, size, name))
        elif name.startswith("__"):
            linker[name] = address
    return FirmwareImage(functions, linker)


def component_of_symbol(name: str) -> str:
    """The runtime component a (demangled) firmware function belongs to."""
    qualified = _qualified_name(name)
    if qualified.startswith("bmrt::"):
        namespace = qualified.split("::")[1]
        return namespace if namespace in _RUNTIME_NAMESPACES else "base"
    if qualified.startswith(("bmrt_", "_start")) or "bmrt8platform" in qualified:
        return "platform"
    return "libc/libgcc"


def _qualified_name(name: str) -> str:
    """`ret ns::f<T>(args) const` -> `ns::f<T>` (return type and parameters dropped)."""
    text = name.replace("(anonymous namespace)", "{anonymous}")
    depth, cut = 0, len(text)
    for index, char in enumerate(text):
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
        elif char == "(" and depth == 0 and index > 0:
            cut = index
            break
    head, depth, start = text[:cut], 0, 0
    for index, char in enumerate(head):
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
        elif char == " " and depth == 0:
            start = index + 1
    return head[start:]


class Symbolizer:
    def __init__(self, firmware: FirmwareImage, kernels: KernelLayout):
        self.firmware = firmware
        self.kernels = kernels
        self._entry_addresses = [address for address, _ in kernels.entries]

    def kernel_of(self, pc: int) -> str | None:
        """The kernel export a pc belongs to; None when it is not in a kernel image."""
        image = next(((base, size) for base, size in self.kernels.images
                      if base <= pc < base + size), None)
        if image is None:
            return None
        index = bisect.bisect_right(self._entry_addresses, pc) - 1
        if index < 0 or self._entry_addresses[index] < image[0]:
            return KERNEL_OTHER
        return self.kernels.entries[index][1]

    def component_of(self, pc: int) -> str:
        if self.kernel_of(pc) is not None:
            return KERNELS
        symbol = self.firmware.function_at(pc)
        return component_of_symbol(symbol.name) if symbol else "unknown"

    def function_of(self, pc: int) -> str:
        kernel = self.kernel_of(pc)
        if kernel is not None:
            return kernel
        symbol = self.firmware.function_at(pc)
        return symbol.name if symbol else "<unknown>"

    def region_of(self, address: int) -> str:
        """The memory region holding `address`, from the linker symbols and the log."""
        linker = self.firmware.linker
        for kind, ranges in (("model_bytes", [self.kernels.model_bytes]),
                             ("kernel_code", self.kernels.images)):
            if any(r is not None and r[0] <= address < r[0] + r[1] for r in ranges):
                return kind
        bounds = [("firmware_code_rodata", linker.get("__ram_start", 0x80000000),
                   linker.get("__data_start")),
                  ("firmware_data_bss", linker.get("__data_start"),
                   linker.get("__bmrt_arena_start")),
                  ("arena", linker.get("__bmrt_arena_start"), linker.get("__bmrt_arena_end")),
                  ("stack", linker.get("__bmrt_stack_guard", linker.get("__stack_bottom")),
                   linker.get("__stack_top"))]
        for kind, start, end in bounds:
            if start is not None and end is not None and start <= address < end:
                return kind
        ram_start, ram_end = bounds[0][1], linker.get("__stack_top")
        if ram_end is not None and ram_start <= address < ram_end:
            return "other_ram"
        return "mmio"


def _per_inference(value: int, windows: int) -> float:
    return value / windows if windows else 0.0


def kernel_instructions(profile: InsnProfile, symbolizer: Symbolizer) -> dict[str, float]:
    """Instructions per inference executed in each kernel export, most first."""
    counts: dict[str, int] = {}
    for pc, count in profile.pc_counts.items():
        kernel = symbolizer.kernel_of(pc)
        if kernel is not None:
            counts[kernel] = counts.get(kernel, 0) + count
    return _sorted({name: _per_inference(value, profile.windows) for name, value in counts.items()})


def instructions_by_component(profile: InsnProfile, symbolizer: Symbolizer) -> dict[str, float]:
    counts: dict[str, int] = {}
    for pc, count in profile.pc_counts.items():
        component = symbolizer.component_of(pc)
        counts[component] = counts.get(component, 0) + count
    return _sorted({name: _per_inference(value, profile.windows) for name, value in counts.items()})


def top_functions(profile: InsnProfile, symbolizer: Symbolizer, limit: int = 15) -> dict[str, float]:
    """The firmware functions and kernels with the most instructions per inference."""
    counts: dict[str, int] = {}
    for pc, count in profile.pc_counts.items():
        name = symbolizer.function_of(pc)
        counts[name] = counts.get(name, 0) + count
    ranked = _sorted({name: _per_inference(value, profile.windows) for name, value in counts.items()})
    return dict(list(ranked.items())[:limit])


def memory_by_region(profile: InsnProfile, symbolizer: Symbolizer) -> dict[str, dict[str, float]]:
    """Loads, stores and bytes per inference in each region. A block is attributed by its first
    address (64-byte RAM blocks, 4 KiB pages outside RAM)."""
    totals: dict[str, list[int]] = {}
    for address, counts in profile.memory_blocks.items():
        sums = totals.setdefault(symbolizer.region_of(address), [0, 0, 0, 0])
        for index, value in enumerate(counts):
            sums[index] += value
    ordered = sorted(totals.items(), key=lambda item: -(item[1][2] + item[1][3]))
    return {region: {name: _per_inference(value, profile.windows)
                     for name, value in zip(MEMORY_FIELDS, sums)}
            for region, sums in ordered}


def _sorted(values: dict[str, float]) -> dict[str, float]:
    return dict(sorted(values.items(), key=lambda item: (-item[1], item[0])))


def summarize(profile: InsnProfile, firmware_elf: Path, firmware_log: Path) -> dict:
    """The symbolized keys the results JSON carries beside `opcode_counters`."""
    try:
        log_text = Path(firmware_log).read_text(errors="replace")
    except OSError as error:
        raise SymbolizeError(f"cannot read the firmware log {firmware_log}: {error}") from error
    symbolizer = Symbolizer(read_firmware(firmware_elf), parse_firmware_log(log_text))
    return {"kernel_instructions": kernel_instructions(profile, symbolizer),
            "instructions_by_component": instructions_by_component(profile, symbolizer),
            "memory_by_region": memory_by_region(profile, symbolizer),
            "top_functions": top_functions(profile, symbolizer),
            "kernel_exports": symbolizer.kernels.export_names()}
