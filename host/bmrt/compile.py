"""`bmrt compile`: a .tflite or MLIR model to an IREE .vmfb for one of our targets.

TFLite models go through `tosa-converter-for-tflite` (TOSA bytecode) and `iree-compile
--iree-input-type=tosa`; MLIR inputs go to iree-compile directly. Results are cached under
build/models/ keyed by a hash of the model bytes, the flags and the compiler version.

Batch dimension: the converter keeps TFLite's dynamic batch (`?x128x3x1`). With it the int8
magic-wand model does not compile at all (a dynamic-size stack allocation in a requantize
dispatch) and the float module is larger: for rv32-vector 42,449 vs 30,359 bytes and 253 vs 39
VM bytecode ops in @main (plus 62 in the once-per-device executable lookup; measured with
`python -m bmrt compile --vm-ops [--dynamic-batch]`). The dynamic-batch float kernels also
trip QEMU 7.2's `vfcvt.rtz` translation abort (runtime/hal/README.md); the static ones do not. So by default the leading `?` of every tensor type is fixed to 1: the TOSA
bytecode is printed as text by `iree-opt` (which speaks the compiler's MLIR version), the
types are rewritten, and the result must contain no dynamic dimension left, else the rewrite is
refused and the dynamic module is built. `--dynamic-batch` keeps the converter's output.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bmrt import iree_tools
from bmrt.fetch import REPO_ROOT

CACHE_DIR = REPO_ROOT / "build" / "models"
COMPILE_TIMEOUT_S = 600.0


class CompileError(RuntimeError):
    """A model could not be converted or compiled; the message carries the tool's diagnostics."""


@dataclasses.dataclass(frozen=True)
class Target:
    name: str
    triple: str
    cpu: str
    features: str
    abi: str | None
    description: str
    codegen_flags: tuple[str, ...] = ()
    static_shape_flags: tuple[str, ...] = ()  # left out for inputs with dynamic dimensions
    tuning_spec: Path | None = None  # static shapes only, like static_shape_flags

    def flags(self, static_shapes: bool = True) -> list[str]:
        flags = [
            "--iree-hal-target-device=local",
            "--iree-hal-local-target-device-backends=llvm-cpu",
            f"--iree-llvmcpu-target-triple={self.triple}",
            f"--iree-llvmcpu-target-cpu={self.cpu}",
        ]
        if self.features:
            flags.append(f"--iree-llvmcpu-target-cpu-features={self.features}")
        if self.abi:
            flags.append(f"--iree-llvmcpu-target-abi={self.abi}")
        flags += self.codegen_flags
        if static_shapes:
            flags += self.static_shape_flags
            if self.tuning_spec is not None:
                flags.append(f"--iree-codegen-tuning-spec-path={self.tuning_spec}")
        return flags + ["--iree-llvmcpu-debug-symbols=false",
                        "--iree-vm-bytecode-module-strip-source-map=true"]

    def tuning_spec_bytes(self) -> bytes:
        if self.tuning_spec is None:
            return b""
        try:
            return self.tuning_spec.read_bytes()
        except OSError as error:
            raise CompileError(f"target {self.name}: tuning spec {self.tuning_spec} "
                               f"unreadable: {error}") from error


# Vector target (measured in docs/evaluation.md, "Vector code generation"). LLVM's loop vectorizer
# is off in IREE by default; pinning vscale to 8 (VLEN 512) lets it drop the vlenb reads and
# strip-mining. +zve64f (Zve32f plus 64-bit integer elements, no D) vectorizes the int8 model's
# 64-bit requantization. With batch 1 IREE folds the unit dimensions, and a convolution with one
# input channel (or a pooling) becomes a linalg.generic the MLIR vectorizer leaves as scalar
# loops: im2col turns the convolutions into matmuls it does vectorize. Each dispatch runs as one
# workgroup (no distribution: a single hart; im2col's last layer does not compile with it), LLVM
# unrolls the small constant loops (the im2col gather becomes strided vector loads), data tiling
# drops a per-inference copy of the broadcast bias, maximum/minimum lower to fmax/fmin without the
# NaN checks, and a tuning spec gives the matmuls reduction tiles (tuning/). Everything but the loop
# vectorizer is given only for static shapes (with a dynamic batch the pinned vscale makes
# iree-compile run for minutes; the rest was measured with static shapes only).

