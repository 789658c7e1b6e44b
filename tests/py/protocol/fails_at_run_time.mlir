// A model with the magic-wand signature that loads and verifies but fails whenever it runs:
// the assertion's condition hides behind an optimization barrier, so the compiler keeps it as a
// run-time check (vm.cond_fail) instead of folding it.
func.func @main(%input: tensor<1x128x3x1xf32>) -> tensor<1x4xf32> {
  %false = arith.constant false
  %never = util.optimization_barrier %false : i1
  cf.assert %never, "this model always fails at run time"
  %collapsed = tensor.extract_slice %input[0, 0, 0, 0] [1, 4, 1, 1] [1, 1, 1, 1]
      : tensor<1x128x3x1xf32> to tensor<1x4xf32>
  return %collapsed : tensor<1x4xf32>
}
