// MODE: vm
// i64 values live in even/odd i32 register pairs: arithmetic, bitwise, shifts, compares,
// select, conversions to and from i32, min/max, ctlz, abs.
vm.module @arith_i64 {
  vm.func @arith(%a: i64, %b: i64) -> (i64, i64, i64, i64, i64, i64) {
    %add = vm.add.i64 %a, %b : i64
    %sub = vm.sub.i64 %a, %b : i64
    %mul = vm.mul.i64 %a, %b : i64
    %divs = vm.div.i64.s %a, %b : i64
    %divu = vm.div.i64.u %a, %b : i64
    %rems = vm.rem.i64.s %a, %b : i64
    %remu = vm.rem.i64.u %a, %b : i64
    %fma = vm.fma.i64 %add, %sub, %mul : i64
    vm.return %fma, %divs, %divu, %rems, %remu, %add : i64, i64, i64, i64, i64, i64
  }
  vm.export @arith
  vm.func @bits(%a: i64, %b: i64, %s: i32) -> (i64, i64, i64, i64, i64, i64, i64) {
    %not = vm.not.i64 %a : i64
    %and = vm.and.i64 %a, %b : i64
    %or = vm.or.i64 %a, %b : i64
    %xor = vm.xor.i64 %a, %b : i64
    %shl = vm.shl.i64 %a, %s : i64
    %shrs = vm.shr.i64.s %a, %s : i64
    %shru = vm.shr.i64.u %a, %s : i64
    vm.return %not, %and, %or, %xor, %shl, %shrs, %shru : i64, i64, i64, i64, i64, i64, i64
  }
  vm.export @bits
  vm.func @compare(%a: i64, %b: i64) -> (i32, i32, i32, i32, i32, i64) {
    %eq = vm.cmp.eq.i64 %a, %b : i64
    %ne = vm.cmp.ne.i64 %a, %b : i64
    %lts = vm.cmp.lt.i64.s %a, %b : i64
    %ltu = vm.cmp.lt.i64.u %a, %b : i64
    %nz = vm.cmp.nz.i64 %a : i64
    %sel = vm.select.i64 %lts, %a, %b : i64
    vm.return %eq, %ne, %lts, %ltu, %nz, %sel : i32, i32, i32, i32, i32, i64
  }
  vm.export @compare
  vm.func @convert(%a: i32, %b: i64) -> (i64, i64, i32, i64, i64) {
    %es = vm.ext.i32.i64.s %a : i32 -> i64
    %eu = vm.ext.i32.i64.u %a : i32 -> i64
    %t = vm.trunc.i64.i32 %b : i64 -> i32
    %clz = vm.ctlz.i64 %b : i64
    %abs = vm.abs.i64 %b : i64
    vm.return %es, %eu, %t, %clz, %abs : i64, i64, i32, i64, i64
  }
  vm.export @convert
  vm.func @minmax(%a: i64, %b: i64) -> (i64, i64, i64, i64) {
    %mins = vm.min.i64.s %a, %b : i64
    %minu = vm.min.i64.u %a, %b : i64
    %maxs = vm.max.i64.s %a, %b : i64
    %maxu = vm.max.i64.u %a, %b : i64
    vm.return %mins, %minu, %maxs, %maxu : i64, i64, i64, i64
  }
  vm.export @minmax
  vm.func @constants() -> (i64, i64) {
    %zero = vm.const.i64.zero
    %c = vm.const.i64 -1234567890123
    vm.return %zero, %c : i64, i64
  }
  vm.export @constants
}
