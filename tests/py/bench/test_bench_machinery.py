"""`make bench`'s machinery in its tiny mode: every section runs and both documents list every
row. No timing is asserted (timings belong to bench/, and this machine is shared)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
NEEDED = ["build/host/bench/invoke/bmrt-bench-invoke",
          "build/host/bench/no_io_uring/libno_io_uring.so",
          "build/rv32/platform/qemu-virt-rv32/bmrt-firmware.elf",
          "build/rv32/platform/qemu-virt-rv32/bmrt-firmware.map",
          "build/rv32/runtime/hal/bmrt-hal-rv32-model.elf"]
HOST_MODELS = ["add4", "magic_wand", "convnet"]
COMPONENTS = ["base", "protocol", "server", "vmfb", "vm", "hal", "elf", "engine", "platform",
              "libc/libgcc"]


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> tuple[str, dict]:
    missing = [path for path in NEEDED if not (REPO / path).is_file()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make host firmware` first")
    out = tmp_path_factory.mktemp("bench") / "benchmarks.md"
    done = subprocess.run([sys.executable, "-m", "bmrt.bench", "--quick", "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(REPO / "host"),
                               "PATH": f"{REPO / '.venv/bin'}:/usr/local/bin:/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-3000:]
    return out.read_text(), json.loads(out.with_suffix(".json").read_text())


def test_host_rows_compare_both_runtimes(documents):
    markdown, data = documents
    for name in HOST_MODELS:
        entry = data["host"]["models"][name]
        assert entry["timing"]["pairs"] == 3
        assert entry["timing"]["cpu_ratio"]["samples"] == 3
        for who in ("ours", "iree"):
            counts = entry["callgrind"][who]
            assert counts["instructions_per_invocation"] > 0
            assert 0 <= counts["kernel_instructions_per_invocation"] <= counts["instructions_per_invocation"]
        assert f"| {name} |" in markdown


def test_simulated_rows_have_exact_counts(documents):
    markdown, data = documents
    targets = data["simulated"]["targets"]
    for target in ("rv32-vector", "rv32-scalar"):
        run = targets[target]
        assert 0 < run["kernel_instructions"] < run["instructions_per_inference"]
        assert f"| {target} |" in markdown
    assert data["simulated"]["vector_over_scalar"] > 0


def test_footprint_memory_and_link_rows(documents):
    markdown, data = documents
    components = data["footprint"]["components"]
    for name in COMPONENTS:
        assert name in components, name
        assert f"| {name} |" in markdown
    assert data["footprint"]["code_and_rodata"] == (data["footprint"]["totals"]["text"]
                                                     + data["footprint"]["totals"]["rodata"])
    memory = data["memory"]
    assert memory["lower_bound"] == memory["module_bytes"] + memory["largest_live_activations"]["bytes"]
    assert memory["check_firmware_arena_peak"] > 0
    link = data["link"]
    assert link["upload_bytes_per_s"] > 0 and link["echo_bytes_per_s"] > 0
    for heading in ("## Host overhead", "## Simulated accelerator", "## Firmware footprint",
                    "## Memory", "## Link", "Machine:"):
        assert heading in markdown
