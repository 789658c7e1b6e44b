// MODE: vm
// Calls into a native module: fixed and variadic imports (segment sizes, tuples), an optional
// import checked with import.resolved, and a yieldable import.
vm.module @imports {
  vm.import private @native.add(%a : i32, %b : i64) -> i64
  vm.import private @native.sum(%scale : i32, %values : i64 ...) -> i64
  vm.import private @native.pairs(%pairs : tuple<i32, !vm.buffer> ...) -> (i32, !vm.buffer)
  vm.import private optional @native.maybe(%x : i32) -> i32
  vm.import private @native.wait(%x : i32) -> i32 attributes {vm.yield}
  vm.func @fixed(%a: i32, %b: i64) -> i64 {
    %r = vm.call @native.add(%a, %b) : (i32, i64) -> i64
    vm.return %r : i64
  }
  vm.export @fixed
  vm.func @variadic(%s: i32, %x: i64, %y: i64) -> i64 {
    %r = vm.call.variadic @native.sum(%s, [%x, %y, %x]) : (i32, i64 ...) -> i64
    vm.return %r : i64
  }
  vm.export @variadic
  vm.func @tuples(%a: i32) -> (i32, i64) {
    %len = vm.const.i64 8
    %align = vm.const.i32 8
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    %n, %b = vm.call.variadic @native.pairs([(%a, %buf), (%a, %buf)]) : (tuple<i32, !vm.buffer> ...) -> (i32, !vm.buffer)
    %l = vm.buffer.length %b : !vm.buffer -> i64
    vm.return %n, %l : i32, i64
  }
  vm.export @tuples
  vm.func @optional(%x: i32) -> i32 {
    %has = vm.import.resolved @native.maybe : i32
    vm.cond_br %has, ^call, ^skip
  ^call:
    %r = vm.call @native.maybe(%x) : (i32) -> i32
    vm.return %r : i32
  ^skip:
    vm.return %x : i32
  }
  vm.export @optional
  vm.func @yielding(%x: i32) -> i32 {
    %r = vm.call @native.wait(%x) : (i32) -> i32
    %one = vm.const.i32 1
    %s = vm.add.i32 %r, %one : i32
    vm.return %s : i32
  }
  vm.export @yielding
}
