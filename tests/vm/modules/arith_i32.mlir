// MODE: vm
// i32 arithmetic, bitwise, shift, compare, select, ext/trunc, min/max, ctlz, abs.
vm.module @arith_i32 {
  vm.func @arith(%a: i32, %b: i32) -> (i32, i32, i32, i32, i32, i32, i32) {
    %add = vm.add.i32 %a, %b : i32
    %sub = vm.sub.i32 %a, %b : i32
    %mul = vm.mul.i32 %a, %b : i32
    %divs = vm.div.i32.s %a, %b : i32
    %divu = vm.div.i32.u %a, %b : i32
    %rems = vm.rem.i32.s %a, %b : i32
    %remu = vm.rem.i32.u %a, %b : i32
    %fma = vm.fma.i32 %add, %sub, %mul : i32
    vm.return %fma, %divs, %divu, %rems, %remu, %add, %sub : i32, i32, i32, i32, i32, i32, i32
  }
  vm.export @arith
  vm.func @bits(%a: i32, %b: i32) -> (i32, i32, i32, i32, i32, i32, i32) {
    %not = vm.not.i32 %a : i32
    %and = vm.and.i32 %a, %b : i32
    %or = vm.or.i32 %a, %b : i32
    %xor = vm.xor.i32 %a, %b : i32
    %shl = vm.shl.i32 %a, %b : i32
    %shrs = vm.shr.i32.s %a, %b : i32
    %shru = vm.shr.i32.u %a, %b : i32
    vm.return %not, %and, %or, %xor, %shl, %shrs, %shru : i32, i32, i32, i32, i32, i32, i32
  }
  vm.export @bits
  vm.func @compare(%a: i32, %b: i32) -> (i32, i32, i32, i32, i32, i32) {
    %eq = vm.cmp.eq.i32 %a, %b : i32
    %ne = vm.cmp.ne.i32 %a, %b : i32
    %lts = vm.cmp.lt.i32.s %a, %b : i32
    %ltu = vm.cmp.lt.i32.u %a, %b : i32
    %nz = vm.cmp.nz.i32 %a : i32
    %sel = vm.select.i32 %lts, %a, %b : i32
    vm.return %eq, %ne, %lts, %ltu, %nz, %sel : i32, i32, i32, i32, i32, i32
  }
  vm.export @compare
  vm.func @convert(%a: i32) -> (i32, i32, i32, i32, i32, i32, i32, i32) {
    %t8 = vm.trunc.i32.i8 %a : i32 -> i32
    %t16 = vm.trunc.i32.i16 %a : i32 -> i32
    %e8s = vm.ext.i8.i32.s %a : i32 -> i32
    %e8u = vm.ext.i8.i32.u %a : i32 -> i32
    %e16s = vm.ext.i16.i32.s %a : i32 -> i32
    %e16u = vm.ext.i16.i32.u %a : i32 -> i32
    %clz = vm.ctlz.i32 %a : i32
    %abs = vm.abs.i32 %a : i32
    vm.return %t8, %t16, %e8s, %e8u, %e16s, %e16u, %clz, %abs : i32, i32, i32, i32, i32, i32, i32, i32
  }
  vm.export @convert
  vm.func @minmax(%a: i32, %b: i32) -> (i32, i32, i32, i32) {
    %mins = vm.min.i32.s %a, %b : i32
    %minu = vm.min.i32.u %a, %b : i32
    %maxs = vm.max.i32.s %a, %b : i32
    %maxu = vm.max.i32.u %a, %b : i32
    vm.return %mins, %minu, %maxs, %maxu : i32, i32, i32, i32
  }
  vm.export @minmax
  vm.func @constants() -> (i32, i32) {
    %zero = vm.const.i32.zero
    %c = vm.const.i32 -123456789
    vm.return %zero, %c : i32, i32
  }
  vm.export @constants
}
