// MODE: vm
// The ExtF32 instruction set (prefix 0xE0): arithmetic, math functions, rounding, compares,
// casts and bitcasts.
vm.module @arith_f32 {
  vm.func @arith(%a: f32, %b: f32) -> (f32, f32, f32, f32, f32, f32, f32, f32) {
    %add = vm.add.f32 %a, %b : f32
    %sub = vm.sub.f32 %a, %b : f32
    %mul = vm.mul.f32 %a, %b : f32
    %div = vm.div.f32 %a, %b : f32
    %rem = vm.rem.f32 %a, %b : f32
    %fma = vm.fma.f32 %a, %b, %add : f32
    %min = vm.min.f32 %a, %b : f32
    %max = vm.max.f32 %a, %b : f32
    vm.return %add, %sub, %mul, %div, %rem, %fma, %min, %max : f32, f32, f32, f32, f32, f32, f32, f32
  }
  vm.export @arith
  vm.func @unary(%a: f32) -> (f32, f32, f32, f32, f32, f32, f32, f32) {
    %abs = vm.abs.f32 %a : f32
    %neg = vm.neg.f32 %a : f32
    %ceil = vm.ceil.f32 %a : f32
    %floor = vm.floor.f32 %a : f32
    %round = vm.round.f32 %a : f32
    %even = vm.round.f32.even %a : f32
    %sqrt = vm.sqrt.f32 %abs : f32
    %rsqrt = vm.rsqrt.f32 %abs : f32
    vm.return %abs, %neg, %ceil, %floor, %round, %even, %sqrt, %rsqrt : f32, f32, f32, f32, f32, f32, f32, f32
  }
  vm.export @unary
  vm.func @math(%a: f32, %b: f32) -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32) {
    %atan = vm.atan.f32 %a : f32
    %atan2 = vm.atan2.f32 %a, %b : f32
    %cos = vm.cos.f32 %a : f32
    %sin = vm.sin.f32 %a : f32
    %exp = vm.exp.f32 %a : f32
    %exp2 = vm.exp2.f32 %a : f32
    %expm1 = vm.expm1.f32 %a : f32
    %log = vm.log.f32 %b : f32
    %log10 = vm.log10.f32 %b : f32
    %log1p = vm.log1p.f32 %b : f32
    %log2 = vm.log2.f32 %b : f32
    %pow = vm.pow.f32 %b, %a : f32
    %tanh = vm.tanh.f32 %a : f32
    %erf = vm.erf.f32 %a : f32
    %sum = vm.add.f32 %atan, %atan2 : f32
    vm.return %atan, %atan2, %cos, %sin, %exp, %exp2, %expm1, %log, %log10, %log1p, %log2, %pow, %tanh, %erf, %sum : f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32
  }
  vm.export @math
  vm.func @compare(%a: f32, %b: f32) -> (i32, i32, i32, i32, i32, i32, i32, i32, i32, f32) {
    %eqo = vm.cmp.eq.f32.o %a, %b : f32
    %equ = vm.cmp.eq.f32.u %a, %b : f32
    %neo = vm.cmp.ne.f32.o %a, %b : f32
    %neu = vm.cmp.ne.f32.u %a, %b : f32
    %lto = vm.cmp.lt.f32.o %a, %b : f32
    %ltu = vm.cmp.lt.f32.u %a, %b : f32
    %lteo = vm.cmp.lte.f32.o %a, %b : f32
    %lteu = vm.cmp.lte.f32.u %a, %b : f32
    %nan = vm.cmp.nan.f32 %a : f32
    %sel = vm.select.f32 %lto, %a, %b : f32
    vm.return %eqo, %equ, %neo, %neu, %lto, %ltu, %lteo, %lteu, %nan, %sel : i32, i32, i32, i32, i32, i32, i32, i32, i32, f32
  }
  vm.export @compare
  vm.func @convert(%a: f32, %i: i32, %l: i64) -> (f32, f32, i32, i32, f32, i32, i64, i64, f32, f32) {
    %si = vm.cast.si32.f32 %i : i32 -> f32
    %ui = vm.cast.ui32.f32 %i : i32 -> f32
    %fs = vm.cast.f32.si32 %a : f32 -> i32
    %fu = vm.cast.f32.ui32 %a : f32 -> i32
    %bi = vm.bitcast.i32.f32 %i : i32 -> f32
    %bf = vm.bitcast.f32.i32 %a : f32 -> i32
    %fs64 = vm.cast.f32.si64 %a : f32 -> i64
    %fu64 = vm.cast.f32.ui64 %a : f32 -> i64
    %s64 = vm.cast.si64.f32 %l : i64 -> f32
    %u64 = vm.cast.ui64.f32 %l : i64 -> f32
    vm.return %si, %ui, %fs, %fu, %bi, %bf, %fs64, %fu64, %s64, %u64 : f32, f32, i32, i32, f32, i32, i64, i64, f32, f32
  }
  vm.export @convert
  vm.func @constants() -> (f32, f32) {
    %zero = vm.const.f32.zero
    %c = vm.const.f32 -2.5
    vm.return %zero, %c : f32, f32
  }
  vm.export @constants
}
