"""Figures of the simulated accelerator: instructions per inference, footprint, memory, link.

Instruction counts are exact (QEMU -icount shift=0, the server's STATS records). The footprint
comes from the firmware's linker map (input sections attributed to the archive or object that
supplied them). The link figure is the only wall-clock one here: the model upload through the
server against an echo of the same bytes through the same UART socket, in one run.
"""
from __future__ import annotations

import re
import statistics
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from bmrt import compile as compiler
from bmrt import device, models
from bmrt.fetch import REPO_ROOT
from bmrt.simulator import Simulator

FIRMWARE = "rv32/platform/qemu-virt-rv32/bmrt-firmware.elf"
CHECK_FIRMWARE = "rv32/runtime/hal/bmrt-hal-rv32-model.elf"
MODULE_ADDRESS = 0x81800000  # runtime/hal/hal_rv32_model_test.cc: kModuleAddress
INPUT_ADDRESS = 0x81C00000   # kInputAddress
GENERATION = "g4"
TIMEOUT_S = 120.0
COMPONENTS = [("libbmrt_test_engine.a", "server (test engine)"), ("libbmrt_base.a", "base"),
              ("libbmrt_protocol.a", "protocol"), ("libbmrt_server.a", "server"),
              ("libbmrt_vmfb.a", "vmfb"), ("libbmrt_vm.a", "vm"), ("libbmrt_hal.a", "hal"),
              ("libbmrt_elf.a", "elf"), ("libbmrt_engine.a", "engine"),
              ("selftest", "platform (self-test)"), ("platform/", "platform"),
              ("libc.a", "libc/libgcc"), ("libm.a", "libc/libgcc"), ("libgcc.a", "libc/libgcc")]
# Namespaces of bmrt::<namespace> -> component names above (LTO input sections, see below).
NAMESPACE_COMPONENTS = {"base": "base", "protocol": "protocol", "server": "server",
                        "vmfb": "vmfb", "vm": "vm", "hal": "hal", "elf": "elf",
                        "engine": "engine", "platform": "platform"}
SECTION_KINDS = {".text": "text", ".rodata": "rodata", ".srodata": "rodata", ".data": "data",
                 ".sdata": "data", ".init_array": "data", ".bss": "bss", ".sbss": "bss"}


def _wand_input(spec: models.TensorSpec, seed: int = 0) -> bytes:
    values = np.random.default_rng(seed).uniform(-1, 1, spec.shape).astype(np.float32)
    return spec.quantize(values).tobytes()


def _server(build: Path, vector: bool, log: Path):
    return device.open_device(build / FIRMWARE, vector=vector, generation=GENERATION,
                              transport="socket", timeout_s=TIMEOUT_S, log_path=log)


def simulated(build: Path, quick: bool) -> dict:
    model = models.resolve("magic_wand")
    data = _wand_input(model.io_spec.inputs[0])
    runs = {}
    with tempfile.TemporaryDirectory(prefix="bmrt-bench-sim-") as scratch:
        for target, vector in (("rv32-vector", True), ("rv32-scalar", False)):
            compiled = compiler.compile_model(model.path, target)
            with _server(build, vector, Path(scratch) / f"{target}.log") as session:
                session.upload_io_spec(model.io_spec.raw)
                session.upload_model(compiled.vmfb.read_bytes(), show_progress=False)
                counts, kernels = [], []
                for _ in range(1 if quick else 5):
                    session.infer(data)
                    stats = session.statistics()
                    counts.append(int(stats["last_inference_instructions"]))
                    kernels.append(int(stats.get("last_kernel_instructions", 0)))
            total, kernel = statistics.median(counts), statistics.median(kernels)
            runs[target] = {"vmfb_bytes": compiled.size, "instructions_per_inference": total,
                            "kernel_instructions": kernel, "outside_kernels": total - kernel,
                            "outside_share": (total - kernel) / total,
                            "all_counts": counts, "dispatches": int(stats.get("last_dispatches", 0)),
                            "workgroups": int(stats.get("last_workgroups", 0)),
                            "server_stats": {k: v for k, v in stats.items()
                                             if isinstance(v, (int, float))}}
    vector, scalar = runs["rv32-vector"], runs["rv32-scalar"]
    return {"model": "magic_wand (float32, static batch)", "targets": runs,
            "vector_over_scalar": vector["instructions_per_inference"]
            / scalar["instructions_per_inference"],
            "command": f"bmrt server ({FIRMWARE}) over the UART socket, {GENERATION.upper()}; "
                       "STATS last_inference_instructions / last_kernel_instructions"}


def _demangled_section(name: str) -> str:
    """`lib.a(obj.o):(.text._ZN...)` -> `obj.o .text <demangled symbol>` (best effort)."""
    source, _, section = name.partition(":(")
    section = section.rstrip(")")
    obj = source.rsplit("/", 1)[-1]
    kind, _, symbol = section[1:].partition(".")
    if symbol.startswith("_Z"):
        try:
            symbol = subprocess.run(["llvm-cxxfilt-22", symbol], capture_output=True, text=True,
                                    timeout=10).stdout.strip() or symbol
        except OSError:
            pass
    return f"{obj} .{kind} {symbol}"[:140]


