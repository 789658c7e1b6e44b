// MODE: vm
// Branches with block arguments (including a permutation, which needs ordered remaps), loops,
// br_table, switch and select of every type, fail with a message, and the remaining integer ops.
// CASE: fib 0
// CASE: fib 1
// CASE: fib 40
// CASE: rotate 5
// CASE: rotate 6
// CASE: table -1 7
// CASE: table 0 7
// CASE: table 1 7
// CASE: table 2 7
// CASE: table 3 7
// CASE: choose 0 1.5
// CASE: choose 1 -2.5
// CASE: choose 2 0
// CASE: choose -3 0
// CASE: misc 6 -7 3
// CASE: misc 0 2147483647 -1
// CASE: checked 5
// CASE: checked 0
vm.module @vm_control {
  // Iterative Fibonacci in i64 with two loop-carried values swapped every iteration.
  vm.export @fib
  vm.func @fib(%n: i32) -> i64 {
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    %a0 = vm.const.i64.zero
    %b0 = vm.const.i64 1
    vm.br ^loop(%zero, %a0, %b0 : i32, i64, i64)
  ^loop(%i: i32, %a: i64, %b: i64):
    %more = vm.cmp.lt.i32.s %i, %n : i32
    vm.cond_br %more, ^step, ^done(%a : i64)
  ^step:
    %sum = vm.add.i64 %a, %b : i64
    %next = vm.add.i32 %i, %one : i32
    vm.br ^loop(%next, %b, %sum : i32, i64, i64)
  ^done(%r: i64):
    vm.return %r : i64
  }

  // Rotates three values n times through block arguments (a cyclic permutation).
  vm.export @rotate
  vm.func @rotate(%n: i32) -> (i32, i32, i32) {
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    %x = vm.const.i32 10
    %y = vm.const.i32 20
    %z = vm.const.i32 30
    vm.br ^loop(%zero, %x, %y, %z : i32, i32, i32, i32)
  ^loop(%i: i32, %a: i32, %b: i32, %c: i32):
    %more = vm.cmp.lt.i32.s %i, %n : i32
    %next = vm.add.i32 %i, %one : i32
    vm.cond_br %more, ^loop(%next, %c, %a, %b : i32, i32, i32, i32), ^done
  ^done:
    vm.return %a, %b, %c : i32, i32, i32
  }

  vm.export @table
  vm.func @table(%index: i32, %v: i32) -> i32 {
    vm.br_table %index {
      default: ^other(%v : i32),
      0: ^zero,
      1: ^one(%v : i32),
      2: ^other(%index : i32)
    }
  ^zero:
    %c10 = vm.const.i32 10
    vm.return %c10 : i32
  ^one(%x: i32):
    %c20 = vm.const.i32 20
    %y = vm.add.i32 %x, %c20 : i32
    vm.return %y : i32
  ^other(%z: i32):
    %m = vm.const.i32 -3
    %w = vm.mul.i32 %z, %m : i32
    vm.return %w : i32
  }

  // switch and select for i32, i64, f32 and refs.
  vm.export @choose
  vm.func @choose(%index: i32, %f: f32) -> (i32, i64, f32, i32, i64, f32, i32) {
    %a = vm.const.i32 100
    %b = vm.const.i32 200
    %c = vm.const.i32 300
    %d = vm.const.i32 -1
    %r = vm.switch.i32 %index[%a, %b, %c] else %d : i32
    %a64 = vm.const.i64 1000
    %b64 = vm.const.i64 2000
    %d64 = vm.const.i64 -1
    %r64 = vm.switch.i64 %index[%a64, %b64] else %d64 : i64
    %fa = vm.const.f32 0.5
    %fd = vm.const.f32 -8.0
    %rf = vm.switch.f32 %index[%fa, %f] else %fd : f32
    %s32 = vm.select.i32 %index, %a, %b : i32
    %s64 = vm.select.i64 %index, %a64, %b64 : i64
    %sf = vm.select.f32 %index, %fa, %f : f32
    %len = vm.const.i64 4
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    %null = vm.const.ref.zero : !vm.buffer
    %sr = vm.select.ref %index, %buf, %null : !vm.buffer
    %nz = vm.cmp.nz.ref %sr : !vm.buffer
    vm.return %r, %r64, %rf, %s32, %s64, %sf, %nz : i32, i64, f32, i32, i64, f32, i32
  }

  vm.export @misc
  vm.func @misc(%a: i32, %b: i32, %c: i32) -> (i32, i32, i32, i64, i64, i32, i32) {
    %fma = vm.fma.i32 %a, %b, %c : i32
    %not = vm.not.i32 %a : i32
    %nz = vm.cmp.nz.i32 %b : i32
    %wa = vm.ext.i32.i64.s %a : i32 -> i64
    %wb = vm.ext.i32.i64.s %b : i32 -> i64
    %wc = vm.ext.i32.i64.s %c : i32 -> i64
    %fma64 = vm.fma.i64 %wa, %wb, %wc : i64
    %not64 = vm.not.i64 %wb : i64
    %nz64 = vm.cmp.nz.i64 %wa : i64
    %amount = vm.const.i32 35
    %shl = vm.shl.i32 %b, %amount : i32
    vm.return %fma, %not, %nz, %fma64, %not64, %nz64, %shl : i32, i32, i32, i64, i64, i32, i32
  }

  vm.export @checked
  vm.func @checked(%v: i32) -> i32 {
    %nz = vm.cmp.nz.i32 %v : i32
    vm.cond_br %nz, ^ok, ^bad
  ^ok:
    vm.return %v : i32
  ^bad:
    %code = vm.const.i32 9
    vm.fail %code, "value must not be zero"
  }
}
