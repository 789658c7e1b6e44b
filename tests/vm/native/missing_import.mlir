// MODE: vm
// Imports a function native_test does not export: linking must fail and name it.
vm.module @missing_import {
  vm.import private @native_test.no_such_function(%a: i32) -> i32
  vm.export @f
  vm.func @f(%a: i32) -> i32 {
    %r = vm.call @native_test.no_such_function(%a) : (i32) -> i32
    vm.return %r : i32
  }
}
