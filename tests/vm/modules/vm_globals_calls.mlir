// MODE: vm
// Globals of every type (direct, with initial values and an initializer; ref globals),
// internal calls mixing i32/i64/f32/ref arguments and results, nested calls.
// CASE: counter 5
// CASE: counter -3
// CASE: globals 7 2.5
// CASE: ref_global 12
// CASE: ref_global 0
// CASE: call_mix 3 -10 1.5
// CASE: call_mix -1 9223372036854775807 -0.0
// CASE: chain 7 5
// CASE: chain -1 -9223372036854775807
vm.module @vm_globals_calls {
  vm.global.i32 private mutable @count : i32
  vm.global.i32 private mutable @seed = 41 : i32
  vm.global.i64 private mutable @wide = 1234567890123 : i64
  vm.global.f32 private mutable @scale = 0.5 : f32
  vm.global.ref private mutable @kept : !vm.buffer
  vm.global.i32 private mutable @initialized : i32

  vm.initializer {
    %c = vm.const.i32 1000
    vm.global.store.i32 %c, @initialized : i32
    vm.return
  }

  // Adds `step` to a counter and returns it with the initializer's value.
  vm.export @counter
  vm.func @counter(%step: i32) -> (i32, i32, i32) {
    %c = vm.global.load.i32 @count : i32
    %n = vm.add.i32 %c, %step : i32
    vm.global.store.i32 %n, @count : i32
    %again = vm.global.load.i32 @count : i32
    %init = vm.global.load.i32 @initialized : i32
    %seed = vm.global.load.i32 @seed : i32
    vm.return %again, %init, %seed : i32, i32, i32
  }

  vm.export @globals
  vm.func @globals(%a: i32, %f: f32) -> (i64, f32, i64, f32) {
    %w = vm.global.load.i64 @wide : i64
    %s = vm.global.load.f32 @scale : f32
    %wa = vm.ext.i32.i64.s %a : i32 -> i64
    %w2 = vm.mul.i64 %w, %wa : i64
    vm.global.store.i64 %w2, @wide : i64
    %s2 = vm.mul.f32 %s, %f : f32
    vm.global.store.f32 %s2, @scale : f32
    %w3 = vm.global.load.i64 @wide : i64
    %s3 = vm.global.load.f32 @scale : f32
    vm.return %w, %s, %w3, %s3 : i64, f32, i64, f32
  }

  vm.export @ref_global
  vm.func @ref_global(%n: i64) -> (i32, i64, i32) {
    %before = vm.global.load.ref @kept : !vm.buffer
    %was_set = vm.cmp.nz.ref %before : !vm.buffer
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %n, %align : !vm.buffer
    vm.global.store.ref %buf, @kept : !vm.buffer
    %after = vm.global.load.ref @kept : !vm.buffer
    %len = vm.buffer.length %after : !vm.buffer -> i64
    %same = vm.cmp.eq.ref %after, %buf : !vm.buffer
    vm.return %was_set, %len, %same : i32, i64, i32
  }

  vm.func private @mix(%a: i32, %b: i64, %c: f32, %buf: !vm.buffer) -> (i64, f32, !vm.buffer, i32) attributes {inlining_policy = #util.inline.never} {
    %wide = vm.ext.i32.i64.s %a : i32 -> i64
    %sum = vm.add.i64 %wide, %b : i64
    %two = vm.const.f32 2.0
    %twice = vm.mul.f32 %c, %two : f32
    %bits = vm.bitcast.f32.i32 %c : f32 -> i32
    vm.return %sum, %twice, %buf, %bits : i64, f32, !vm.buffer, i32
  }

  vm.export @call_mix
  vm.func @call_mix(%a: i32, %b: i64, %c: f32) -> (i64, f32, i32, i32) {
    %len = vm.const.i64 16
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    %sum, %twice, %same, %bits = vm.call @mix(%a, %b, %c, %buf) : (i32, i64, f32, !vm.buffer) -> (i64, f32, !vm.buffer, i32)
    %eq = vm.cmp.eq.ref %buf, %same : !vm.buffer
    vm.return %sum, %twice, %eq, %bits : i64, f32, i32, i32
  }

  // A chain of calls four deep carrying an i64 and a ref down and back up (the pinned compiler
  // does not accept recursive VM functions).
  vm.func private @level3(%v: i64, %buf: !vm.buffer) -> (i64, !vm.buffer) attributes {inlining_policy = #util.inline.never} {
    %three = vm.const.i64 3
    %r = vm.mul.i64 %v, %three : i64
    vm.return %r, %buf : i64, !vm.buffer
  }
  vm.func private @level2(%v: i64, %buf: !vm.buffer) -> (i64, !vm.buffer) attributes {inlining_policy = #util.inline.never} {
    %one = vm.const.i64 1
    %w = vm.add.i64 %v, %one : i64
    %r, %b = vm.call @level3(%w, %buf) : (i64, !vm.buffer) -> (i64, !vm.buffer)
    vm.return %r, %b : i64, !vm.buffer
  }
  vm.func private @level1(%n: i32, %v: i64, %buf: !vm.buffer) -> (i64, i32, !vm.buffer) attributes {inlining_policy = #util.inline.never} {
    %r, %b = vm.call @level2(%v, %buf) : (i64, !vm.buffer) -> (i64, !vm.buffer)
    %r2, %b2 = vm.call @level2(%r, %b) : (i64, !vm.buffer) -> (i64, !vm.buffer)
    vm.return %r2, %n, %b2 : i64, i32, !vm.buffer
  }

  vm.export @chain
  vm.func @chain(%n: i32, %v: i64) -> (i64, i32, i32) {
    %len = vm.const.i64 4
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    %r, %m, %b = vm.call @level1(%n, %v, %buf) : (i32, i64, !vm.buffer) -> (i64, i32, !vm.buffer)
    %eq = vm.cmp.eq.ref %b, %buf : !vm.buffer
    vm.return %r, %m, %eq : i64, i32, i32
  }
}
