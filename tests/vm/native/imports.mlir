// MODE: vm
// Calls into the native_test module (runtime/vm/test_module.h). Each import-calling function
// has a bytecode twin in twins.mlir computing the same thing; tests run the twin in
// iree-run-module (which has no native_test module) and the import version in bmrt-run-module.
// PAIR: add_import add_bytecode 3 -10
// PAIR: add_import add_bytecode 2147483647 1
// PAIR: add_i64_import add_i64_bytecode 9223372036854775807 2
// PAIR: scale_import scale_bytecode 1.5 -2.25
// PAIR: sum_import sum_bytecode 100 3 7
// PAIR: sum_import sum_bytecode -5 -2 9223372036854775807
// PAIR: buffer_import buffer_bytecode 5 250
// PAIR: buffer_import buffer_bytecode 0 1
// PAIR: resolved_import resolved_bytecode
vm.module @native_imports {
  vm.import private @native_test.add(%a: i32, %b: i32) -> i32
  vm.import private @native_test.add_i64(%a: i64, %b: i64) -> i64
  vm.import private @native_test.scale(%a: f32, %b: f32) -> f32
  vm.import private @native_test.sum(%base: i64, %pairs: tuple<i32, i64> ...) -> (i64, i32)
  vm.import private @native_test.make_buffer(%length: i32, %fill: i32) -> !vm.buffer
  vm.import private @native_test.buffer_sum(%buffer: !vm.buffer) -> i32
  vm.import private @native_test.fail(%code: i32)
  vm.import private optional @native_test.not_provided(%a: i32) -> i32

  vm.export @add_import
  vm.func @add_import(%a: i32, %b: i32) -> i32 {
    %r = vm.call @native_test.add(%a, %b) : (i32, i32) -> i32
    vm.return %r : i32
  }

  vm.export @add_i64_import
  vm.func @add_i64_import(%a: i64, %b: i64) -> i64 {
    %r = vm.call @native_test.add_i64(%a, %b) : (i64, i64) -> i64
    vm.return %r : i64
  }

  vm.export @scale_import
  vm.func @scale_import(%a: f32, %b: f32) -> f32 {
    %r = vm.call @native_test.scale(%a, %b) : (f32, f32) -> f32
    vm.return %r : f32
  }

  // base + a*b + a*base, and the tuple count, through a variadic tuple list.
  vm.export @sum_import
  vm.func @sum_import(%base: i64, %a: i32, %b: i64) -> (i64, i32) {
    %r:2 = vm.call.variadic @native_test.sum(%base, [(%a, %b), (%a, %base)]) : (i64, tuple<i32, i64> ...) -> (i64, i32)
    vm.return %r#0, %r#1 : i64, i32
  }

  // A buffer made natively (bytes fill, fill+1, ...) summed natively and in bytecode.
  vm.export @buffer_import
  vm.func @buffer_import(%n: i32, %fill: i32) -> (i32, i64, i32) {
    %buf = vm.call @native_test.make_buffer(%n, %fill) : (i32, i32) -> !vm.buffer
    %sum = vm.call @native_test.buffer_sum(%buf) : (!vm.buffer) -> i32
    %len = vm.buffer.length %buf : !vm.buffer -> i64
    %zero = vm.const.i64.zero
    %nz = vm.cmp.nz.i64 %len : i64
    vm.cond_br %nz, ^first, ^empty
  ^first:
    %b0 = vm.buffer.load.i8.u %buf[%zero] : !vm.buffer -> i32
    vm.return %sum, %len, %b0 : i32, i64, i32
  ^empty:
    %none = vm.const.i32 -1
    vm.return %sum, %len, %none : i32, i64, i32
  }

  vm.export @resolved_import
  vm.func @resolved_import() -> (i32, i32) {
    %missing = vm.import.resolved @native_test.not_provided : i32
    %present = vm.import.resolved @native_test.add : i32
    vm.return %missing, %present : i32, i32
  }

  vm.export @fail_import
  vm.func @fail_import(%code: i32) {
    vm.call @native_test.fail(%code) : (i32) -> ()
    vm.return
  }
}
