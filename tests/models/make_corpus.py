"""Writes the model corpus (tests/models/*.mlir, one `@main` each) that tests/py/models runs on
the host and on the simulated core. Weights are seeded random numbers, stored as hex so the
files stay short; rerun this script to regenerate them exactly:

    python tests/models/make_corpus.py
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def hexdense(values: np.ndarray) -> str:
    return f'dense<"0x{np.ascontiguousarray(values).tobytes().hex().upper()}">'


def ty(shape: tuple[int, ...], element: str) -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


def weights(rng: np.random.Generator, shape: tuple[int, ...], scale: float = 0.5) -> str:
    return f"{hexdense(rng.uniform(-scale, scale, shape).astype(np.float32))} : {ty(shape, 'f32')}"


def models(rng: np.random.Generator) -> dict[str, str]:
    out: dict[str, str] = {}
    out["matmul"] = f"""// Dense layer: [4x64] x [64x32] + bias.
func.func @main(%x: tensor<4x64xf32>) -> tensor<4x32xf32> {{
  %w = arith.constant {weights(rng, (64, 32))}
  %b = arith.constant {weights(rng, (4, 32))}
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<4x32xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<4x32xf32>) -> tensor<4x32xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x64xf32>, tensor<64x32xf32>) outs(%acc : tensor<4x32xf32>) -> tensor<4x32xf32>
  %z = arith.addf %y, %b : tensor<4x32xf32>
  return %z : tensor<4x32xf32>
}}
"""
    out["conv2d"] = f"""// 3x3 convolution (TOSA, NHWC, padding 1) with bias and ReLU.
func.func @main(%x: tensor<1x16x16x3xf32>) -> tensor<1x16x16x8xf32> {{
  %w = tosa.const values({weights(rng, (8, 3, 3, 3))}) : () -> tensor<8x3x3x3xf32>
  %b = tosa.const values({weights(rng, (8,))}) : () -> tensor<8xf32>
  %zp = tosa.const values(dense<0.0> : tensor<1xf32>) : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp pad([1, 1, 1, 1]) stride([1, 1]) dilation([1, 1]) acc_type(f32) : (tensor<1x16x16x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x16x8xf32>
  %r = tosa.clamp %y min_val(0.0 : f32) max_val(3.40282347E+38 : f32) : (tensor<1x16x16x8xf32>) -> tensor<1x16x16x8xf32>
  return %r : tensor<1x16x16x8xf32>
}}
"""
    out["depthwise_conv"] = f"""// Depthwise 3x3 convolution (no padding) plus a per-channel bias.
func.func @main(%x: tensor<1x18x18x4xf32>) -> tensor<1x16x16x4xf32> {{
  %w = arith.constant {weights(rng, (3, 3, 4))}
  %b = arith.constant {weights(rng, (1, 16, 16, 4))}
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<1x16x16x4xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<1x16x16x4xf32>) -> tensor<1x16x16x4xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}} ins(%x, %w : tensor<1x18x18x4xf32>, tensor<3x3x4xf32>) outs(%acc : tensor<1x16x16x4xf32>) -> tensor<1x16x16x4xf32>
  %z = arith.addf %y, %b : tensor<1x16x16x4xf32>
  return %z : tensor<1x16x16x4xf32>
}}
"""
    out["pooling"] = """// 2x2 max and average pooling with stride 2: two outputs.