def _lto_component(section: str) -> str:
    """Component of an input section of the LTO object, from the symbol in its name: the
    mangled `bmrt::<namespace>` (`.text._ZN4bmrt2vm...`), `bmrt_*` entry points (platform), the
    machine outliner's shared sequences, anything else (merged globals)."""
    match = re.search(r"4bmrt(\d+)", section)
    if match:
        start = match.end()
        namespace = section[start:start + int(match.group(1))]
        return NAMESPACE_COMPONENTS.get(namespace, "base")
    if ".bmrt_" in section:
        return "platform"
    if "OUTLINED_FUNCTION" in section:
        return "outlined sequences (all)"
    return "other (linker)"


def footprint(build: Path) -> dict:
    map_path = (build / FIRMWARE).with_suffix(".map")
    if not map_path.is_file():
        raise RuntimeError(f"{map_path} missing: run `make firmware`")
    line_re = re.compile(r"^\s*([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+\d+ ( *)(\S.*)$")
    table: dict[str, dict[str, int]] = {}
    largest: list[tuple[int, str, str]] = []
    output = None
    for line in map_path.read_text().splitlines():
        match = line_re.match(line)
        if not match:
            continue
        size, indent, name = int(match.group(3), 16), len(match.group(4)), match.group(5)
        if indent == 0:
            output = SECTION_KINDS.get(name.split()[0])
        elif indent == 8 and output is not None and size > 0:
            source = name.split(":(")[0]
            if source.endswith(".lto.o"):  # the firmware is linked with LTO: one object
                component = _lto_component(name)
            else:
                component = next((c for key, c in COMPONENTS if key in source),
                                 "merged strings, constants (all)" if source == "<internal>"
                                 else "other (linker)")
            row = table.setdefault(component, {"text": 0, "rodata": 0, "data": 0, "bss": 0})
            row[output] += size
            if output in ("text", "rodata"):
                largest.append((size, component, name))
    totals = {kind: sum(row[kind] for row in table.values()) for kind in ("text", "rodata", "data", "bss")}
    return {"map": str(map_path.relative_to(build.parent) if build.parent in map_path.parents
                       else map_path),
            "components": dict(sorted(table.items(), key=lambda kv: -kv[1]["text"] - kv[1]["rodata"])),
            "totals": totals, "code_and_rodata": totals["text"] + totals["rodata"],
            "largest_sections": [{"bytes": size, "component": component,
                                  "section": _demangled_section(section)}
                                 for size, component, section in sorted(largest, reverse=True)[:12]],
            "command": "linker map of `make firmware` (input sections by archive/object)"}


def activation_lower_bound(model: models.Model) -> dict:
    """Largest sum of non-constant tensors one TFLite operator reads and writes at once."""
    from ai_edge_litert.interpreter import Interpreter
    interpreter = Interpreter(model_path=str(model.path))
    interpreter.allocate_tensors()
    details = {t["index"]: t for t in interpreter.get_tensor_details()}
    ops = interpreter._get_ops_details()
    produced = {i for op in ops for i in op["outputs"]}
    produced |= {t["index"] for t in interpreter.get_input_details()}

    def nbytes(index: int) -> int:
        tensor = details[index]
        return int(np.prod(tensor["shape"])) * np.dtype(tensor["dtype"]).itemsize

    best, where = 0, ""
    for op in ops:
        live = sum(nbytes(i) for i in set(op["inputs"]) | set(op["outputs"])
                   if i >= 0 and i in produced)
        if live > best:
            best, where = live, op["op_name"]
    return {"bytes": best, "operator": where}


def embedded_elf_bytes(vmfb: bytes) -> int:
    """Size of the (32-bit) kernel library inside a .vmfb: up to its section header table."""
    start = vmfb.find(b"\x7fELF")
    if start < 0 or vmfb[start + 4] != 1:
        return 0
    shoff, = struct.unpack_from("<I", vmfb, start + 0x20)
    shentsize, shnum = struct.unpack_from("<HH", vmfb, start + 0x2E)
    return shoff + shentsize * shnum


