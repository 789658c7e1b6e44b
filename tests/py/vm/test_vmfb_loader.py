"""The vmfb loader against the reference: every module compiled by the pinned iree-compile must
load and verify in bmrt (build/host/tools/vmfb_inspect/vmfb_inspect) and describe the same module as
iree-dump-module's FlatBuffer JSON; modules corrupted in ways IREE's own loader rejects must be
rejected by bmrt too."""
from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from bmrt import iree_tools

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "vm"))

import compile_modules  # noqa: E402

INSPECT = REPO / "build" / "host" / "tools" / "vmfb_inspect" / "vmfb_inspect"
MAGIC_WAND = REPO.parent / "shared" / "models" / "magic_wand" / "magic_wand.tflite"
SOURCES = sorted(compile_modules.MODULES.glob("*.mlir"))
FEATURES = {"EXT_F32": 1, "EXT_F64": 2, "YIELD": 4, "UNWIND": 8}
TIMEOUT_SECONDS = 60


@pytest.fixture(scope="session")
def inspect_tool() -> Path:
    if not INSPECT.is_file():
        pytest.fail(f"{INSPECT} is missing: run `make host` first")
    return INSPECT


@pytest.fixture(scope="session")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vmfb")


def compiled(source: Path, out_dir: Path) -> Path:
    try:
        return compile_modules.compile_one(source, out_dir)
    except iree_tools.IreeToolError as error:
        pytest.skip(f"the pinned compiler cannot build {source.name}: {str(error).splitlines()[0]}")


def inspect(tool: Path, module: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(tool), str(module)], capture_output=True, text=True,
                          timeout=TIMEOUT_SECONDS)


def feature_bits(text: str | int | None) -> int:
    if isinstance(text, int):
        return text
    return sum(FEATURES[name] for name in (text or "").split())


def assert_same_module(ours: dict, reference: dict) -> None:
    assert ours["name"] == reference["name"]
    assert ours["version"] == reference.get("version", 0)
    assert ours["bytecode_version"] == reference["bytecode_version"]
    assert ours["requirements"] == feature_bits(reference.get("requirements"))
    assert [t["name"] for t in ours["types"]] == [t["full_name"] for t in reference.get("types", [])]
    assert [(d["name"], d["minimum_version"], d["optional"]) for d in ours["dependencies"]] == [
        (d["name"], d.get("minimum_version", 0), "OPTIONAL" in str(d.get("flags", "")))
        for d in reference.get("dependencies", [])]
    assert [(i["name"], i["cconv"], i["optional"]) for i in ours["imports"]] == [
        (i["full_name"], i["signature"]["calling_convention"], "OPTIONAL" in str(i.get("flags", "")))
        for i in reference.get("imported_functions", [])]
    assert [(e["name"], e["ordinal"]) for e in ours["exports"]] == [
        (e["local_name"], e.get("internal_ordinal", 0)) for e in reference.get("exported_functions", [])]
    descriptors = reference.get("function_descriptors", [])
    signatures = reference.get("function_signatures", [])
    assert len(ours["functions"]) == len(descriptors) == len(signatures)
    for function, descriptor, signature in zip(ours["functions"], descriptors, signatures):
        assert function["offset"] == descriptor.get("bytecode_offset", 0)
        assert function["length"] == descriptor["bytecode_length"]
        assert function["blocks"] == descriptor["block_count"]
        assert function["i32"] == descriptor.get("i32_register_count", 0)
        assert function["ref"] == descriptor.get("ref_register_count", 0)
        assert function["requirements"] == feature_bits(descriptor.get("requirements"))
        assert function["cconv"] == signature["calling_convention"]
    segments = reference.get("rodata_segments", [])
    assert [r["size"] for r in ours["rodata"]] == [
        len(s["embedded_data"]) if "embedded_data" in s else s["external_data_length"]
        for s in segments]
    state = reference.get("module_state", {})
    assert ours["global_bytes_capacity"] == state.get("global_bytes_capacity", 0)
    assert ours["global_ref_count"] == state.get("global_ref_count", 0)
    assert ours["bytecode_size"] == len(reference.get("bytecode_data", []))


def check_against_reference(tool: Path, module: Path) -> dict:
    result = inspect(tool, module)
    assert result.returncode == 0, f"bmrt rejected {module.name}: {result.stderr}"
    ours = json.loads(result.stdout)
    reference = json.loads(iree_tools.dump_module(module, "flatbuffer-json"))
    assert_same_module(ours, reference)
    return ours


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_corpus_module_matches_reference(source: Path, out_dir: Path, inspect_tool: Path) -> None:
    check_against_reference(inspect_tool, compiled(source, out_dir))


def test_bare_flatbuffer_form(out_dir: Path, inspect_tool: Path) -> None:
    source = compile_modules.MODULES / "hal_elementwise.mlir"
    bare = iree_tools.compile_mlir(source, out_dir / "hal_bare.vmfb", target="riscv32",
                                   extra_args=["--iree-vm-emit-polyglot-zip=false"])
    assert bare.read_bytes()[:4] != b"PK\x03\x04"
    ours = check_against_reference(inspect_tool, bare)
    external = [r for r in ours["rodata"] if r["size"] > 1000]
    assert external, "the kernel ELF is stored as external rodata"
    data = bare.read_bytes()
    assert data[external[0]["offset"]:external[0]["offset"] + 4] == b"\x7fELF"


