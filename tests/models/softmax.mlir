// Softmax over the last axis (TOSA, the form the TFLite converter emits).
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