func.func @main(%x: tensor<1x16x16x4xf32>) -> (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) {
  %window = tensor.empty() : tensor<2x2xf32>
  %lowest = arith.constant -3.40282347E+38 : f32
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<1x8x8x4xf32>
  %max_init = linalg.fill ins(%lowest : f32) outs(%init : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %sum_init = linalg.fill ins(%zero : f32) outs(%init : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %max = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %window : tensor<1x16x16x4xf32>, tensor<2x2xf32>) outs(%max_init : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %sum = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %window : tensor<1x16x16x4xf32>, tensor<2x2xf32>) outs(%sum_init : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %quarter = arith.constant dense<0.25> : tensor<1x8x8x4xf32>
  %avg = arith.mulf %sum, %quarter : tensor<1x8x8x4xf32>
  return %max, %avg : tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>
}
"""
    out["softmax"] = """// Softmax over the last axis (TOSA, the form the TFLite converter emits).
func.func @main(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %shift = tosa.const values(dense<0> : tensor<1xi8>) : () -> tensor<1xi8>
  %max = tosa.reduce_max %x axis(1) : (tensor<4x10xf32>) -> tensor<4x1xf32>
  %centered = tosa.sub %x, %max : (tensor<4x10xf32>, tensor<4x1xf32>) -> tensor<4x10xf32>
  %e = tosa.exp %centered : (tensor<4x10xf32>) -> tensor<4x10xf32>
  %sum = tosa.reduce_sum %e axis(1) : (tensor<4x10xf32>) -> tensor<4x1xf32>
  %inverse = tosa.reciprocal %sum : (tensor<4x1xf32>) -> tensor<4x1xf32>
  %y = tosa.mul %e, %inverse, %shift : (tensor<4x10xf32>, tensor<4x1xf32>, tensor<1xi8>) -> tensor<4x10xf32>
  return %y : tensor<4x10xf32>
}
"""
    out["elementwise_chain"] = """// A chain of elementwise ops (fused into one kernel): tanh(x)/2 + exp(-|x|) - x*x/10.
func.func @main(%x: tensor<2x128xf32>) -> tensor<2x128xf32> {
  %half = arith.constant dense<0.5> : tensor<2x128xf32>
  %tenth = arith.constant dense<0.1> : tensor<2x128xf32>
  %t = math.tanh %x : tensor<2x128xf32>
  %a = arith.mulf %t, %half : tensor<2x128xf32>
  %abs = math.absf %x : tensor<2x128xf32>
  %neg = arith.negf %abs : tensor<2x128xf32>
  %e = math.exp %neg : tensor<2x128xf32>
  %sq = arith.mulf %x, %x : tensor<2x128xf32>
  %sq10 = arith.mulf %sq, %tenth : tensor<2x128xf32>
  %s = arith.addf %a, %e : tensor<2x128xf32>
  %y = arith.subf %s, %sq10 : tensor<2x128xf32>
  return %y : tensor<2x128xf32>
}
"""
    out["reductions"] = """// Row sums and column maxima: two outputs of different shapes.
func.func @main(%x: tensor<8x32xf32>) -> (tensor<8x1xf32>, tensor<1x32xf32>) {
  %sum = tosa.reduce_sum %x axis(1) : (tensor<8x32xf32>) -> tensor<8x1xf32>
  %max = tosa.reduce_max %x axis(0) : (tensor<8x32xf32>) -> tensor<1x32xf32>
  return %sum, %max : tensor<8x1xf32>, tensor<1x32xf32>
}
"""
    out["two_inputs"] = """// Two inputs: a x b + a.
func.func @main(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<16x16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<16x16xf32>) -> tensor<16x16xf32>
  %p = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%acc : tensor<16x16xf32>) -> tensor<16x16xf32>
  %y = arith.addf %p, %a : tensor<16x16xf32>
  return %y : tensor<16x16xf32>
}
"""
    out["multi_output"] = """// One input, four outputs: relu, negation, square and the total.
func.func @main(%x: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<1xf32>) {
  %relu = tosa.clamp %x min_val(0.0 : f32) max_val(3.40282347E+38 : f32) : (tensor<64xf32>) -> tensor<64xf32>
  %neg = arith.negf %x : tensor<64xf32>
  %sq = arith.mulf %x, %x : tensor<64xf32>
  %sum = tosa.reduce_sum %x axis(0) : (tensor<64xf32>) -> tensor<1xf32>
  return %relu, %neg, %sq, %sum : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<1xf32>
}
"""
    w8 = rng.integers(-128, 128, (32, 16), dtype=np.int8)
    b32 = rng.integers(-2000, 2000, (1, 16), dtype=np.int32)
    out["int8_dense"] = f"""// Quantized dense layer: int8 x int8 -> int32 accumulators, bias, requantization to int8
