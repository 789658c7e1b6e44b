// A chain of elementwise ops (fused into one kernel): tanh(x)/2 + exp(-|x|) - x*x/10.
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
