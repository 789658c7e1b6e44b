// MODE: vm
// vm.buffer: rodata constants, alloc, clone, length, loads and stores of every width, fill,
// copy, compare, hash.
vm.module @buffers {
  vm.rodata private @bytes dense<[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]> : tensor<16xi8>
  vm.func @loads(%offset: i64) -> (i32, i32, i32, i32, i32, i64, f32, f64) {
    %ro = vm.const.ref.rodata @bytes : !vm.buffer
    %u8 = vm.buffer.load.i8.u %ro[%offset] : !vm.buffer -> i32
    %s8 = vm.buffer.load.i8.s %ro[%offset] : !vm.buffer -> i32
    %u16 = vm.buffer.load.i16.u %ro[%offset] : !vm.buffer -> i32
    %s16 = vm.buffer.load.i16.s %ro[%offset] : !vm.buffer -> i32
    %i32 = vm.buffer.load.i32 %ro[%offset] : !vm.buffer -> i32
    %i64 = vm.buffer.load.i64 %ro[%offset] : !vm.buffer -> i64
    %f32 = vm.buffer.load.f32 %ro[%offset] : !vm.buffer -> f32
    %f64 = vm.buffer.load.f64 %ro[%offset] : !vm.buffer -> f64
    vm.return %u8, %s8, %u16, %s16, %i32, %i64, %f32, %f64 : i32, i32, i32, i32, i32, i64, f32, f64
  }
  vm.export @loads
  vm.func @stores(%v: i32, %w: i64, %f: f32, %d: f64) -> (i64, i64, i32, i64) {
    %len = vm.const.i64 64
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    %zero = vm.const.i64.zero
    %c8 = vm.const.i64 8
    %c16 = vm.const.i64 16
    %c24 = vm.const.i64 24
    %c32 = vm.const.i64 32
    vm.buffer.store.i8 %v, %buf[%zero] : i32 -> !vm.buffer
    vm.buffer.store.i16 %v, %buf[%c8] : i32 -> !vm.buffer
    vm.buffer.store.i32 %v, %buf[%c16] : i32 -> !vm.buffer
    vm.buffer.store.i64 %w, %buf[%c24] : i64 -> !vm.buffer
    vm.buffer.store.f32 %f, %buf[%c32] : f32 -> !vm.buffer
    %c40 = vm.const.i64 40
    vm.buffer.store.f64 %d, %buf[%c40] : f64 -> !vm.buffer
    %clone = vm.buffer.clone %buf, %zero, %len, %align : !vm.buffer -> !vm.buffer
    %len2 = vm.buffer.length %clone : !vm.buffer -> i64
    %hash = vm.buffer.hash %clone, %zero, %len : !vm.buffer -> i64
    %same = vm.buffer.compare %buf, %zero, %clone, %zero, %len : !vm.buffer, !vm.buffer
    vm.return %len2, %hash, %same, %w : i64, i64, i32, i64
  }
  vm.export @stores
  vm.func @fill_copy(%v: i32) -> (i32, i32, i64, f32, f64) {
    %len = vm.const.i64 64
    %align = vm.const.i32 16
    %a = vm.buffer.alloc %len, %align : !vm.buffer
    %b = vm.buffer.alloc %len, %align : !vm.buffer
    %zero = vm.const.i64.zero
    %c8 = vm.const.i64 8
    %c16 = vm.const.i64 16
    %c32 = vm.const.i64 32
    %c48 = vm.const.i64 48
    vm.buffer.fill.i8 %a, %zero, %c8, %v : i32 -> !vm.buffer
    vm.buffer.fill.i16 %a, %c8, %c8, %v : i32 -> !vm.buffer
    %w = vm.ext.i32.i64.s %v : i32 -> i64
    vm.buffer.fill.i32 %a, %c16, %c16, %v : i32 -> !vm.buffer
    vm.buffer.fill.i64 %a, %c32, %c16, %w : i64 -> !vm.buffer
    %f = vm.cast.si32.f32 %v : i32 -> f32
    vm.buffer.fill.f32 %a, %c48, %c8, %f : f32 -> !vm.buffer
    %d = vm.ext.f32.f64 %f : f32 -> f64
    %c56 = vm.const.i64 56
    vm.buffer.fill.f64 %a, %c56, %c8, %d : f64 -> !vm.buffer
    vm.buffer.copy %a, %zero, %b, %zero, %len : !vm.buffer -> !vm.buffer
    %x = vm.buffer.load.i8.u %b[%zero] : !vm.buffer -> i32
    %y = vm.buffer.load.i32 %b[%c16] : !vm.buffer -> i32
    %z = vm.buffer.load.i64 %b[%c32] : !vm.buffer -> i64
    %fz = vm.buffer.load.f32 %b[%c48] : !vm.buffer -> f32
    %dz = vm.buffer.load.f64 %b[%c56] : !vm.buffer -> f64
    vm.return %x, %y, %z, %fz, %dz : i32, i32, i64, f32, f64
  }
  vm.export @fill_copy
}
