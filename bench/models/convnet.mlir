// A small image classifier: 32x32x3 input, two 3x3 convolutions with ReLU (16 and 32 channels),
// global average pooling, a 32->10 dense layer. Weights are constants (splats).
#map_nhwc = affine_map<(n, h, w, c) -> (n, h, w, c)>
#map_bias = affine_map<(n, h, w, c) -> (c)>
func.func @main(%image: tensor<1x32x32x3xf32>) -> tensor<1x10xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<0.05> : tensor<3x3x3x16xf32>
  %b1 = arith.constant dense<0.01> : tensor<16xf32>
  %w2 = arith.constant dense<0.02> : tensor<3x3x16x32xf32>
  %b2 = arith.constant dense<-0.01> : tensor<32xf32>
  %w3 = arith.constant dense<0.03> : tensor<32x10xf32>

  %e1 = tensor.empty() : tensor<1x30x30x16xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x30x30x16xf32>) -> tensor<1x30x30x16xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%image, %w1 : tensor<1x32x32x3xf32>, tensor<3x3x3x16xf32>)
        outs(%f1 : tensor<1x30x30x16xf32>) -> tensor<1x30x30x16xf32>
  %r1 = linalg.generic {indexing_maps = [#map_nhwc, #map_bias, #map_nhwc],
                        iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%c1, %b1 : tensor<1x30x30x16xf32>, tensor<16xf32>) outs(%e1 : tensor<1x30x30x16xf32>) {
  ^bb0(%x: f32, %b: f32, %out: f32):
    %s = arith.addf %x, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x30x30x16xf32>

  %e2 = tensor.empty() : tensor<1x28x28x32xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x28x28x32xf32>) -> tensor<1x28x28x32xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%r1, %w2 : tensor<1x30x30x16xf32>, tensor<3x3x16x32xf32>)
        outs(%f2 : tensor<1x28x28x32xf32>) -> tensor<1x28x28x32xf32>
  %r2 = linalg.generic {indexing_maps = [#map_nhwc, #map_bias, #map_nhwc],
                        iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%c2, %b2 : tensor<1x28x28x32xf32>, tensor<32xf32>) outs(%e2 : tensor<1x28x28x32xf32>) {
  ^bb0(%x: f32, %b: f32, %out: f32):
    %s = arith.addf %x, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x28x28x32xf32>

  %e3 = tensor.empty() : tensor<1x32xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x32xf32>) -> tensor<1x32xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>,
                                          affine_map<(n, h, w, c) -> (n, c)>],
                         iterator_types = ["parallel", "reduction", "reduction", "parallel"]}
        ins(%r2 : tensor<1x28x28x32xf32>) outs(%f3 : tensor<1x32xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x32xf32>
  %scale = arith.constant 0.00127551 : f32
  %pooled = linalg.generic {indexing_maps = [affine_map<(n, c) -> (n, c)>, affine_map<(n, c) -> (n, c)>],
                            iterator_types = ["parallel", "parallel"]}
        ins(%sum : tensor<1x32xf32>) outs(%e3 : tensor<1x32xf32>) {
  ^bb0(%x: f32, %out: f32):
    %m = arith.mulf %x, %scale : f32
    linalg.yield %m : f32
  } -> tensor<1x32xf32>

  %e4 = tensor.empty() : tensor<1x10xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x10xf32>) -> tensor<1x10xf32>
  %logits = linalg.matmul ins(%pooled, %w3 : tensor<1x32xf32>, tensor<32x10xf32>)
            outs(%f4 : tensor<1x10xf32>) -> tensor<1x10xf32>
  return %logits : tensor<1x10xf32>
}
