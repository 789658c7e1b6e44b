// One input, four outputs: relu, negation, square and the total.
func.func @main(%x: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<1xf32>) {
  %relu = tosa.clamp %x min_val(0.0 : f32) max_val(3.40282347E+38 : f32) : (tensor<64xf32>) -> tensor<64xf32>
  %neg = arith.negf %x : tensor<64xf32>
  %sq = arith.mulf %x, %x : tensor<64xf32>
  %sum = tosa.reduce_sum %x axis(0) : (tensor<64xf32>) -> tensor<1xf32>
  return %relu, %neg, %sq, %sum : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<1xf32>
}
