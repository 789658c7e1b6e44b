// MODE: vm
// vm.list of i32, i64, f32 and refs: alloc, reserve, resize, size, get, set.
vm.module @lists {
  vm.func @numbers(%n: i32) -> (i32, i32, i64, f32) {
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    %list = vm.list.alloc %n : (i32) -> !vm.list<i32>
    vm.list.reserve %list, %n : (!vm.list<i32>, i32)
    vm.list.resize %list, %n : (!vm.list<i32>, i32)
    %size = vm.list.size %list : (!vm.list<i32>) -> i32
    %v = vm.const.i32 42
    vm.list.set.i32 %list, %zero, %v : (!vm.list<i32>, i32, i32)
    %got = vm.list.get.i32 %list, %zero : (!vm.list<i32>, i32) -> i32
    %wide = vm.list.alloc %n : (i32) -> !vm.list<i64>
    vm.list.resize %wide, %n : (!vm.list<i64>, i32)
    %big = vm.const.i64 1099511627776
    vm.list.set.i64 %wide, %one, %big : (!vm.list<i64>, i32, i64)
    %got64 = vm.list.get.i64 %wide, %one : (!vm.list<i64>, i32) -> i64
    %floats = vm.list.alloc %n : (i32) -> !vm.list<f32>
    vm.list.resize %floats, %n : (!vm.list<f32>, i32)
    %f = vm.const.f32 0.25
    vm.list.set.f32 %floats, %zero, %f : (!vm.list<f32>, i32, f32)
    %gotf = vm.list.get.f32 %floats, %zero : (!vm.list<f32>, i32) -> f32
    vm.return %size, %got, %got64, %gotf : i32, i32, i64, f32
  }
  vm.export @numbers
  vm.func @refs() -> (i32, i64) {
    %zero = vm.const.i32.zero
    %two = vm.const.i32 2
    %list = vm.list.alloc %two : (i32) -> !vm.list<?>
    vm.list.resize %list, %two : (!vm.list<?>, i32)
    %len = vm.const.i64 24
    %align = vm.const.i32 8
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    vm.list.set.ref %list, %zero, %buf : (!vm.list<?>, i32, !vm.buffer)
    %got = vm.list.get.ref %list, %zero : (!vm.list<?>, i32) -> !vm.buffer
    %nz = vm.cmp.nz.ref %got : !vm.buffer
    %glen = vm.buffer.length %got : !vm.buffer -> i64
    vm.return %nz, %glen : i32, i64
  }
  vm.export @refs
}