@pytest.mark.skipif(not MAGIC_WAND.is_file(), reason=f"{MAGIC_WAND} not present")
def test_magic_wand_model(out_dir: Path, inspect_tool: Path) -> None:
    module = iree_tools.compile_tflite(MAGIC_WAND, out_dir / "magic_wand.vmfb", target="riscv32")
    ours = check_against_reference(inspect_tool, module)
    assert {e["name"] for e in ours["exports"]} >= {"main", "__init"}


# --- corruptions that IREE's loader rejects must be rejected by bmrt too ----------------------

def flatbuffer_start(data: bytes) -> int:
    if data[:4] == b"PK\x03\x04":
        name_length, extra_length = struct.unpack_from("<HH", data, 26)
        return 30 + name_length + extra_length + 4
    return 4


def root_field(data: bytes, field_id: int) -> int:
    """Absolute file position of a root-table field of the module FlatBuffer."""
    base = flatbuffer_start(data)
    table = base + struct.unpack_from("<I", data, base)[0]
    vtable = table - struct.unpack_from("<i", data, table)[0]
    offset = struct.unpack_from("<H", data, vtable + 4 + 2 * field_id)[0]
    assert offset, f"field {field_id} absent"
    return table + offset


def bytecode_start(data: bytes) -> int:
    field = root_field(data, 14)
    return field + struct.unpack_from("<I", data, field)[0] + 4


def both_reject(tool: Path, module: Path, function: str) -> tuple[str, str]:
    ours = inspect(tool, module)
    theirs = subprocess.run([str(iree_tools.find_tool("iree-run-module")), f"--module={module}",
                             f"--function={function}"], capture_output=True, text=True,
                            timeout=TIMEOUT_SECONDS)
    assert theirs.returncode != 0, f"iree accepted the corrupted module: {theirs.stdout}"
    assert ours.returncode == 1, f"bmrt accepted the corrupted module: {ours.stdout[:200]}"
    return ours.stderr, theirs.stderr


def test_wrong_bytecode_version_rejected(out_dir: Path, inspect_tool: Path) -> None:
    data = bytearray(compiled(compile_modules.MODULES / "arith_i32.mlir", out_dir).read_bytes())
    field = root_field(data, 13)
    major = struct.unpack_from("<I", data, field)[0] >> 16
    struct.pack_into("<I", data, field, (major + 1) << 16)
    module = out_dir / "wrong_version.vmfb"
    module.write_bytes(bytes(data))
    ours, _ = both_reject(inspect_tool, module, "constants")
    assert f"bytecode version {major + 1}.0 not supported" in ours


def test_register_out_of_range_rejected(out_dir: Path, inspect_tool: Path) -> None:
    path = compiled(compile_modules.MODULES / "arith_i32.mlir", out_dir)
    data = bytearray(path.read_bytes())
    reference = json.loads(iree_tools.dump_module(path, "flatbuffer-json"))
    exports = {e["local_name"]: e.get("internal_ordinal", 0) for e in reference["exported_functions"]}
    ordinal = exports["constants"]
    descriptor = reference["function_descriptors"][ordinal]
    start = bytecode_start(data) + descriptor.get("bytecode_offset", 0)
    code = data[start:start + descriptor["bytecode_length"]]
    # `constants` ends in `return r0, r1`: 5A [pad] 02 00 <r0> <r1>. Point r1 past the bank.
    assert code[-6:-4] == b"\x02\x00", code.hex()
    registers = descriptor["i32_register_count"]
    struct.pack_into("<H", data, start + len(code) - 2, registers + 10)
    module = out_dir / "bad_register.vmfb"
    module.write_bytes(bytes(data))
    ours, theirs = both_reject(inspect_tool, module, "constants")
    assert f"register r{registers + 10} out of range ({registers} i32 registers)" in ours
    assert "out of range" in theirs


MUTATED_MODULES = ["control_flow", "imports", "buffers", "globals"]


@pytest.mark.parametrize("name", MUTATED_MODULES)
def test_rejects_every_bytecode_mutation_iree_rejects(name: str, out_dir: Path,
                                                     inspect_tool: Path) -> None:
    """Single-byte mutations of function bytecode (the FlatBuffer stays intact): whatever IREE's
    loader refuses, bmrt must refuse too. bmrt may refuse more (it checks every operand)."""
    import random

    path = compiled(compile_modules.MODULES / f"{name}.mlir", out_dir)
    data = path.read_bytes()
    reference = json.loads(iree_tools.dump_module(path, "flatbuffer-json"))
    start, size = bytecode_start(data), len(reference["bytecode_data"])
    function = reference["exported_functions"][0]["local_name"]
    rng = random.Random(name)
    iree_rejections = 0
    for _ in range(30):
        mutated = bytearray(data)
        position = start + rng.randrange(size)
        mutated[position] = rng.randrange(256)
        module = out_dir / f"{name}_mutation.vmfb"
        module.write_bytes(bytes(mutated))
        theirs = subprocess.run([str(iree_tools.find_tool("iree-run-module")), f"--module={module}",
                                 f"--function={function}"], capture_output=True, text=True,
                                timeout=TIMEOUT_SECONDS)
        if theirs.returncode == 0 or "loading bytecode module" not in theirs.stderr:
            continue
        iree_rejections += 1
        ours = inspect(inspect_tool, module)
        assert ours.returncode == 1, (
            f"byte {position - start:#x} of bytecode set to {mutated[position]:#04x}: IREE rejects "
            f"({theirs.stderr.strip().splitlines()[0]}) but bmrt loads it")
    assert iree_rejections > 0, "no mutation was rejected by IREE; the test checks nothing"
