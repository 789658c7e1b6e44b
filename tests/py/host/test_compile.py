"""Compiling the magic-wand models for the rv32 targets and x86_64, with a static batch."""
from __future__ import annotations

import dataclasses
import zipfile

import pytest

from bmrt import compile as compiler
from bmrt import iree_tools, models


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("models")


def _exported_signature(vmfb) -> str:
    return iree_tools.dump_module(vmfb, "metadata")


@pytest.mark.parametrize("target", ["rv32-vector", "rv32-scalar", "x86_64"])
def test_float_model_compiles_to_a_vmfb_with_static_batch(model_dir, cache, target):
    compiled = compiler.compile_model(models.resolve("magic_wand").path, target, cache_dir=cache)
    assert compiled.vmfb.is_file() and zipfile.is_zipfile(compiled.vmfb)
    assert compiled.static_batch
    assert f"--iree-llvmcpu-target-triple={compiler.TARGETS[target].triple}" in compiled.flags
    listing = _exported_signature(compiled.vmfb)
    assert "tensor<1x128x3x1xf32>" in listing and "tensor<1x4xf32>" in listing


def test_int8_model_compiles_for_the_vector_target(model_dir, cache):
    compiled = compiler.compile_model(models.resolve("magic_wand_int8").path, "rv32-vector",
                                      cache_dir=cache)
    assert "tensor<1x128x3x1xi8>" in _exported_signature(compiled.vmfb)


def test_vector_and_scalar_targets_differ_only_in_vector_code_generation():
    vector = compiler.TARGETS["rv32-vector"].flags()
    scalar = compiler.TARGETS["rv32-scalar"].flags()
    spec = compiler.TUNING_DIR / "rv32_vector_matmul.mlir"
    assert [f for f in vector if f not in scalar] == [
        "--iree-llvmcpu-target-cpu-features=+m,+f,+zvl512b,+zve64f",
        "--iree-llvmcpu-loop-vectorization", "--iree-llvmcpu-vscale-range=8,8",
        "--iree-global-opt-use-im2col-for-convs", "--iree-llvmcpu-disable-distribution",
        "--iree-llvmcpu-loop-unrolling", "--iree-opt-data-tiling",
        "--iree-llvmcpu-use-fast-min-max-ops", f"--iree-codegen-tuning-spec-path={spec}"]
    assert spec.is_file()
    assert "--iree-llvmcpu-target-abi=ilp32" in vector
    dynamic = compiler.TARGETS["rv32-vector"].flags(static_shapes=False)
    assert [f for f in dynamic if f not in scalar] == [
        "--iree-llvmcpu-target-cpu-features=+m,+f,+zvl512b,+zve64f",
        "--iree-llvmcpu-loop-vectorization"]


def test_static_batch_reduces_the_vm_program(model_dir, cache):
    path = models.resolve("magic_wand").path
    static = compiler.compile_model(path, "rv32-vector", cache_dir=cache)
    dynamic = compiler.compile_model(path, "rv32-vector", cache_dir=cache, static_batch=False)
    assert not dynamic.static_batch
    assert compiler.count_vm_ops(static.vmfb)["main"] < compiler.count_vm_ops(dynamic.vmfb)["main"]


def test_cache_reuses_the_artifact(model_dir, cache):
    path = models.resolve("magic_wand").path
    first = compiler.compile_model(path, "x86_64", cache_dir=cache)
    stamp = first.vmfb.stat().st_mtime_ns
    second = compiler.compile_model(path, "x86_64", cache_dir=cache)
    assert second.vmfb == first.vmfb and second.vmfb.stat().st_mtime_ns == stamp


def test_cache_key_follows_flags_and_the_tuning_spec_contents(tmp_path):
    model = tmp_path / "model.mlir"
    model.write_text("func.func @main() { return }\n")
    spec = tmp_path / "spec.mlir"
    spec.write_text("// first\n")
    target = dataclasses.replace(compiler.TARGETS["rv32-vector"], tuning_spec=spec)
    key = compiler.cache_key(model, target, True, [], "3.13.0")
    assert compiler.cache_key(model, target, True, [], "3.13.0") == key
    assert compiler.cache_key(model, target, True, ["--iree-opt-level=O3"], "3.13.0") != key
    fewer = dataclasses.replace(target, static_shape_flags=target.static_shape_flags[:-1])
    assert compiler.cache_key(model, fewer, True, [], "3.13.0") != key
    spec.write_text("// second\n")
    assert compiler.cache_key(model, target, True, [], "3.13.0") != key


def test_batch_rewrite_only_touches_leading_dynamic_dimensions():
    text = "func.func @main(%a: tensor<?x128x3x1xf32>) -> tensor<?x4xf32>"
    assert compiler.fix_batch_dimension(text) == (
        "func.func @main(%a: tensor<1x128x3x1xf32>) -> tensor<1x4xf32>")
    assert compiler.fix_batch_dimension("tensor<?x?xf32>") is None


def test_broken_model_fails_with_the_compiler_message(tmp_path):
    broken = tmp_path / "broken.mlir"
    broken.write_text("func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> { return %b }\n")
    with pytest.raises(compiler.CompileError) as error:
        compiler.compile_model(broken, "x86_64", cache_dir=tmp_path / "cache")
    message = str(error.value)
    assert "broken.mlir" in message and "error:" in message


def test_compile_command_reports_errors_without_a_traceback(tmp_path, capsys):
    from bmrt.__main__ import main
    assert main(["compile", str(tmp_path / "absent.tflite")]) == 1
    assert "model not found" in capsys.readouterr().err