TUNING_DIR = Path(__file__).resolve().parent / "tuning"

TARGETS = {
    "rv32-vector": Target("rv32-vector", "riscv32-pc-linux-elf", "generic-rv32",
                          "+m,+f,+zvl512b,+zve64f", "ilp32",
                          "Springbok-like rv32imf + Zve64f, VLEN 512",
                          ("--iree-llvmcpu-loop-vectorization",),
                          ("--iree-llvmcpu-vscale-range=8,8",
                           "--iree-global-opt-use-im2col-for-convs",
                           "--iree-llvmcpu-disable-distribution",
                           "--iree-llvmcpu-loop-unrolling",
                           "--iree-opt-data-tiling",
                           "--iree-llvmcpu-use-fast-min-max-ops"),
                          TUNING_DIR / "rv32_vector_matmul.mlir"),
    "rv32-scalar": Target("rv32-scalar", "riscv32-pc-linux-elf", "generic-rv32", "+m,+f",
                          "ilp32", "rv32imf, no vector extension"),
    "x86_64": Target("x86_64", "x86_64-linux-gnu", "generic", "", None,
                     "host x86_64 (reference runs with iree-base-runtime)"),
}


@dataclasses.dataclass(frozen=True)
class CompiledModel:
    vmfb: Path
    model: Path
    target: Target
    flags: tuple[str, ...]
    static_batch: bool
    compiler_version: str

    @property
    def size(self) -> int:
        return self.vmfb.stat().st_size

    def describe(self) -> dict:
        return {"vmfb": str(self.vmfb), "model": str(self.model), "target": self.target.name,
                "target_description": self.target.description, "flags": list(self.flags),
                "static_batch": self.static_batch, "compiler_version": self.compiler_version,
                "size": self.size}


def tool(name: str) -> str:
    try:
        return str(iree_tools.find_tool(name))
    except iree_tools.IreeToolError as error:
        raise CompileError(str(error)) from error


def _run(command: list[str], what: str) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=COMPILE_TIMEOUT_S)
    except subprocess.TimeoutExpired as error:
        raise CompileError(f"{what}: timed out after {COMPILE_TIMEOUT_S:.0f} s") from error
    if result.returncode != 0:
        raise CompileError(f"{what} failed (exit {result.returncode}):\n"
                           + summarize_diagnostics(result.stderr + result.stdout))
    return result


def summarize_diagnostics(text: str, limit: int = 12) -> str:
    """The compiler's `error:` lines (MLIR dumps after them are left out), else its tail."""
    errors = list(dict.fromkeys(line for line in text.splitlines() if "error:" in line))
    lines = errors[:limit] if errors else text.strip().splitlines()[-limit:]
    return "\n".join("  " + line[:400] for line in lines) or "  (no diagnostics)"


def compiler_version() -> str:
    result = _run([tool("iree-compile"), "--version"], "iree-compile --version")
    match = re.search(r"IREE \(https?://[^)]*\):\s*\n\s*IREE compiler version (\S+)",
                      result.stdout)
    if match:
        return match.group(1)
    versions = re.findall(r"version (\S+)", result.stdout)
    return versions[0] if versions else result.stdout.strip().splitlines()[0]


_DYNAMIC_LEADING = re.compile(r"tensor<\?x")


def fix_batch_dimension(mlir_text: str) -> str | None:
    """Rewrites leading dynamic dims to 1; None when other dynamic dims would remain."""
    fixed = _DYNAMIC_LEADING.sub("tensor<1x", mlir_text)
    if re.search(r"tensor<[^>]*\?", fixed):
        return None
    return fixed


def _convert(model: Path, work: Path, static_batch: bool) -> tuple[Path, str, bool]:
    """Returns (compiler input, input type flag value, static batch applied)."""
    if model.suffix in (".mlir", ".mlirbc"):
        return model, "auto", False
    if model.suffix != ".tflite":
        raise CompileError(f"model {model}: unsupported format {model.suffix!r} "
                           "(expected .tflite, .mlir or .mlirbc)")
    tosa = work / "model.tosa.mlirbc"
    _run([tool("tosa-converter-for-tflite"), str(model), "--bytecode", "-o", str(tosa)],
         f"converting {model} to TOSA")
    if not static_batch:
        return tosa, "tosa", False
    text = work / "model.tosa.mlir"
    _run([tool("iree-opt"), str(tosa), "-o", str(text)], f"printing TOSA of {model}")
    fixed = fix_batch_dimension(text.read_text())
    if fixed is None:
        return tosa, "tosa", False
    static = work / "model.static.mlir"
    static.write_text(fixed)
    return static, "tosa", True


