// MODE: vm
// Ref registers: null refs, compare, select, switch, casts through !vm.ref<?>, retain/release
// through block arguments.
vm.module @refs {
  vm.func @choose(%which: i32, %index: i32) -> (i32, i32, i32, i64) {
    %len_a = vm.const.i64 8
    %len_b = vm.const.i64 16
    %align = vm.const.i32 8
    %a = vm.buffer.alloc %len_a, %align : !vm.buffer
    %b = vm.buffer.alloc %len_b, %align : !vm.buffer
    %null = vm.const.ref.zero : !vm.buffer
    %eq = vm.cmp.eq.ref %a, %b : !vm.buffer
    %ne = vm.cmp.ne.ref %a, %null : !vm.buffer
    %nz = vm.cmp.nz.ref %null : !vm.buffer
    %sel = vm.select.ref %which, %a, %b : !vm.buffer
    %sw = vm.switch.ref %index[%a, %b] else %sel : !vm.buffer
    %len = vm.buffer.length %sw : !vm.buffer -> i64
    vm.return %eq, %ne, %nz, %len : i32, i32, i32, i64
  }
  vm.export @choose
  vm.func @erase(%x: !vm.buffer) -> !vm.buffer {
    %any = vm.cast.ref.any %x : !vm.buffer -> !vm.ref<?>
    %back = vm.cast.any.ref %any : !vm.ref<?> -> !vm.buffer
    vm.return %back : !vm.buffer
  }
  vm.export @erase
  vm.func @loop_refs(%n: i32) -> i64 {
    %len = vm.const.i64 4
    %align = vm.const.i32 4
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    %first = vm.buffer.alloc %len, %align : !vm.buffer
    vm.br ^loop(%zero, %first : i32, !vm.buffer)
  ^loop(%i: i32, %cur: !vm.buffer):
    %done = vm.cmp.lt.i32.s %i, %n : i32
    vm.cond_br %done, ^body(%i, %cur : i32, !vm.buffer), ^exit(%cur : !vm.buffer)
  ^body(%j: i32, %c: !vm.buffer):
    %clen = vm.buffer.length %c : !vm.buffer -> i64
    %nlen = vm.add.i64 %clen, %len : i64
    %next = vm.buffer.alloc %nlen, %align : !vm.buffer
    %k = vm.add.i32 %j, %one : i32
    vm.br ^loop(%k, %next : i32, !vm.buffer)
  ^exit(%final: !vm.buffer):
    %flen = vm.buffer.length %final : !vm.buffer -> i64
    vm.return %flen : i64
  }
  vm.export @loop_refs
}
