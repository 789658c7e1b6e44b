// MODE: vm
// Mutable globals of every kind, direct and indirect access, and an initializer (__init).
vm.module @globals {
  vm.global.i32 private mutable @counter = 5 : i32
  vm.global.i64 private mutable @total : i64
  vm.global.f32 private mutable @scale = 1.5 : f32
  vm.global.f64 private mutable @precise : f64
  vm.global.ref private mutable @buffer : !vm.buffer
  vm.initializer {
    %len = vm.const.i64 32
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    vm.global.store.ref %buf, @buffer : !vm.buffer
    %t = vm.const.i64 100
    vm.global.store.i64 %t, @total : i64
    vm.return
  }
  vm.func @bump(%by: i32) -> (i32, i64, f32, f64) {
    %c = vm.global.load.i32 @counter : i32
    %n = vm.add.i32 %c, %by : i32
    vm.global.store.i32 %n, @counter : i32
    %t = vm.global.load.i64 @total : i64
    %w = vm.ext.i32.i64.s %n : i32 -> i64
    %nt = vm.add.i64 %t, %w : i64
    vm.global.store.i64 %nt, @total : i64
    %s = vm.global.load.f32 @scale : f32
    %f = vm.cast.si32.f32 %n : i32 -> f32
    %ns = vm.mul.f32 %s, %f : f32
    vm.global.store.f32 %ns, @scale : f32
    %p = vm.global.load.f64 @precise : f64
    %e = vm.ext.f32.f64 %ns : f32 -> f64
    %np = vm.add.f64 %p, %e : f64
    vm.global.store.f64 %np, @precise : f64
    vm.return %n, %nt, %ns, %np : i32, i64, f32, f64
  }
  vm.export @bump
  vm.func @buffer_length() -> i64 {
    %buf = vm.global.load.ref @buffer : !vm.buffer
    %len = vm.buffer.length %buf : !vm.buffer -> i64
    vm.return %len : i64
  }
  vm.export @buffer_length
  vm.func @indirect(%v: i32) -> i32 {
    %addr = vm.global.address @counter : !util.ptr<i32>
    vm.global.store.indirect.i32 %v, %addr : i32 -> !util.ptr<i32>
    %r = vm.global.load.indirect.i32 %addr : !util.ptr<i32> -> i32
    vm.return %r : i32
  }
  vm.export @indirect
}