// ((acc * 3 + 64) >> 9, clamped).
func.func @main(%x: tensor<1x32xi8>) -> tensor<1x16xi8> {{
  %w = arith.constant {hexdense(w8)} : tensor<32x16xi8>
  %b = arith.constant {hexdense(b32)} : tensor<1x16xi32>
  %zero = arith.constant 0 : i32
  %init = tensor.empty() : tensor<1x16xi32>
  %acc0 = linalg.fill ins(%zero : i32) outs(%init : tensor<1x16xi32>) -> tensor<1x16xi32>
  %acc = linalg.matmul ins(%x, %w : tensor<1x32xi8>, tensor<32x16xi8>) outs(%acc0 : tensor<1x16xi32>) -> tensor<1x16xi32>
  %out_init = tensor.empty() : tensor<1x16xi8>
  %y = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}} ins(%acc, %b : tensor<1x16xi32>, tensor<1x16xi32>) outs(%out_init : tensor<1x16xi8>) {{
  ^bb0(%a: i32, %bias: i32, %o: i8):
    %three = arith.constant 3 : i32
    %round = arith.constant 256 : i32
    %shift = arith.constant 9 : i32
    %lo = arith.constant -128 : i32
    %hi = arith.constant 127 : i32
    %s = arith.addi %a, %bias : i32
    %m = arith.muli %s, %three : i32
    %r = arith.addi %m, %round : i32
    %q = arith.shrsi %r, %shift : i32
    %c0 = arith.maxsi %q, %lo : i32
    %c1 = arith.minsi %c0, %hi : i32
    %t = arith.trunci %c1 : i32 to i8
    linalg.yield %t : i8
  }} -> tensor<1x16xi8>
  return %y : tensor<1x16xi8>
}}
"""
    out["int32_ops"] = """// Integer arithmetic on two int32 inputs: ((a * b + a) >> 2) ^ b.
func.func @main(%a: tensor<64xi32>, %b: tensor<64xi32>) -> tensor<64xi32> {
  %two = arith.constant dense<2> : tensor<64xi32>
  %p = arith.muli %a, %b : tensor<64xi32>
  %s = arith.addi %p, %a : tensor<64xi32>
  %q = arith.shrsi %s, %two : tensor<64xi32>
  %y = arith.xori %q, %b : tensor<64xi32>
  return %y : tensor<64xi32>
}
"""
    out["mlp"] = f"""// Two dense layers with ReLU between them (TOSA-free linalg form).
func.func @main(%x: tensor<1x20xf32>) -> tensor<1x8xf32> {{
  %w1 = arith.constant {weights(rng, (20, 32))}
  %b1 = arith.constant {weights(rng, (1, 32))}
  %w2 = arith.constant {weights(rng, (32, 8))}
  %zero = arith.constant 0.0 : f32
  %zeros = arith.constant dense<0.0> : tensor<1x32xf32>
  %i1 = tensor.empty() : tensor<1x32xf32>
  %a1 = linalg.fill ins(%zero : f32) outs(%i1 : tensor<1x32xf32>) -> tensor<1x32xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<1x20xf32>, tensor<20x32xf32>) outs(%a1 : tensor<1x32xf32>) -> tensor<1x32xf32>
  %hb = arith.addf %h, %b1 : tensor<1x32xf32>
  %hr = arith.maximumf %hb, %zeros : tensor<1x32xf32>
  %i2 = tensor.empty() : tensor<1x8xf32>
  %a2 = linalg.fill ins(%zero : f32) outs(%i2 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %y = linalg.matmul ins(%hr, %w2 : tensor<1x32xf32>, tensor<32x8xf32>) outs(%a2 : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}}
"""
    out["transpose_concat"] = """// Data movement: a transpose and a concatenation with a scaled copy.
func.func @main(%x: tensor<4x8x3xf32>) -> tensor<6x4x8xf32> {
  %init = tensor.empty() : tensor<3x4x8xf32>
  %t = linalg.transpose ins(%x : tensor<4x8x3xf32>) outs(%init : tensor<3x4x8xf32>) permutation = [2, 0, 1]
  %two = arith.constant dense<2.0> : tensor<3x4x8xf32>
  %d = arith.mulf %t, %two : tensor<3x4x8xf32>
  %y = tensor.concat dim(0) %t, %d : (tensor<3x4x8xf32>, tensor<3x4x8xf32>) -> tensor<6x4x8xf32>
  return %y : tensor<6x4x8xf32>
}
"""
    return out


def main() -> None:
    rng = np.random.default_rng(20261125)
    for name, text in models(rng).items():
        (HERE / f"{name}.mlir").write_text(text)
        print(f"wrote tests/models/{name}.mlir")


if __name__ == "__main__":
    main()
