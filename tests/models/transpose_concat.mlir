// Data movement: a transpose and a concatenation with a scaled copy.
func.func @main(%x: tensor<4x8x3xf32>) -> tensor<6x4x8xf32> {
  %init = tensor.empty() : tensor<3x4x8xf32>
  %t = linalg.transpose ins(%x : tensor<4x8x3xf32>) outs(%init : tensor<3x4x8xf32>) permutation = [2, 0, 1]
  %two = arith.constant dense<2.0> : tensor<3x4x8xf32>
  %d = arith.mulf %t, %two : tensor<3x4x8xf32>
  %y = tensor.concat dim(0) %t, %d : (tensor<3x4x8xf32>, tensor<3x4x8xf32>) -> tensor<6x4x8xf32>
  return %y : tensor<6x4x8xf32>
}
