"""Locate and run the pinned IREE tools (iree-compile, iree-dump-module, tosa converter).

Tools are looked up in $BMRT_IREE_BIN, then in <repo>/.venv/bin, then on PATH, so the pinned
versions from requirements.txt win over anything else installed.

    from bmrt import iree_tools
    iree_tools.compile_mlir(Path("m.mlir"), Path("m.vmfb"))                  # vm dialect only
    iree_tools.compile_mlir(Path("k.mlir"), Path("k.vmfb"), target="riscv32")  # with HAL/codegen
    iree_tools.compile_tflite(Path("model.tflite"), Path("model.vmfb"), target="riscv32")
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 300


# llvm-cpu flags per target; riscv32 matches the simulated core (rv32 + 512-bit vectors).
TARGET_FLAGS: dict[str, list[str]] = {
    "riscv32": [
        "--iree-llvmcpu-target-triple=riscv32-pc-linux-elf",
        "--iree-llvmcpu-target-cpu=generic-rv32",
        "--iree-llvmcpu-target-cpu-features=+m,+f,+zvl512b,+zve32f",
        "--iree-llvmcpu-target-abi=ilp32",
    ],
    "x86_64": [
        "--iree-llvmcpu-target-triple=x86_64-linux-gnu",
        "--iree-llvmcpu-target-cpu=generic",
    ],
}


class IreeToolError(RuntimeError):
    """A tool is missing or exited with an error (message names the tool, input and output)."""


def find_tool(name: str) -> Path:
    """Path of an IREE-related executable, preferring the pinned virtual environment."""
    candidates = []
    if os.environ.get("BMRT_IREE_BIN"):
        candidates.append(Path(os.environ["BMRT_IREE_BIN"]) / name)
    candidates.append(REPO / ".venv" / "bin" / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found:
        return Path(found)
    raise IreeToolError(f"{name} not found (looked in $BMRT_IREE_BIN, {REPO / '.venv/bin'}, PATH)")


def _run(tool: str, args: Sequence[str], what: str) -> str:
    command = [str(find_tool(tool)), *args]
    # The venv entry points are wrappers that start the real binary: run them in their own
    # process group so that a timeout stops both.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as error:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise IreeToolError(f"{tool} timed out after {TIMEOUT_SECONDS}s on {what}") from error
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    if process.returncode != 0:
        raise IreeToolError(f"{tool} failed on {what} (exit {process.returncode}):\n{stderr[-4000:]}")
    return stdout


def compile_flags(target: str | None) -> list[str]:
    """iree-compile flags: a vm.module alone (`target=None`), scalar-only func code with the
    full pipeline but no device (`"scalar"`), or HAL codegen for `target` ("riscv32", "x86_64")."""
    common = ["--iree-vm-bytecode-module-strip-source-map=true"]
    if target is None:
        return ["--compile-mode=vm", *common]
    if target == "scalar":
        return common
    if target not in TARGET_FLAGS:
        raise IreeToolError(f"unknown target {target!r}; known: {', '.join(TARGET_FLAGS)}")
    return [
        "--iree-hal-target-device=local",
        "--iree-hal-local-target-device-backends=llvm-cpu",
        *TARGET_FLAGS[target],
        "--iree-llvmcpu-debug-symbols=false",
        *common,
    ]


def compile_mlir(source: Path, output: Path, target: str | None = None,
                 extra_args: Sequence[str] = (), input_type: str | None = None) -> Path:
    """Compiles MLIR (text or bytecode) to a .vmfb; `target` as in compile_flags()."""
    # Written under a temporary name so that a failed or interrupted run leaves no output.
    partial = output.with_name(output.name + ".partial")
    args = [str(source), *compile_flags(target), *extra_args, "-o", str(partial)]
    if input_type:
        args.insert(1, f"--iree-input-type={input_type}")
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        _run("iree-compile", args, f"{source} -> {output}")
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return output


def tflite_to_tosa(model: Path, output: Path) -> Path:
    """Converts a .tflite model to TOSA MLIR bytecode."""
    _run("tosa-converter-for-tflite", [str(model), "--bytecode", "-o", str(output)], str(model))
    return output


def compile_tflite(model: Path, output: Path, target: str = "riscv32",
                   extra_args: Sequence[str] = ()) -> Path:
    """Compiles a .tflite model to a .vmfb for `target` ("riscv32" or "x86_64")."""
    with tempfile.TemporaryDirectory(prefix="bmrt-tosa-") as scratch:
        tosa = tflite_to_tosa(model, Path(scratch) / (model.stem + ".mlirbc"))
        return compile_mlir(tosa, output, target=target, extra_args=extra_args, input_type="tosa")


def dump_module(vmfb: Path, output: str = "all") -> str:
    """Text from iree-dump-module (`output`: all, metadata, disassembly, flatbuffer-json)."""
    return _run("iree-dump-module", [f"--output={output}", str(vmfb)], str(vmfb))
