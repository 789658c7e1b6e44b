// MODE: riscv32
// A small tensor program: the HAL module imports, buffer views, command buffers, dispatches of
// an embedded ELF kernel (external rodata), fences and yieldable waits.
func.func @add_mul(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %sum = arith.addf %a, %b : tensor<4xf32>
  %prod = arith.mulf %sum, %a : tensor<4xf32>
  return %prod : tensor<4xf32>
}
