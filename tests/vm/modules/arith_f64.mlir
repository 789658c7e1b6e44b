// MODE: vm
// The ExtF64 instruction set (prefix 0xE1): f64 values in register pairs, conversions between
// f32, f64, i32 and i64.
vm.module @arith_f64 {
  vm.func @arith(%a: f64, %b: f64) -> (f64, f64, f64, f64, f64, f64, f64, f64) {
    %add = vm.add.f64 %a, %b : f64
    %sub = vm.sub.f64 %a, %b : f64
    %mul = vm.mul.f64 %a, %b : f64
    %div = vm.div.f64 %a, %b : f64
    %rem = vm.rem.f64 %a, %b : f64
    %fma = vm.fma.f64 %a, %b, %add : f64
    %min = vm.min.f64 %a, %b : f64
    %max = vm.max.f64 %a, %b : f64
    vm.return %add, %sub, %mul, %div, %rem, %fma, %min, %max : f64, f64, f64, f64, f64, f64, f64, f64
  }
  vm.export @arith
  vm.func @unary(%a: f64) -> (f64, f64, f64, f64, f64, f64, f64, f64, f64, f64) {
    %abs = vm.abs.f64 %a : f64
    %neg = vm.neg.f64 %a : f64
    %ceil = vm.ceil.f64 %a : f64
    %floor = vm.floor.f64 %a : f64
    %round = vm.round.f64 %a : f64
    %even = vm.round.f64.even %a : f64
    %sqrt = vm.sqrt.f64 %abs : f64
    %exp = vm.exp.f64 %a : f64
    %log = vm.log.f64 %abs : f64
    %tanh = vm.tanh.f64 %a : f64
    vm.return %abs, %neg, %ceil, %floor, %round, %even, %sqrt, %exp, %log, %tanh : f64, f64, f64, f64, f64, f64, f64, f64, f64, f64
  }
  vm.export @unary
  vm.func @compare(%a: f64, %b: f64) -> (i32, i32, i32, i32, i32, f64) {
    %eqo = vm.cmp.eq.f64.o %a, %b : f64
    %neu = vm.cmp.ne.f64.u %a, %b : f64
    %lto = vm.cmp.lt.f64.o %a, %b : f64
    %lteu = vm.cmp.lte.f64.u %a, %b : f64
    %nan = vm.cmp.nan.f64 %a : f64
    %sel = vm.select.f64 %lto, %a, %b : f64
    vm.return %eqo, %neu, %lto, %lteu, %nan, %sel : i32, i32, i32, i32, i32, f64
  }
  vm.export @compare
  vm.func @convert(%a: f64, %f: f32, %l: i64) -> (f32, f64, i64, f64, f64, f64, i64, i64) {
    %trunc = vm.trunc.f64.f32 %a : f64 -> f32
    %ext = vm.ext.f32.f64 %f : f32 -> f64
    %sl = vm.cast.si64.f64 %l : i64 -> f64
    %ul = vm.cast.ui64.f64 %l : i64 -> f64
    %fl = vm.cast.f64.si64 %a : f64 -> i64
    %fu = vm.cast.f64.ui64 %a : f64 -> i64
    %bits = vm.bitcast.f64.i64 %a : f64 -> i64
    %back = vm.bitcast.i64.f64 %l : i64 -> f64
    vm.return %trunc, %ext, %bits, %back, %sl, %ul, %fl, %fu : f32, f64, i64, f64, f64, f64, i64, i64
  }
  vm.export @convert
  vm.func @constants() -> (f64, f64) {
    %zero = vm.const.f64.zero
    %c = vm.const.f64 1.0e100
    vm.return %zero, %c : f64, f64
  }
  vm.export @constants
}
