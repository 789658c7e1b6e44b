// MODE: vm
// Bytecode twins of the import-calling functions of imports.mlir (no imports: runs in IREE).
vm.module @native_twins {
  vm.export @add_bytecode
  vm.func @add_bytecode(%a: i32, %b: i32) -> i32 {
    %r = vm.add.i32 %a, %b : i32
    vm.return %r : i32
  }

  vm.export @add_i64_bytecode
  vm.func @add_i64_bytecode(%a: i64, %b: i64) -> i64 {
    %r = vm.add.i64 %a, %b : i64
    vm.return %r : i64
  }

  vm.export @scale_bytecode
  vm.func @scale_bytecode(%a: f32, %b: f32) -> f32 {
    %r = vm.mul.f32 %a, %b : f32
    vm.return %r : f32
  }

  vm.export @sum_bytecode
  vm.func @sum_bytecode(%base: i64, %a: i32, %b: i64) -> (i64, i32) {
    %wa = vm.ext.i32.i64.s %a : i32 -> i64
    %p0 = vm.mul.i64 %wa, %b : i64
    %p1 = vm.mul.i64 %wa, %base : i64
    %s0 = vm.add.i64 %base, %p0 : i64
    %s1 = vm.add.i64 %s0, %p1 : i64
    %two = vm.const.i32 2
    vm.return %s1, %two : i64, i32
  }

  vm.export @buffer_bytecode
  vm.func @buffer_bytecode(%n: i32, %fill: i32) -> (i32, i64, i32) {
    %len = vm.ext.i32.i64.s %n : i32 -> i64
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    %mask = vm.const.i32 255
    vm.br ^fill(%zero, %zero : i32, i32)
  ^fill(%i: i32, %sum: i32):
    %more = vm.cmp.lt.i32.s %i, %n : i32
    vm.cond_br %more, ^body, ^done
  ^body:
    %v = vm.add.i32 %fill, %i : i32
    %byte = vm.and.i32 %v, %mask : i32
    %wi = vm.ext.i32.i64.s %i : i32 -> i64
    vm.buffer.store.i8 %byte, %buf[%wi] : i32 -> !vm.buffer
    %s = vm.add.i32 %sum, %byte : i32
    %next = vm.add.i32 %i, %one : i32
    vm.br ^fill(%next, %s : i32, i32)
  ^done:
    %nz = vm.cmp.nz.i32 %n : i32
    %z64 = vm.const.i64.zero
    vm.cond_br %nz, ^first, ^empty
  ^first:
    %b0 = vm.buffer.load.i8.u %buf[%z64] : !vm.buffer -> i32
    vm.return %sum, %len, %b0 : i32, i64, i32
  ^empty:
    %none = vm.const.i32 -1
    vm.return %sum, %len, %none : i32, i64, i32
  }

  vm.export @resolved_bytecode
  vm.func @resolved_bytecode() -> (i32, i32) {
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    vm.return %zero, %one : i32, i32
  }
}
