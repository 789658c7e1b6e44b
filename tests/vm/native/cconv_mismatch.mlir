// MODE: vm
// Imports native_test.add with a signature other than its export's (0ii_i): linking must fail.
vm.module @cconv_mismatch {
  vm.import private @native_test.add(%a: i64, %b: i64) -> i64
  vm.export @f
  vm.func @f(%a: i64) -> i64 {
    %r = vm.call @native_test.add(%a, %a) : (i64, i64) -> i64
    vm.return %r : i64
  }
}
