"""The QEMU instruction-profile plugin (profiling/qemu-plugin): where it is, what it reports.

The plugin counts executed instructions by class (int_alu, fp_arith, vector_arith, vector_load,
vsetvl, branch, csr, ...) and memory accesses, over the whole run ("total") and inside the
windows the firmware marks with ProfileWindowBegin/End ("window").
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PLUGIN_NAME = "libbmrt_insn_profile.so"
PLUGIN_CANDIDATES = (REPO / "build/host/profiling/qemu-plugin" / PLUGIN_NAME,)
FORMAT = "bmrt-insn-profile-1"


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

    VECTOR_CLASSES = ("vector_arith", "vector_load", "vector_store", "vsetvl")

    def vector_instructions(self, scope: str = "window") -> int:
        counts = self.window if scope == "window" else self.total
        return sum(counts.get(name, 0) for name in self.VECTOR_CLASSES)


def read_profile(path: Path) -> InsnProfile:
    try:
        lines = Path(path).read_text().splitlines()
    except FileNotFoundError:
        raise ProfileError(f"{path}: no profile written (did QEMU load the plugin?)") from None
    if not lines or lines[0] != f"format {FORMAT}":
        raise ProfileError(f"{path}: not a {FORMAT} report")
    profile = InsnProfile(windows=0)
    for number, line in enumerate(lines[1:], start=2):
        key, _, value = line.partition(" ")
        if not value.isdigit():
            raise ProfileError(f"{path}:{number}: malformed line {line!r}")
        scope, _, name = key.partition(".")
        if key == "windows":
            profile.windows = int(value)
        elif scope in ("total", "window") and name:
            getattr(profile, scope)[name] = int(value)
        else:
            raise ProfileError(f"{path}:{number}: unknown counter {key!r}")
    return profile
