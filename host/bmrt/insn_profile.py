"""The QEMU instruction-profile plugin (profiling/qemu-plugin): where it is, what it reports.

The plugin counts executed instructions by class (int_alu, fp_arith, vector_arith, vector_load,
vsetvl, branch, csr, ...) and memory accesses, over the whole run ("total") and inside the
windows the firmware marks with ProfileWindowBegin/End ("window"). Inside windows it also
counts instructions per address (`pc_counts`) and memory accesses per 64-byte RAM block or
4 KiB page elsewhere (`memory_blocks`); bmrt.symbolize maps both to kernels, firmware
components and memory regions. Format 1 reports (class counters only) are still read.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PLUGIN_NAME = "libbmrt_insn_profile.so"
PLUGIN_CANDIDATES = (REPO / "build/host/profiling/qemu-plugin" / PLUGIN_NAME,)
FORMAT = "bmrt-insn-profile-2"
FORMATS = ("bmrt-insn-profile-1", FORMAT)
MEMORY_COUNTERS = ("mem_loads", "mem_stores", "mem_load_bytes", "mem_store_bytes")


class ProfileError(RuntimeError):
    """The plugin is missing or its report cannot be read."""


def find_plugin() -> Path:
    override = os.environ.get("BMRT_QEMU_PLUGIN")
    for candidate in ((Path(override),) if override else ()) + PLUGIN_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise ProfileError(f"{PLUGIN_NAME} not found (looked in {PLUGIN_CANDIDATES[0].parent}); "
                       "build it with `make host`")


def plugin_args(output: Path, plugin: Path | None = None) -> list[str]:
    """QEMU arguments that load the plugin and write its report to `output`."""
    plugin = plugin or find_plugin()
    if "," in str(output) or "," in str(plugin):
        raise ProfileError(f"QEMU option values cannot contain commas: {output}, {plugin}")
    return ["-plugin", f"{plugin},out={output}"]


@dataclass
class InsnProfile:
    windows: int
    total: dict[str, int] = field(default_factory=dict)
    window: dict[str, int] = field(default_factory=dict)
    # Instructions executed at each address inside windows.
    pc_counts: dict[int, int] = field(default_factory=dict)
    # Block (or page) address -> (loads, stores, load_bytes, store_bytes) inside windows.
    memory_blocks: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)
    ram: tuple[int, int] | None = None  # (base, size) of the block-granular RAM table
    ram_block: int = 64
    other_page: int = 4096

    VECTOR_CLASSES = ("vector_arith", "vector_load", "vector_store", "vsetvl")

    def vector_instructions(self, scope: str = "window") -> int:
        counts = self.window if scope == "window" else self.total
        return sum(counts.get(name, 0) for name in self.VECTOR_CLASSES)


    def block_size(self, address: int) -> int:
        """Bytes covered by the `memory_blocks` entry at `address`."""
        if self.ram is not None and self.ram[0] <= address < self.ram[0] + self.ram[1]:
            return self.ram_block
        return self.other_page


def read_profile(path: Path) -> InsnProfile:
    try:
        lines = Path(path).read_text().splitlines()
    except FileNotFoundError:
        raise ProfileError(f"{path}: no profile written (did QEMU load the plugin?)") from None
    if not lines or lines[0] not in tuple(f"format {name}" for name in FORMATS):
        raise ProfileError(f"{path}: not a {FORMAT} report")
    profile = InsnProfile(windows=0)
    for number, line in enumerate(lines[1:], start=2):
        key, _, value = line.partition(" ")
        try:
            _read_line(profile, key, value.split())
        except (ValueError, IndexError):
            raise ProfileError(f"{path}:{number}: malformed line {line!r}") from None
        except KeyError:
            raise ProfileError(f"{path}:{number}: unknown counter {key!r}") from None
    return profile


def _read_line(profile: InsnProfile, key: str, fields: list[str]) -> None:
    if key == "pc":
        pc, count = int(fields[0], 16), _count(fields[1])
        profile.pc_counts[pc] = profile.pc_counts.get(pc, 0) + count
        return
    if key == "mem":
        if len(fields) != 5:
            raise ValueError(key)
        profile.memory_blocks[int(fields[0], 16)] = tuple(_count(f) for f in fields[1:])
        return
    if key == "ram":
        profile.ram = (int(fields[0], 16), int(fields[1], 16))
        return
    if len(fields) != 1:
        raise ValueError(key)
    value = _count(fields[0])
    scope, _, name = key.partition(".")
    if key == "windows":
        profile.windows = value
    elif key == "ram.block":
        profile.ram_block = value
    elif key == "other.page":
        profile.other_page = value
    elif scope in ("total", "window") and name:
        getattr(profile, scope)[name] = value
    else:
        raise KeyError(key)


def _count(text: str) -> int:
    if not text.isdigit():
        raise ValueError(text)
    return int(text)
