// Integer arithmetic on two int32 inputs: ((a * b + a) >> 2) ^ b.
func.func @main(%a: tensor<64xi32>, %b: tensor<64xi32>) -> tensor<64xi32> {
  %two = arith.constant dense<2> : tensor<64xi32>
  %p = arith.muli %a, %b : tensor<64xi32>
  %s = arith.addi %p, %a : tensor<64xi32>
  %q = arith.shrsi %s, %two : tensor<64xi32>
  %y = arith.xori %q, %b : tensor<64xi32>
  return %y : tensor<64xi32>
}
