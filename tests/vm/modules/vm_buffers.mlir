// MODE: vm
// vm.buffer: rodata views (read-only), alloc, clone, copy, fill, compare, hash, length and
// load/store of every width at element offsets; bounds and read-only errors.
// CASE: loads 0
// CASE: loads 1
// CASE: loads 2
// CASE: loads 3
// CASE: loads 4
// CASE: stores 0 -1
// CASE: stores 3 305419896
// CASE: stores 4 1
// CASE: fills 1 2 -2
// CASE: fills 0 8 171
// CASE: fills 7 2 1
// CASE: copies 0 4 4
// CASE: copies 2 0 6
// CASE: copies 4 8 9
// CASE: clone_compare 2 6
// CASE: clone_compare 0 12
// CASE: clone_compare 10 4
// CASE: hash 0 0
// CASE: hash 0 12
// CASE: hash 3 9
// CASE: hash 1 8
// CASE: hash 5 9
// CASE: rodata_store 0
// CASE: floats 1 -0.375
// CASE: floats 2 1e20
vm.module @vm_buffers {
  vm.rodata private @bytes dense<[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]> : tensor<16xi8>
  vm.rodata private @signed dense<[-1, -128, 127, 0, -32768, 32767, -2, 2]> : tensor<8xi16>

  vm.export @loads
  vm.func @loads(%i: i64) -> (i32, i32, i32, i32, i32, i64, i64) {
    %b = vm.const.ref.rodata @bytes : !vm.buffer
    %s = vm.const.ref.rodata @signed : !vm.buffer
    %u8 = vm.buffer.load.i8.u %s[%i] : !vm.buffer -> i32
    %s8 = vm.buffer.load.i8.s %s[%i] : !vm.buffer -> i32
    %u16 = vm.buffer.load.i16.u %s[%i] : !vm.buffer -> i32
    %s16 = vm.buffer.load.i16.s %s[%i] : !vm.buffer -> i32
    %w32 = vm.buffer.load.i32 %b[%i] : !vm.buffer -> i32
    %w64 = vm.buffer.load.i64 %b[%i] : !vm.buffer -> i64
    %len = vm.buffer.length %b : !vm.buffer -> i64
    vm.return %u8, %s8, %u16, %s16, %w32, %w64, %len : i32, i32, i32, i32, i32, i64, i64
  }

  vm.export @stores
  vm.func @stores(%i: i64, %v: i32) -> (i64, i64, i32) {
    %len = vm.const.i64 16
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    vm.buffer.store.i8 %v, %buf[%i] : i32 -> !vm.buffer
    %zero = vm.const.i64.zero
    %first = vm.buffer.load.i64 %buf[%zero] : !vm.buffer -> i64
    vm.buffer.store.i16 %v, %buf[%i] : i32 -> !vm.buffer
    vm.buffer.store.i32 %v, %buf[%i] : i32 -> !vm.buffer
    %w = vm.ext.i32.i64.s %v : i32 -> i64
    %one = vm.const.i64 1
    vm.buffer.store.i64 %w, %buf[%one] : i64 -> !vm.buffer
    %second = vm.buffer.load.i64 %buf[%one] : !vm.buffer -> i64
    %word = vm.buffer.load.i32 %buf[%i] : !vm.buffer -> i32
    vm.return %first, %second, %word : i64, i64, i32
  }

  // Fills at element offsets/lengths of each width, then reads the buffer back.
  vm.export @fills
  vm.func @fills(%off: i64, %count: i64, %v: i32) -> (i64, i64, i64, i64) {
    %len = vm.const.i64 32
    %align = vm.const.i32 8
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    %zero = vm.const.i64.zero
    %one = vm.const.i64 1
    %two = vm.const.i64 2
    %three = vm.const.i64 3
    vm.buffer.fill.i8 %buf, %off, %count, %v : i32 -> !vm.buffer
    %a = vm.buffer.load.i64 %buf[%zero] : !vm.buffer -> i64
    vm.buffer.fill.i16 %buf, %off, %count, %v : i32 -> !vm.buffer
    %b = vm.buffer.load.i64 %buf[%one] : !vm.buffer -> i64
    vm.buffer.fill.i32 %buf, %off, %count, %v : i32 -> !vm.buffer
    %c = vm.buffer.load.i64 %buf[%two] : !vm.buffer -> i64
    %w = vm.ext.i32.i64.s %v : i32 -> i64
    vm.buffer.fill.i64 %buf, %off, %count, %w : i64 -> !vm.buffer
    %d = vm.buffer.load.i64 %buf[%three] : !vm.buffer -> i64
    vm.return %a, %b, %c, %d : i64, i64, i64, i64
  }

  vm.export @copies
  vm.func @copies(%src_off: i64, %dst_off: i64, %n: i64) -> (i64, i64) {
    %b = vm.const.ref.rodata @bytes : !vm.buffer
    %len = vm.const.i64 16
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    vm.buffer.copy %b, %src_off, %buf, %dst_off, %n : !vm.buffer -> !vm.buffer
    %zero = vm.const.i64.zero
    %one = vm.const.i64 1
    %lo = vm.buffer.load.i64 %buf[%zero] : !vm.buffer -> i64
    %hi = vm.buffer.load.i64 %buf[%one] : !vm.buffer -> i64
    vm.return %lo, %hi : i64, i64
  }

  vm.export @clone_compare
  vm.func @clone_compare(%off: i64, %n: i64) -> (i64, i32, i32, i32) {
    %b = vm.const.ref.rodata @bytes : !vm.buffer
    %align = vm.const.i32 16
    %c = vm.buffer.clone %b, %off, %n, %align : !vm.buffer -> !vm.buffer
    %clen = vm.buffer.length %c : !vm.buffer -> i64
    %zero = vm.const.i64.zero
    %same = vm.buffer.compare %b, %off, %c, %zero, %n : !vm.buffer, !vm.buffer
    %one = vm.const.i64 1
    %shifted = vm.buffer.compare %b, %one, %c, %zero, %n : !vm.buffer, !vm.buffer
    %v = vm.const.i32 99
    vm.buffer.store.i8 %v, %c[%zero] : i32 -> !vm.buffer
    %after = vm.buffer.compare %b, %off, %c, %zero, %n : !vm.buffer, !vm.buffer
    vm.return %clen, %same, %shifted, %after : i64, i32, i32, i32
  }

  vm.export @hash
  vm.func @hash(%off: i64, %n: i64) -> i64 {
    %b = vm.const.ref.rodata @bytes : !vm.buffer
    %h = vm.buffer.hash %b, %off, %n : !vm.buffer -> i64
    vm.return %h : i64
  }

  // Rodata is read-only: storing into it is an error.
  vm.export @rodata_store
  vm.func @rodata_store(%i: i64) -> i32 {
    %b = vm.const.ref.rodata @bytes : !vm.buffer
    %v = vm.const.i32 1
    vm.buffer.store.i8 %v, %b[%i] : i32 -> !vm.buffer
    %r = vm.buffer.load.i8.u %b[%i] : !vm.buffer -> i32
    vm.return %r : i32
  }

  vm.export @floats
  vm.func @floats(%i: i64, %f: f32) -> (f32, f32, i32) {
    %len = vm.const.i64 16
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    vm.buffer.store.f32 %f, %buf[%i] : f32 -> !vm.buffer
    %back = vm.buffer.load.f32 %buf[%i] : !vm.buffer -> f32
    %zero = vm.const.i64.zero
    %one = vm.const.i64 1
    vm.buffer.fill.f32 %buf, %zero, %one, %f : f32 -> !vm.buffer
    %first = vm.buffer.load.f32 %buf[%zero] : !vm.buffer -> f32
    %bits = vm.buffer.load.i32 %buf[%i] : !vm.buffer -> i32
    vm.return %back, %first, %bits : f32, f32, i32
  }
}