def _static_text(source: Path) -> bool:
    """An MLIR text input without any dynamic dimension (bytecode counts as dynamic)."""
    return source.suffix == ".mlir" and not re.search(r"tensor<[^>]*\?", source.read_text())


def cache_key(model: Path, target: Target, static_batch: bool, extra_flags: list[str],
              version: str) -> str:
    digest = hashlib.sha256(model.read_bytes())
    digest.update(json.dumps([target.flags(), static_batch, extra_flags, version]).encode())
    digest.update(target.tuning_spec_bytes())
    return digest.hexdigest()[:20]


def compile_model(model: Path, target: Target | str = "rv32-vector", *,
                  static_batch: bool = True, extra_flags: list[str] | None = None,
                  cache_dir: Path = CACHE_DIR, output: Path | None = None) -> CompiledModel:
    model = Path(model)
    target = TARGETS[target] if isinstance(target, str) else target
    extra_flags = list(extra_flags or [])
    if not model.is_file():
        raise CompileError(f"model not found: {model}")
    version = compiler_version()
    key = cache_key(model, target, static_batch, extra_flags, version)
    entry = cache_dir / f"{model.stem}-{target.name}-{key}"
    vmfb, meta = entry / "model.vmfb", entry / "compile.json"
    if not (vmfb.is_file() and meta.is_file()):
        entry.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=entry) as scratch:
            source, input_type, applied = _convert(model, Path(scratch), static_batch)
            flags = ([f"--iree-input-type={input_type}"]
                     + target.flags(applied or _static_text(source)) + extra_flags)
            partial = Path(scratch) / "model.vmfb"
            try:
                _run([tool("iree-compile"), str(source), *flags, "-o", str(partial)],
                     f"compiling model {model.name} for {target.name}")
            except CompileError as error:
                raise CompileError(f"model {model} does not compile: {error}") from error
            partial.replace(vmfb)
        meta.write_text(json.dumps({"flags": flags, "static_batch": applied}, indent=1))
    recorded = json.loads(meta.read_text())
    compiled = CompiledModel(vmfb, model, target, tuple(recorded["flags"]),
                             recorded["static_batch"], version)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(vmfb, output)
        compiled = dataclasses.replace(compiled, vmfb=output)
    return compiled


def count_vm_ops(vmfb: Path) -> dict[str, int]:
    """Bytecode instructions per VM function, from `iree-dump-module`'s disassembly."""
    listing = _run([tool("iree-dump-module"), str(vmfb)], f"dumping {vmfb}").stdout
    counts: dict[str, int] = {}
    current = None
    for line in listing.splitlines():
        header = re.match(r"vm\.func @([\w.$]+)\(", line)
        if header:
            current = header.group(1)
            counts[current] = 0
        elif current and line.startswith("}"):
            current = None
        elif current and line.strip() and not line.strip().startswith("^"):
            counts[current] += 1
    return counts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", nargs="?", default="magic_wand",
                        help="catalogue name (magic_wand, magic_wand_int8) or a .tflite/.mlir file")
    parser.add_argument("--target", choices=sorted(TARGETS), default="rv32-vector")
    parser.add_argument("--dynamic-batch", action="store_true",
                        help="keep the converter's dynamic batch dimension")
    parser.add_argument("-o", "--output", type=Path, help="copy the .vmfb here")
    parser.add_argument("--flag", action="append", default=[], dest="extra_flags",
                        help="extra iree-compile flag (repeatable)")
    parser.add_argument("--vm-ops", action="store_true", help="print VM ops per function")


def run(args: argparse.Namespace) -> int:
    from bmrt import models
    try:
        model = models.resolve(args.model).path
        compiled = compile_model(model, args.target, static_batch=not args.dynamic_batch,
                                 extra_flags=args.extra_flags, output=args.output)
    except (CompileError, models.ModelError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{compiled.vmfb} ({compiled.size} bytes, target {compiled.target.name}, "
          f"static batch {'yes' if compiled.static_batch else 'no'})")
    if args.vm_ops:
        for function, count in count_vm_ops(compiled.vmfb).items():
            print(f"  {function}: {count} VM ops")
    return 0
