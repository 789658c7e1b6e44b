// MODE: vm
// FLAGS: --iree-vm-target-extension-f64
// The ExtF64 set: f64 arithmetic in register pairs, conversions between f32, f64 and i64 (the
// pinned compiler has no f64<->i32 cast ops),
// compares, math functions, globals, lists and buffers of f64.
// CASE: arith 2.5 -1.25
// CASE: arith 1e300 1e-300
// CASE: arith -0 3
// CASE: unary 2.5
// CASE: unary -3.5
// CASE: unary 0.75
// CASE: convert 3.75 -7
// CASE: convert -2.5 2147483647
// CASE: convert 5e9 0
// CASE: compares 1 2
// CASE: compares 2 2
// CASE: storage 1.5 2
vm.module @vm_f64 {
  vm.global.f64 private mutable @g = 0.125 : f64

  vm.export @arith
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

  vm.export @unary
  vm.func @unary(%a: f64) -> (f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64) {
    %abs = vm.abs.f64 %a : f64
    %neg = vm.neg.f64 %a : f64
    %ceil = vm.ceil.f64 %a : f64
    %floor = vm.floor.f64 %a : f64
    %round = vm.round.f64 %a : f64
    %even = vm.round.f64.even %a : f64
    %sqrt = vm.sqrt.f64 %abs : f64
    %rsqrt = vm.rsqrt.f64 %abs : f64
    %exp = vm.exp.f64 %a : f64
    %exp2 = vm.exp2.f64 %a : f64
    %expm1 = vm.expm1.f64 %a : f64
    %log = vm.log.f64 %abs : f64
    %log2 = vm.log2.f64 %abs : f64
    %tanh = vm.tanh.f64 %a : f64
    %sin = vm.sin.f64 %a : f64
    %atan2 = vm.atan2.f64 %a, %abs : f64
    %pow = vm.pow.f64 %abs, %a : f64
    %erf = vm.erf.f64 %a : f64
    vm.return %abs, %neg, %ceil, %floor, %round, %even, %sqrt, %rsqrt, %exp, %exp2, %expm1, %log, %log2, %tanh, %sin, %atan2, %pow, %erf : f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64
  }

  vm.export @convert
  vm.func @convert(%a: f64, %i: i32) -> (f32, f64, i64, i64, f64, i64, f64) {
    %f = vm.trunc.f64.f32 %a : f64 -> f32
    %back = vm.ext.f32.f64 %f : f32 -> f64
    %si64 = vm.cast.f64.si64 %a : f64 -> i64
    %ui64 = vm.cast.f64.ui64 %a : f64 -> i64
    %wide = vm.ext.i32.i64.s %i : i32 -> i64
    %fsi64 = vm.cast.si64.f64 %wide : i64 -> f64
    %bits = vm.bitcast.f64.i64 %a : f64 -> i64
    %same = vm.bitcast.i64.f64 %bits : i64 -> f64
    vm.return %f, %back, %si64, %ui64, %fsi64, %bits, %same : f32, f64, i64, i64, f64, i64, f64
  }

  vm.export @compares
  vm.func @compares(%a: f64, %b: f64) -> (i32, i32, i32, i32, i32, i32, i32, i32, i32) {
    %0 = vm.cmp.eq.f64.o %a, %b : f64
    %1 = vm.cmp.eq.f64.u %a, %b : f64
    %2 = vm.cmp.ne.f64.o %a, %b : f64
    %3 = vm.cmp.ne.f64.u %a, %b : f64
    %4 = vm.cmp.lt.f64.o %a, %b : f64
    %5 = vm.cmp.lt.f64.u %a, %b : f64
    %6 = vm.cmp.lte.f64.o %a, %b : f64
    %7 = vm.cmp.lte.f64.u %a, %b : f64
    %8 = vm.cmp.nan.f64 %a : f64
    vm.return %0, %1, %2, %3, %4, %5, %6, %7, %8 : i32, i32, i32, i32, i32, i32, i32, i32, i32
  }

  vm.export @storage
  vm.func @storage(%a: f64, %n: i32) -> (f64, f64, f64, f64, f64) {
    %g = vm.global.load.f64 @g : f64
    %g2 = vm.add.f64 %g, %a : f64
    vm.global.store.f64 %g2, @g : f64
    %g3 = vm.global.load.f64 @g : f64
    %l = vm.list.alloc %n : (i32) -> !vm.list<f64>
    vm.list.resize %l, %n : (!vm.list<f64>, i32)
    %one = vm.const.i32 1
    vm.list.set.f64 %l, %one, %a : (!vm.list<f64>, i32, f64)
    %got = vm.list.get.f64 %l, %one : (!vm.list<f64>, i32) -> f64
    %len = vm.const.i64 32
    %align = vm.const.i32 8
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    %i1 = vm.const.i64 1
    %i2 = vm.const.i64 2
    vm.buffer.store.f64 %a, %buf[%i1] : f64 -> !vm.buffer
    %loaded = vm.buffer.load.f64 %buf[%i1] : !vm.buffer -> f64
    vm.buffer.fill.f64 %buf, %i2, %i2, %g3 : f64 -> !vm.buffer
    %filled = vm.buffer.load.f64 %buf[%i2] : !vm.buffer -> f64
    %c = vm.const.f64 -6.5
    %sel = vm.select.f64 %n, %c, %a : f64
    vm.return %g3, %got, %loaded, %filled, %sel : f64, f64, f64, f64, f64
  }
}
