// MODE: std
// Func-level scalar code through the full compiler pipeline: what arith/scf lower to in the VM.
func.func @add_mul(%a: i32, %b: i32) -> i32 {
  %c = arith.addi %a, %b : i32
  %d = arith.muli %c, %a : i32
  return %d : i32
}
func.func @triangle(%n: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %nn = arith.index_cast %n : i64 to index
  %zero = arith.constant 0 : i64
  %r = scf.for %i = %c0 to %nn step %c1 iter_args(%acc = %zero) -> i64 {
    %ii = arith.index_cast %i : index to i64
    %s = arith.addi %acc, %ii : i64
    scf.yield %s : i64
  }
  return %r : i64
}
func.func @scale(%x: f32, %k: f32) -> f32 {
  %p = arith.mulf %x, %k : f32
  %m = math.sqrt %p : f32
  return %m : f32
}
