// MODE: vm
// Blocks with arguments, loops, conditional branches, br_table, switch, fail.
vm.module @control_flow {
  // sum of 0..n-1 with a loop carrying an i32 and an i64.
  vm.func @loop(%n: i32) -> (i32, i64) {
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    %zero64 = vm.const.i64.zero
    vm.br ^header(%zero, %zero, %zero64 : i32, i32, i64)
  ^header(%i: i32, %acc: i32, %acc64: i64):
    %cond = vm.cmp.lt.i32.s %i, %n : i32
    vm.cond_br %cond, ^body(%i, %acc, %acc64 : i32, i32, i64), ^exit(%acc, %acc64 : i32, i64)
  ^body(%bi: i32, %bacc: i32, %bacc64: i64):
    %next_acc = vm.add.i32 %bacc, %bi : i32
    %wide = vm.ext.i32.i64.s %bi : i32 -> i64
    %next_acc64 = vm.add.i64 %bacc64, %wide : i64
    %next = vm.add.i32 %bi, %one : i32
    vm.br ^header(%next, %next_acc, %next_acc64 : i32, i32, i64)
  ^exit(%result: i32, %result64: i64):
    vm.return %result, %result64 : i32, i64
  }
  vm.export @loop
  vm.func @table(%index: i32, %v: i32) -> i32 {
    vm.br_table %index {
      default: ^default(%v : i32),
      0: ^case0,
      1: ^case1(%v : i32),
      2: ^default(%index : i32)
    }
  ^case0:
    %c10 = vm.const.i32 10
    vm.return %c10 : i32
  ^case1(%x: i32):
    %c20 = vm.const.i32 20
    %y = vm.add.i32 %x, %c20 : i32
    vm.return %y : i32
  ^default(%z: i32):
    %c1 = vm.const.i32 -1
    %w = vm.mul.i32 %z, %c1 : i32
    vm.return %w : i32
  }
  vm.export @table
  vm.func @switch(%index: i32) -> (i32, i64) {
    %a = vm.const.i32 100
    %b = vm.const.i32 200
    %c = vm.const.i32 300
    %d = vm.const.i32 -1
    %r = vm.switch.i32 %index[%a, %b, %c] else %d : i32
    %a64 = vm.const.i64 1000
    %b64 = vm.const.i64 2000
    %d64 = vm.const.i64 -1
    %r64 = vm.switch.i64 %index[%a64, %b64] else %d64 : i64
    vm.return %r, %r64 : i32, i64
  }
  vm.export @switch
  vm.func @check(%v: i32) -> i32 {
    %nz = vm.cmp.nz.i32 %v : i32
    vm.cond_br %nz, ^ok, ^bad
  ^ok:
    vm.return %v : i32
  ^bad:
    %code = vm.const.i32 9
    vm.fail %code, "value must not be zero"
  }
  vm.export @check
}
