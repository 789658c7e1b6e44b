// 2x2 max and average pooling with stride 2: two outputs.
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
