// Elementwise kernels for loader and dispatch tests: a static-shape multiply-add and a
// dynamic-shape variant whose length reaches the kernel as a push constant.
func.func @mul_add(%a: tensor<1000xf32>, %b: tensor<1000xf32>, %c: tensor<1000xf32>) -> tensor<1000xf32> {
  %0 = arith.mulf %a, %b : tensor<1000xf32>
  %1 = arith.addf %0, %c : tensor<1000xf32>
  return %1 : tensor<1000xf32>
}

func.func @scale_dynamic(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %0 = arith.mulf %a, %b : tensor<?xf32>
  %1 = arith.addf %0, %a : tensor<?xf32>
  return %1 : tensor<?xf32>
}
