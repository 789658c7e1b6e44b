"""bmrt.symbolize on small synthetic inputs: a made-up nm listing, firmware log and profile
whose expected split follows from the documented attribution rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from bmrt import insn_profile, symbolize
from bmrt.insn_profile import InsnProfile

NM_LISTING = """\
80000000 00000010 T _start
80000010 00000020 T bmrt::vm::Interpreter::Execute(bmrt::vm::Frame*)
80000030 00000010 t bmrt::Status bmrt::vm::(anonymous namespace)::Fill<float>(bmrt::vm::Buffer*, float)
80000040 00000010 T bmrt::hal::Executable::Dispatch(unsigned int) const
80000050 00000010 T bmrt::Arena::Allocate(unsigned int, unsigned int)
80000060 00000010 T memcpy
80000070 00000010 T bmrt_main
80000080 00000008 T bmrt::engine::IreeEngine::Run(bmrt::Span<unsigned char const>)
80100000 00000010 r some_table
80100100 00000000 D __data_start
80100200 00000000 B __bss_end
80100200 00000000 B __bmrt_arena_start
80200000 00000000 A __bmrt_arena_end
80200000 00000000 A __bmrt_stack_guard
80200100 00000000 A __stack_bottom
80210000 00000000 A __stack_top
00040000 00000000 A __bmrt_stack_size
"""

LOG = """\
UART ready
model-bytes 0x80120000 0x100
kernel-image 0x80130000 0x1000
kernel 0x80130100 stale_dispatch_from_an_earlier_model
model-bytes 0x80140000 0x200
kernel-image 0x80150000 0x1000
kernel 0x80150400 main_dispatch_1_conv
kernel 0x80150100 main_dispatch_0_copy
INFO |Runtime started
"""


@pytest.fixture
def symbolizer() -> symbolize.Symbolizer:
    return symbolize.Symbolizer(symbolize.parse_nm(NM_LISTING),
                                symbolize.parse_firmware_log(LOG))


def test_only_the_last_model_counts_and_entries_are_sorted():
    layout = symbolize.parse_firmware_log(LOG)
    assert layout.model_bytes == (0x80140000, 0x200)
    assert layout.images == [(0x80150000, 0x1000)]
    assert layout.export_names() == ["main_dispatch_0_copy", "main_dispatch_1_conv"]


@pytest.mark.parametrize("pc, kernel", [
    (0x80150000, symbolize.KERNEL_OTHER),        # image start, before the first entry
    (0x801500FF, symbolize.KERNEL_OTHER),
    (0x80150100, "main_dispatch_0_copy"),
    (0x801503FF, "main_dispatch_0_copy"),
    (0x80150400, "main_dispatch_1_conv"),
    (0x80150FFF, "main_dispatch_1_conv"),        # last byte of the image
    (0x80151000, None),                          # one past it
    (0x80130100, None),                          # the earlier model's image is gone
    (0x80000010, None),
])
def test_kernel_is_the_greatest_entry_at_or_below_the_pc(symbolizer, pc, kernel):
    assert symbolizer.kernel_of(pc) == kernel


@pytest.mark.parametrize("pc, component", [
    (0x80000000, "platform"),     # _start
    (0x80000014, "vm"),
    (0x80000034, "vm"),           # return type bmrt::Status must not make it "base"
    (0x80000040, "hal"),
    (0x80000050, "base"),
    (0x80000064, "libc/libgcc"),
    (0x80000070, "platform"),     # bmrt_main
    (0x80000084, "engine"),
    (0x80000088, "unknown"),      # past the last sized symbol
    (0x80150500, "kernels"),
])
def test_component_from_the_demangled_symbol(symbolizer, pc, component):
    assert symbolizer.component_of(pc) == component


@pytest.mark.parametrize("address, region", [
    (0x80000000, "firmware_code_rodata"),
    (0x80100000, "firmware_code_rodata"),
    (0x80100100, "firmware_data_bss"),
    (0x801001FF, "firmware_data_bss"),
    (0x80100200, "arena"),
    (0x80140000, "model_bytes"),
    (0x801401FF, "model_bytes"),
    (0x80140200, "arena"),
    (0x80150FC0, "kernel_code"),
    (0x801FFFFF, "arena"),
    (0x80200000, "stack"),        # the guard below the stack counts as stack
    (0x8020FFFF, "stack"),
    (0x10000000, "mmio"),
    (0x80210000, "mmio"),
])
def test_region_bounds_come_from_linker_symbols_and_the_log(symbolizer, address, region):
    assert symbolizer.region_of(address) == region


def make_profile() -> InsnProfile:
    profile = InsnProfile(windows=2)
    profile.pc_counts = {0x80150100: 10, 0x80150404: 30, 0x80150000: 2, 0x80000014: 6,
                         0x80000064: 4, 0x90000000: 2}
    profile.memory_blocks = {0x80140000: (8, 0, 32, 0), 0x80140040: (4, 0, 16, 0),
                             0x80200100: (2, 2, 8, 8), 0x10000000: (0, 2, 0, 2)}
    profile.window = {"insns": 54, "mem_loads": 14, "mem_stores": 4, "mem_load_bytes": 56,
                      "mem_store_bytes": 10}
    return profile


def test_per_inference_splits_add_up_to_the_window(symbolizer):
    profile = make_profile()
    kernels = symbolize.kernel_instructions(profile, symbolizer)
    assert kernels == {"main_dispatch_1_conv": 15.0, "main_dispatch_0_copy": 5.0,
                       symbolize.KERNEL_OTHER: 1.0}
    components = symbolize.instructions_by_component(profile, symbolizer)
    assert components == {"kernels": 21.0, "vm": 3.0, "libc/libgcc": 2.0, "unknown": 1.0}
    assert sum(components.values()) * profile.windows == profile.window["insns"]
    regions = symbolize.memory_by_region(profile, symbolizer)
    assert regions["model_bytes"] == {"loads": 6.0, "stores": 0.0, "load_bytes": 24.0,
                                      "store_bytes": 0.0}
    assert regions["stack"]["store_bytes"] == 4.0 and regions["mmio"]["stores"] == 1.0
    for field, counter in zip(symbolize.MEMORY_FIELDS, insn_profile.MEMORY_COUNTERS):
        assert sum(entry[field] for entry in regions.values()) * 2 == profile.window[counter]


def test_report_format_2_round_trips(tmp_path: Path):
    path = tmp_path / "profile.txt"
    path.write_text("format bmrt-insn-profile-2\nwindows 1\nwindow.insns 5\ntotal.insns 9\n"
                    "ram 0x80000000 0x1100000\nram.block 64\nother.page 4096\n"
                    "pc 0x80000010 3\npc 0x80000014 2\n"
                    "mem 0x80000040 1 2 4 8\nmem 0x10000000 0 1 0 1\n")
    profile = insn_profile.read_profile(path)
    assert profile.pc_counts == {0x80000010: 3, 0x80000014: 2}
    assert profile.memory_blocks[0x80000040] == (1, 2, 4, 8)
    assert profile.block_size(0x80000040) == 64 and profile.block_size(0x10000000) == 4096
    path.write_text("format bmrt-insn-profile-2\nmem 0x80000040 1 2\n")
    with pytest.raises(insn_profile.ProfileError, match="malformed"):
        insn_profile.read_profile(path)


def test_format_1_reports_are_still_read(tmp_path: Path):
    path = tmp_path / "profile.txt"
    path.write_text("format bmrt-insn-profile-1\nwindows 2\nwindow.insns 5\n")
    profile = insn_profile.read_profile(path)
    assert profile.windows == 2 and profile.pc_counts == {}


def test_missing_nm_tool_is_a_clear_error(tmp_path: Path):
    with pytest.raises(symbolize.SymbolizeError, match="cannot read"):
        symbolize.read_firmware(tmp_path / "missing.elf", nm="llvm-nm-22")
