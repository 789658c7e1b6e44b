"""The plugin's per-pc and per-memory-block counts on the real firmware, and their symbolization.

The per-pc and per-block lines must add up exactly to the window's class and memory counters;
on the magic-wand model the kernels the firmware reports must be the module's exports, the
kernel split must match the firmware's own `last_kernel_instructions` (see below), and the
weights must be read from the uploaded model bytes.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bmrt import insn_profile, symbolize
from bmrt.simulator import Simulator
from sim_helpers import REPO, firmware, no_qemu_left_behind  # noqa: F401 (fixtures)

VMFB_INSPECT = REPO / "build/host/tools/vmfb_inspect/vmfb_inspect"


def assert_lines_add_up(profile: insn_profile.InsnProfile) -> None:
    assert profile.pc_counts, "no pc lines in the report"
    assert sum(profile.pc_counts.values()) == profile.window["insns"]
    for index, counter in enumerate(insn_profile.MEMORY_COUNTERS):
        assert sum(counts[index] for counts in profile.memory_blocks.values()) \
            == profile.window[counter], counter


def test_selftest_windows_add_up_per_pc_and_per_block(firmware, tmp_path):
    path = tmp_path / "profile.txt"
    with Simulator(firmware, uart="none", boot_args="selftest", vector=True,
                   profile_path=path) as sim:
        assert sim.wait(timeout=60).ok
    profile = insn_profile.read_profile(path)
    assert profile.windows == 2
    assert_lines_add_up(profile)
    assert profile.ram == (0x80000000, 17 << 20)
    symbolizer = symbolize.Symbolizer(symbolize.read_firmware(firmware),
                                      symbolize.KernelLayout())
    # The self-test's marked kernels are platform code; their data is on the stack or in .bss.
    assert {symbolizer.component_of(pc) for pc in profile.pc_counts} == {"platform"}
    assert set(symbolize.memory_by_region(profile, symbolizer)) <= {"stack", "firmware_data_bss"}


def module_export_names(vmfb: Path) -> set[str]:
    """Executable export names of a .vmfb: the module's rodata strings that also appear,
    NUL-terminated, inside one of its embedded ELF libraries."""
    listing = json.loads(subprocess.run([str(VMFB_INSPECT), str(vmfb)], check=True,
                                        capture_output=True, text=True, timeout=60).stdout)
    data = vmfb.read_bytes()
    segments = [data[s["offset"]:s["offset"] + s["size"]] for s in listing["rodata"]]
    libraries = [segment for segment in segments if segment[:4] == b"\x7fELF"]
    assert libraries, f"{vmfb}: no embedded ELF"
    return {segment.decode() for segment in segments
            if segment and segment[:4] != b"\x7fELF" and segment.isascii()
            and segment.replace(b"_", b"").isalnum()
            and any(segment + b"\0" in library for library in libraries)}


@pytest.fixture(scope="module")
def magic_wand_run(tmp_path_factory):
    from bmrt import compile as compiler
    from bmrt import evaluate, models, scenario
    config = scenario.load(None)
    config["dataset"]["samples"] = 3
    config["simulator"]["profile"] = True
    config["protocol"]["timeout_s"] = 120
    firmware_path = scenario.resolve_path(config["runtime"]["firmware"])
    if not firmware_path.is_file():
        pytest.fail(f"{firmware_path} missing: build it with `make firmware`")
    if not VMFB_INSPECT.is_file():
        pytest.fail(f"{VMFB_INSPECT} missing: build it with `make host`")
    model = models.resolve(config["model_wrapper"]["model"], config["model_wrapper"]["io_spec"])
    data, split = evaluate.select_samples(config)
    output = tmp_path_factory.mktemp("profile")
    run = evaluate.run_target(config, model, compiler.TARGETS["rv32-vector"],
                              data.windows[split.indices], output)
    return run, output, firmware_path


def test_firmware_reports_the_module_exports(magic_wand_run):
    run, output, _ = magic_wand_run
    layout = symbolize.parse_firmware_log((output / "firmware-rv32-vector.log").read_text())
    reported = layout.export_names()
    assert len(reported) == len(set(reported)) > 0
    assert set(reported) == module_export_names(Path(run.compiled["vmfb"]))
    assert set(run.statistics["kernel_instructions"]) <= set(reported)
    assert layout.model_bytes is not None and layout.model_bytes[1] == run.upload_bytes


def test_kernel_split_matches_the_firmware_kernel_counter(magic_wand_run):
    run, output, firmware_elf = magic_wand_run
    profile = insn_profile.read_profile(output / "insn-profile-rv32-vector.txt")
    assert_lines_add_up(profile)
    stats = run.statistics
    windows = profile.windows
    assert windows == 3 == stats["engine_runs"]
    kernels = run.statistics["kernel_instructions"]
    assert symbolize.KERNEL_OTHER not in kernels
    # The firmware's counter (minstret around each dispatch's workgroup loop) also counts the
    # HAL loop around the kernel calls: a fixed number of instructions per workgroup call (the
    # Executable::Dispatch pcs that run exactly once per workgroup) and a fixed number per
    # dispatch (the counter read, loop set-up and tear-down; every magic-wand grid is one row).
    symbolizer = symbolize.Symbolizer(symbolize.read_firmware(firmware_elf),
                                      symbolize.KernelLayout())
    per_workgroup = 0
    per_dispatch_bound = 0
    for pc, count in profile.pc_counts.items():
        function = symbolizer.function_of(pc)
        if function.startswith(("bmrt::hal::Executable::Dispatch(",
                                "bmrt::platform::InstructionCount(")):
            per_workgroup += count == windows * stats["last_workgroups"]
            per_dispatch_bound += count >= windows * stats["last_dispatches"]
    assert per_workgroup > 0
    kernel_total = round(sum(kernels.values()) * windows)
    hal_loop = (stats["total_kernel_instructions"] - kernel_total) // windows
    assert (stats["total_kernel_instructions"] - kernel_total) % windows == 0
    workgroups, dispatches = stats["last_workgroups"], stats["last_dispatches"]
    if workgroups == dispatches:
        # One workgroup per dispatch (the rv32-vector build compiles without distribution): both
        # costs run equally often, only their sum per dispatch shows.
        per_dispatch, remainder = divmod(hal_loop, dispatches)
    else:
        per_dispatch, remainder = divmod(hal_loop - per_workgroup * workgroups, dispatches)
    assert remainder == 0
    assert 0 < per_dispatch < per_dispatch_bound
    components = run.statistics["instructions_by_component"]
    assert round(sum(components.values()) * windows) == profile.window["insns"]
    assert components["kernels"] == pytest.approx(sum(kernels.values()))
    assert "unknown" not in components


def test_memory_regions_add_up_and_weights_come_from_the_model_bytes(magic_wand_run):
    run, output, _ = magic_wand_run
    profile = insn_profile.read_profile(output / "insn-profile-rv32-vector.txt")
    regions = run.statistics["memory_by_region"]
    for field, counter in zip(symbolize.MEMORY_FIELDS, insn_profile.MEMORY_COUNTERS):
        assert round(sum(entry[field] for entry in regions.values()) * profile.windows) \
            == profile.window[counter], counter
    assert regions["model_bytes"]["loads"] > 0
    assert regions["model_bytes"]["stores"] == 0  # used in place, never written
    assert regions["arena"]["stores"] > 0  # activations
    assert "mmio" not in regions  # an inference touches no device