def memory(build: Path, server_stats: dict) -> dict:
    """`server_stats`: the STATS records after the vector build's inferences (simulated())."""
    model = models.resolve("magic_wand")
    compiled = compiler.compile_model(model.path, "rv32-vector")
    spec = model.io_spec.inputs[0]
    activations = activation_lower_bound(model)
    lower = compiled.size + activations["bytes"]
    result: dict = {"module_bytes": compiled.size, "largest_live_activations": activations,
                    "kernel_library_bytes": embedded_elf_bytes(compiled.vmfb.read_bytes()),
                    "lower_bound": lower}
    stats = server_stats
    with tempfile.TemporaryDirectory(prefix="bmrt-bench-mem-") as scratch:
        result["server"] = {key: int(stats[key]) for key in (
            "arena_in_use_bytes", "arena_peak_bytes", "arena_capacity_bytes", "model_bytes",
            "engine_loaded_bytes") if key in stats}
        result["server_in_use_over_bound"] = stats["arena_in_use_bytes"] / lower
        # The peak includes the uploaded module (it lives in the arena); older firmwares
        # reserved the whole free arena during the upload, which made the record meaningless.
        peak_ok = stats["arena_peak_bytes"] < 0.9 * stats["arena_capacity_bytes"]
        result["server_peak_meaningful"] = peak_ok
        result["server_peak_over_bound"] = stats["arena_peak_bytes"] / lower if peak_ok else None
        # The check firmware runs the same module from a fixed address: its arena peak is the
        # runtime's whole use during load and inference, with the module bytes outside it.
        data = Path(scratch) / "input.bin"
        data.write_bytes(_wand_input(spec))
        boot = f"module={compiled.size} input={data.stat().st_size} shape=" + "x".join(
            map(str, spec.shape))
        loaders = ["-device", f"loader,file={compiled.vmfb},addr={MODULE_ADDRESS:#x},force-raw=on",
                   "-device", f"loader,file={data},addr={INPUT_ADDRESS:#x},force-raw=on"]
        with Simulator(build / CHECK_FIRMWARE, uart="none", boot_args=boot,
                       extra_args=loaders) as simulator:
            info = simulator.wait(timeout=TIMEOUT_S)
            log = simulator.log_text()
        match = re.search(r"model: arena peak=(\d+)", log)
        if info.code != 0 or match is None:
            raise RuntimeError(f"check firmware failed: {info.reason}\n{log[-2000:]}")
        peak = int(match.group(1))
        result["check_firmware_arena_peak"] = peak
        result["peak_with_module_over_bound"] = (peak + compiled.size) / lower
    result["command"] = (f"server STATS after the inferences above; {CHECK_FIRMWARE} log "
                         "'model: arena peak'; bound from the TFLite interpreter's tensors")
    return result


def _time_upload(build: Path, model: models.Model, vmfb: bytes, rounds: int, log: Path) -> list[float]:
    rates = []
    with _server(build, True, log) as session:
        session.upload_io_spec(model.io_spec.raw)
        for _ in range(rounds):
            start = time.perf_counter()
            session.upload_model(vmfb, show_progress=False)
            rates.append(len(vmfb) / (time.perf_counter() - start))
    return rates


def _time_echo(build: Path, stream: bytes, rounds: int, log: Path) -> list[float]:
    rates = []
    with Simulator(build / FIRMWARE, uart="socket", boot_args="echo", log_path=log) as sim:
        sim.wait_for_log("echo: ready", timeout=TIMEOUT_S)
        uart = sim.uart
        uart.timeout = TIMEOUT_S
        for _ in range(rounds):
            received = bytearray()
            reader = threading.Thread(target=lambda: received.extend(uart.read(len(stream))))
            start = time.perf_counter()
            reader.start()
            for offset in range(0, len(stream), 65536):  # the client's write size
                uart.write(stream[offset:offset + 65536])
            reader.join(TIMEOUT_S)
            elapsed = time.perf_counter() - start
            if bytes(received) != stream:
                raise RuntimeError(f"echo returned {len(received)} of {len(stream)} bytes intact")
            rates.append(len(stream) / elapsed)
    return rates


def link_speed(build: Path, quick: bool) -> dict:
    from bmrt.client.wire import Generation, Kind, encode_request
    model = models.resolve("magic_wand")
    vmfb = compiler.compile_model(model.path, "rv32-vector").vmfb.read_bytes()
    stream = b"".join(encode_request(Generation[GENERATION.upper()], Kind.MODEL, vmfb, 0, None, True))
    rounds = 1 if quick else 3
    uploads, echoes = [], []
    with tempfile.TemporaryDirectory(prefix="bmrt-bench-link-") as scratch:
        for index in range(1 if quick else 3):  # interleaved boots: echo, server, echo, ...
            echoes += _time_echo(build, stream, rounds, Path(scratch) / f"echo{index}.log")
            uploads += _time_upload(build, model, vmfb, rounds, Path(scratch) / f"up{index}.log")
    upload, echo = statistics.median(uploads), statistics.median(echoes)
    return {"model_bytes": len(vmfb), "frame_bytes": len(stream),
            "upload_bytes_per_s": upload, "echo_bytes_per_s": echo,
            "upload_over_echo": upload / echo, "upload_samples": uploads, "echo_samples": echoes,
            "command": "MODEL request (client, socket UART, 64 KiB writes) vs firmware `echo` boot "
                       "mode fed the same frame bytes in the same writes; medians"}
