// Row sums and column maxima: two outputs of different shapes.
func.func @main(%x: tensor<8x32xf32>) -> (tensor<8x1xf32>, tensor<1x32xf32>) {
  %sum = tosa.reduce_sum %x axis(1) : (tensor<8x32xf32>) -> tensor<8x1xf32>
  %max = tosa.reduce_max %x axis(0) : (tensor<8x32xf32>) -> tensor<1x32xf32>
  return %sum, %max : tensor<8x1xf32>, tensor<1x32xf32>
}
