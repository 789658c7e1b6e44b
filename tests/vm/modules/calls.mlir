// MODE: vm
// Internal calls with i32, i64, f32 and ref arguments and results, nested calls, and functions
// that are not exported.
vm.module @calls {
  vm.func private @mix(%a: i32, %b: i64, %c: f32, %buf: !vm.buffer) -> (i64, i32, !vm.buffer) attributes {inlining_policy = #util.inline.never} {
    %wide = vm.ext.i32.i64.s %a : i32 -> i64
    %sum = vm.add.i64 %wide, %b : i64
    %bits = vm.bitcast.f32.i32 %c : f32 -> i32
    vm.return %sum, %bits, %buf : i64, i32, !vm.buffer
  }
  vm.func @call_mix(%a: i32, %b: i64, %c: f32) -> (i64, i32, i32) {
    %len = vm.const.i64 16
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    %sum, %bits, %same = vm.call @mix(%a, %b, %c, %buf) : (i32, i64, f32, !vm.buffer) -> (i64, i32, !vm.buffer)
    %eq = vm.cmp.eq.ref %buf, %same : !vm.buffer
    vm.return %sum, %bits, %eq : i64, i32, i32
  }
  vm.export @call_mix
  vm.func private @square(%n: i64) -> i64 attributes {inlining_policy = #util.inline.never} {
    %p = vm.mul.i64 %n, %n : i64
    vm.return %p : i64
  }
  vm.func private @square_plus_one(%n: i64) -> i64 attributes {inlining_policy = #util.inline.never} {
    %s = vm.call @square(%n) : (i64) -> i64
    %one = vm.const.i64 1
    %r = vm.add.i64 %s, %one : i64
    vm.return %r : i64
  }
  // Nested calls (the pinned compiler does not terminate on recursive vm.func calls).
  vm.func @chain(%n: i64) -> i64 {
    %a = vm.call @square_plus_one(%n) : (i64) -> i64
    %b = vm.call @square_plus_one(%a) : (i64) -> i64
    vm.return %b : i64
  }
  vm.export @chain
  vm.func private @nothing() attributes {inlining_policy = #util.inline.never} {
    vm.return
  }
  vm.func @call_void() -> i32 {
    vm.call @nothing() : () -> ()
    %c = vm.const.i32 7
    vm.return %c : i32
  }
  vm.export @call_void
}
