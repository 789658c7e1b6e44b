// MODE: vm
// vm.list of i32, i64, f32, refs and variants: alloc, reserve, resize, size, get/set, and
// out-of-range access (an error in both runtimes).
// CASE: ints 4 2
// CASE: ints 1 0
// CASE: ints 0 0
// CASE: floats 3 2.75
// CASE: variants 3
// CASE: refs 5
// CASE: out_of_range 2 2
// CASE: out_of_range 2 -1
// CASE: returned 3
vm.module @vm_lists {
  vm.export @ints
  vm.func @ints(%n: i32, %index: i32) -> (i32, i32, i64, i32) {
    %l = vm.list.alloc %n : (i32) -> !vm.list<i32>
    vm.list.resize %l, %n : (!vm.list<i32>, i32)
    %c7 = vm.const.i32 7
    vm.list.set.i32 %l, %index, %c7 : (!vm.list<i32>, i32, i32)
    %v = vm.list.get.i32 %l, %index : (!vm.list<i32>, i32) -> i32
    %size = vm.list.size %l : (!vm.list<i32>) -> i32
    %w = vm.list.alloc %n : (i32) -> !vm.list<i64>
    %c2n = vm.add.i32 %n, %n : i32
    vm.list.reserve %w, %c2n : (!vm.list<i64>, i32)
    vm.list.resize %w, %c2n : (!vm.list<i64>, i32)
    %big = vm.const.i64 -81985529216486895
    vm.list.set.i64 %w, %index, %big : (!vm.list<i64>, i32, i64)
    %x = vm.list.get.i64 %w, %index : (!vm.list<i64>, i32) -> i64
    %one = vm.const.i32 1
    vm.list.resize %w, %one : (!vm.list<i64>, i32)
    %wsize = vm.list.size %w : (!vm.list<i64>) -> i32
    vm.return %v, %size, %x, %wsize : i32, i32, i64, i32
  }

  vm.export @floats
  vm.func @floats(%n: i32, %f: f32) -> (f32, f32, i32) {
    %l = vm.list.alloc %n : (i32) -> !vm.list<f32>
    vm.list.resize %l, %n : (!vm.list<f32>, i32)
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    vm.list.set.f32 %l, %one, %f : (!vm.list<f32>, i32, f32)
    %a = vm.list.get.f32 %l, %zero : (!vm.list<f32>, i32) -> f32
    %b = vm.list.get.f32 %l, %one : (!vm.list<f32>, i32) -> f32
    %size = vm.list.size %l : (!vm.list<f32>) -> i32
    vm.return %a, %b, %size : f32, f32, i32
  }

  // A variant list holding an i32, an i64 and a buffer.
  vm.export @variants
  vm.func @variants(%n: i32) -> (i32, i64, i32, i32) {
    %l = vm.list.alloc %n : (i32) -> !vm.list<?>
    vm.list.resize %l, %n : (!vm.list<?>, i32)
    %c0 = vm.const.i32 0
    %c1 = vm.const.i32 1
    %c2 = vm.const.i32 2
    %v32 = vm.const.i32 -12
    %v64 = vm.const.i64 1099511627776
    vm.list.set.i32 %l, %c0, %v32 : (!vm.list<?>, i32, i32)
    vm.list.set.i64 %l, %c1, %v64 : (!vm.list<?>, i32, i64)
    %len = vm.const.i64 8
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    vm.list.set.ref %l, %c2, %buf : (!vm.list<?>, i32, !vm.buffer)
    %a = vm.list.get.i32 %l, %c0 : (!vm.list<?>, i32) -> i32
    %b = vm.list.get.i64 %l, %c1 : (!vm.list<?>, i32) -> i64
    %r = vm.list.get.ref %l, %c2 : (!vm.list<?>, i32) -> !vm.buffer
    %same = vm.cmp.eq.ref %r, %buf : !vm.buffer
    %size = vm.list.size %l : (!vm.list<?>) -> i32
    vm.return %a, %b, %same, %size : i32, i64, i32, i32
  }

  // A list of lists: refs stored, fetched and compared.
  vm.export @refs
  vm.func @refs(%n: i32) -> (i32, i32, i32) {
    %outer = vm.list.alloc %n : (i32) -> !vm.list<?>
    vm.list.resize %outer, %n : (!vm.list<?>, i32)
    %inner = vm.list.alloc %n : (i32) -> !vm.list<i32>
    vm.list.resize %inner, %n : (!vm.list<i32>, i32)
    %c3 = vm.const.i32 3
    %c42 = vm.const.i32 42
    vm.list.set.i32 %inner, %c3, %c42 : (!vm.list<i32>, i32, i32)
    %c1 = vm.const.i32 1
    vm.list.set.ref %outer, %c1, %inner : (!vm.list<?>, i32, !vm.list<i32>)
    %got = vm.list.get.ref %outer, %c1 : (!vm.list<?>, i32) -> !vm.list<i32>
    %v = vm.list.get.i32 %got, %c3 : (!vm.list<i32>, i32) -> i32
    %c0 = vm.const.i32 0
    %empty = vm.list.get.ref %outer, %c0 : (!vm.list<?>, i32) -> !vm.list<i32>
    %isnull = vm.cmp.nz.ref %empty : !vm.list<i32>
    %same = vm.cmp.eq.ref %got, %inner : !vm.list<i32>
    vm.return %v, %isnull, %same : i32, i32, i32
  }

  vm.export @out_of_range
  vm.func @out_of_range(%n: i32, %index: i32) -> i32 {
    %l = vm.list.alloc %n : (i32) -> !vm.list<i32>
    vm.list.resize %l, %n : (!vm.list<i32>, i32)
    %v = vm.list.get.i32 %l, %index : (!vm.list<i32>, i32) -> i32
    vm.return %v : i32
  }

  vm.export @returned
  vm.func @returned(%n: i32) -> !vm.list<?> {
    %l = vm.list.alloc %n : (i32) -> !vm.list<?>
    %c5 = vm.const.i32 5
    %c9 = vm.const.i64 9
    %f = vm.const.f32 0.25
    vm.list.resize %l, %n : (!vm.list<?>, i32)
    %c0 = vm.const.i32 0
    %c1 = vm.const.i32 1
    vm.list.set.i32 %l, %c0, %c5 : (!vm.list<?>, i32, i32)
    vm.list.set.i64 %l, %c1, %c9 : (!vm.list<?>, i32, i64)
    vm.return %l : !vm.list<?>
  }
}
