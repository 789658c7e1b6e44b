"""The benchmark documents: docs/benchmarks.md (for people) and docs/benchmarks.json (all data)."""
from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from pathlib import Path

GOALS = {"host_overhead": 0.5, "outside_share": 0.03, "code_and_rodata": 64 * 1024,
         "memory_over_bound": 1.2, "upload_over_echo": 0.8}


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "unavailable"


def machine() -> dict:
    cpu = "unknown"
    try:
        match = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = match.group(1) if match else cpu
    except OSError:
        pass
    from bmrt import compile as compiler
    return {"nproc": os.cpu_count(), "cpu": cpu, "load_average": list(os.getloadavg()),
            "kernel": platform.release(), "python": platform.python_version(),
            "qemu": _first_line(["qemu-system-riscv32", "--version"]),
            "clang": _first_line(["clang++-22", "--version"]),
            "valgrind": _first_line(["valgrind", "--version"]),
            "iree_compile": compiler.compiler_version()}


def _ratio(spread: dict) -> str:
    return f"{spread['median']:.2f}x (IQR {spread['p25']:.2f}-{spread['p75']:.2f}, " \
           f"range {spread['min']:.2f}-{spread['max']:.2f}, n={spread['samples']})"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _host(host: dict) -> list[str]:
    lines = ["## Host overhead (x86_64, same .vmfb, bmrt vs iree-base-runtime local-sync)", "",
             f"- ours: `{host['ours_command']}`", f"- IREE: `{host['iree_command']}`",
             "- timing: interleaved runs (ours, IREE, IREE, ours, ...), ratio ours/IREE per pair; "
             "CPU = process CPU time (less sensitive to other load than wall time)",
             "- instructions: `valgrind --tool=callgrind` at N and 2N invocations, difference / N; "
             "kernels = code outside any object file (the loaded executables); IREE runs with "
             "`LD_PRELOAD=libno_io_uring.so` (valgrind 3.19 cannot run io_uring)", "",
             "| model | .vmfb bytes | wall ratio | CPU ratio | ours CPU ns/inv | IREE CPU ns/inv |"
             " ours instr/inv | IREE instr/inv | ours runtime instr/inv | IREE runtime instr/inv |"
             " runtime instr ratio |", "|" + "---|" * 11]
    for name, entry in host["models"].items():
        timing, counts = entry["timing"], entry["callgrind"]
        lines.append(
            f"| {name} | {entry['vmfb_bytes']} | {_ratio(timing['wall_ratio'])} | "
            f"{_ratio(timing['cpu_ratio'])} | {timing['ours_cpu_ns']['median']:.0f} | "
            f"{timing['iree_cpu_ns']['median']:.0f} | "
            f"{counts['ours']['instructions_per_invocation']} | "
            f"{counts['iree']['instructions_per_invocation']} | "
            f"{counts['ours']['runtime_instructions_per_invocation']} | "
            f"{counts['iree']['runtime_instructions_per_invocation']} | "
            f"{counts['ratio_runtime']:.2f}x |")
    add4 = host["models"].get("add4")
    if add4:
        ratio = add4["callgrind"]["ratio_runtime"]
        lines += ["", f"Goal: ours at most {GOALS['host_overhead']}x of IREE's per-invocation "
                  f"overhead (add4, runtime instructions): {ratio:.2f}x - "
                  f"{_verdict(ratio <= GOALS['host_overhead'])}."]
    lines += ["", "Where the instructions go per invocation (callgrind, top functions):", ""]
    for name, entry in host["models"].items():
        for who in ("ours", "iree"):
            top = ", ".join(f"{f['function']} {f['instructions']}"
                            for f in entry["callgrind"][who]["top_functions"][:5])
            lines.append(f"- {name}, {who}: {top}")
    return lines


def _runtime_note(host: dict) -> str:
    """Where bmrt's own instructions go in one magic-wand invocation on the host (callgrind)."""
    ours = host["models"].get("magic_wand", {}).get("callgrind", {}).get("ours")
    if not ours or not ours.get("top_runtime_functions"):
        return ""
    top = ", ".join(f"{f['function']} {f['instructions']}" for f in ours["top_runtime_functions"][:6])
    return (f" The same module on x86_64 (host section, callgrind) spends "
            f"{ours['runtime_instructions_per_invocation']} instructions per invocation outside "
            f"kernels; the largest parts: {top}.")


def _simulated(sim: dict, host: dict) -> list[str]:
    lines = ["## Simulated accelerator (QEMU rv32, -icount shift=0, exact counts)", "",
             f"Model: {sim['model']}. Command: {sim['command']}.", "",
             "| build | .vmfb bytes | instructions / inference | in kernels | outside kernels |"
             " share outside | dispatches | workgroups |", "|" + "---|" * 8]
    for target, run in sim["targets"].items():
        lines.append(f"| {target} | {run['vmfb_bytes']} | {run['instructions_per_inference']:.0f} |"
                     f" {run['kernel_instructions']:.0f} | {run['outside_kernels']:.0f} |"
                     f" {100 * run['outside_share']:.2f} % | {run['dispatches']} |"
                     f" {run['workgroups']} |")
    share = sim["targets"]["rv32-vector"]["outside_share"]
    lines += ["", f"Vector / scalar instructions: {sim['vector_over_scalar']:.3f}x.",
              f"Goal: at most {100 * GOALS['outside_share']:.0f} % outside kernels (vector build): "
              f"{100 * share:.2f} % - {_verdict(share <= GOALS['outside_share'])}. "
              "Outside kernels = the server's per-inference count minus the instructions counted "
              "around kernel workgroup loops (VM interpreter, hal calls, buffer views, copies)."
              + _runtime_note(host)]
    return lines


def _footprint(fp: dict) -> list[str]:
    lines = ["## Firmware footprint (no model loaded)", "", f"From `{fp['map']}` ({fp['command']}).",
             "", "| component | text | rodata | data | bss |", "|---|---|---|---|---|"]
    for name, row in fp["components"].items():
        lines.append(f"| {name} | {row['text']} | {row['rodata']} | {row['data']} | {row['bss']} |")
    t = fp["totals"]
    lines.append(f"| **total** | {t['text']} | {t['rodata']} | {t['data']} | {t['bss']} |")
    size = fp["code_and_rodata"]
    biggest = sorted(fp["components"].items(), key=lambda kv: -(kv[1]["text"] + kv[1]["rodata"]))
    lines += ["", "Biggest contributors (text + rodata): " + ", ".join(
        f"{name} {row['text'] + row['rodata']} B" for name, row in biggest[:4]) + "."]
    lines += ["", f"Goal: code + read-only data at most 64 KiB: {size} bytes "
              f"({size / 1024:.1f} KiB) - {_verdict(size <= GOALS['code_and_rodata'])}. "
              "Built by cmake/rv32-size.cmake: -Oz off the per-inference path, -O2 on it, safe "
              "identical-code folding; what each choice costs in instructions per inference and "
              "what is left: [firmware-size.md](firmware-size.md).", "",
              "Largest input sections (text and rodata):", ""]
    lines += [f"- {row['bytes']} B {row['component']}: `{row['section']}`"
              for row in fp.get("largest_sections", [])]
    return lines


def _memory(mem: dict) -> list[str]:
    act = mem["largest_live_activations"]
    server = mem["server"]
    peak = mem.get("server_peak_over_bound")
    ratio = peak if peak is not None else mem["peak_with_module_over_bound"]
    if peak is not None:
        server_peak = (f"- server: arena peak {server.get('arena_peak_bytes')} B (module upload "
                       f"included) = **{peak:.2f}x** the bound (the goal's figure)")
    else:
        server_peak = (f"- server: its `arena_peak_bytes` record reads "
                       f"{server.get('arena_peak_bytes')} of {server.get('arena_capacity_bytes')} B"
                       " because the model upload reserves the free arena while it streams in, so "
                       "it says nothing about inference; the check firmware's figure is used")
    return ["## Memory (magic wand, rv32-vector)", "", f"Command: {mem['command']}.", "",
            server_peak,
            f"- lower bound: module {mem['module_bytes']} B + largest live activations "
            f"{act['bytes']} B (at {act['operator']}) = {mem['lower_bound']} B",
            f"- check firmware: arena peak {mem['check_firmware_arena_peak']} B + module "
            f"{mem['module_bytes']} B = {ratio:.2f}x the bound",
            f"- server after the inferences: arena in use {server.get('arena_in_use_bytes')} B "
            f"(upload {server.get('model_bytes')} B + loaded state "
            f"{server.get('engine_loaded_bytes')} B) = {mem['server_in_use_over_bound']:.2f}x the "
            f"bound",
            "", f"Goal: at most {GOALS['memory_over_bound']}x: {_verdict(ratio <= GOALS['memory_over_bound'])}."
            + ("" if ratio <= GOALS["memory_over_bound"] else _memory_breakdown(mem))]


def _memory_breakdown(mem: dict) -> str:
    """Why the peak exceeds the goal, from the server's STATS of the same run."""
    server = mem["server"]
    loaded = server.get("engine_loaded_bytes")
    text = (f" Where it goes: the loaded state ({loaded} B) holds the parsed module model, the "
            f"relocated kernel library ({mem.get('kernel_library_bytes', 0)} B in the module), "
            "the recorded command buffer, the hal objects, the VM stack (sized from the module's "
            "deepest chain of internal calls) and the buffers the module's initializer keeps "
            "(e.g. weights repacked for the kernels).")
    peak, in_use = server.get("arena_peak_bytes"), server.get("arena_in_use_bytes")
    if mem.get("server_peak_over_bound") is None or peak is None or in_use is None:
        return text
    transient = peak - in_use
    floor = (mem["module_bytes"] + transient) / mem["lower_bound"]
    return text + (f" An inference adds {transient} B at its peak, almost all of it the transient "
                   "allocation the compiler planned for the activations (larger than the "
                   f"{mem['largest_live_activations']['bytes']} B the TFLite interpreter keeps "
                   f"live): with the module, which is used in place, that alone is {floor:.2f}x "
                   "the bound, so the goal needs a tighter activation plan from the compiler.")


def _link(link: dict) -> list[str]:
    ratio = link["upload_over_echo"]
    return ["## Link (model upload vs raw echo, same QEMU UART socket)", "",
            f"Command: {link['command']}.", "",
            f"- model {link['model_bytes']} B in {link['frame_bytes']} B of frames",
            f"- upload: {link['upload_bytes_per_s'] / 1024:.1f} KiB/s; echo: "
            f"{link['echo_bytes_per_s'] / 1024:.1f} KiB/s (medians of "
            f"{len(link['upload_samples'])} and {len(link['echo_samples'])})",
            "- the echo moves every byte through the UART twice (in and back out), the upload "
            "once plus a short reply; both pass the same socket chardev and QEMU's 16550 model",
            "", f"Goal: upload at least {GOALS['upload_over_echo']}x echo: {ratio:.2f}x - "
            f"{_verdict(ratio >= GOALS['upload_over_echo'])}."]


def write_documents(results: dict, markdown: Path) -> tuple[Path, Path]:
    m = results["machine"]
    lines = ["# Benchmarks", "",
             f"Written by `{results['command']}` ({results['seconds']} s). Machine: {m['nproc']} "
             f"CPUs ({m['cpu']}), load average {', '.join(f'{x:.1f}' for x in m['load_average'])};"
             f" {m['qemu']}; {m['clang']}; {m['valgrind']}; iree-compile {m['iree_compile']}; "
             f"Python {m['python']}. The machine is shared: compare the ratios, not absolute times.",
             ""]
    for section in (_host(results["host"]), _simulated(results["simulated"], results["host"]),
                    _footprint(results["footprint"]), _memory(results["memory"]),
                    _link(results["link"])):
        lines += section + [""]
    markdown.parent.mkdir(parents=True, exist_ok=True)
    markdown.write_text("\n".join(lines))
    json_path = markdown.with_suffix(".json")
    json_path.write_text(json.dumps(results, indent=1, default=str) + "\n")
    return markdown, json_path
