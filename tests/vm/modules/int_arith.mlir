// MODE: std
// Integer arithmetic, bitwise ops, shifts (amount masking), extensions and truncations,
// comparisons and min/max/abs/ctlz for i32 and i64.
// CASE: i32_ops 7 3
// CASE: i32_ops -7 3
// CASE: i32_ops 12345 0
// CASE: i32_ops 0 33
// CASE: i32_ops -1 -1
// CASE: i32_ops -2147483648 7
// CASE: i64_ops 7 3
// CASE: i64_ops 81985529216486895 65
// CASE: i64_ops -5 0
// CASE: i64_ops -9223372036854775808 3
// CASE: casts 300 -129
// CASE: casts -1 65535
// CASE: cmp_i32 5 -5
// CASE: cmp_i32 -5 5
// CASE: cmp_i32 3 3
// CASE: cmp_i64 5 -5
// CASE: cmp_i64 -5 -5
// CASE: bits 0 1
// CASE: bits 255 -2147483648
// CASE: bits64 0 1
// CASE: bits64 4294967296 -1

func.func @i32_ops(%a: i32, %b: i32) -> (i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32) {
  %add = arith.addi %a, %b : i32
  %sub = arith.subi %a, %b : i32
  %mul = arith.muli %a, %b : i32
  %one = arith.constant 1 : i32
  %bnz = arith.maxui %b, %one : i32
  %div = arith.divsi %a, %bnz : i32
  %divu = arith.divui %a, %bnz : i32
  %rem = arith.remsi %a, %bnz : i32
  %remu = arith.remui %a, %bnz : i32
  %and = arith.andi %a, %b : i32
  %or = arith.ori %a, %b : i32
  %xor = arith.xori %a, %b : i32
  %c31 = arith.constant 31 : i32
  %amt = arith.andi %b, %c31 : i32
  %shl = arith.shli %a, %amt : i32
  %shr = arith.shrsi %a, %amt : i32
  %shru = arith.shrui %a, %amt : i32
  return %add, %sub, %mul, %div, %divu, %rem, %remu, %and, %or, %xor, %shl, %shr, %shru : i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32
}

func.func @i64_ops(%a: i64, %b: i64) -> (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) {
  %add = arith.addi %a, %b : i64
  %sub = arith.subi %a, %b : i64
  %mul = arith.muli %a, %b : i64
  %one = arith.constant 1 : i64
  %bnz = arith.maxui %b, %one : i64
  %div = arith.divsi %a, %bnz : i64
  %divu = arith.divui %a, %bnz : i64
  %rem = arith.remsi %a, %bnz : i64
  %remu = arith.remui %a, %bnz : i64
  %and = arith.andi %a, %b : i64
  %or = arith.ori %a, %b : i64
  %xor = arith.xori %a, %b : i64
  %c63 = arith.constant 63 : i64
  %amt = arith.andi %b, %c63 : i64
  %shl = arith.shli %a, %amt : i64
  %shr = arith.shrsi %a, %amt : i64
  %shru = arith.shrui %a, %amt : i64
  return %add, %sub, %mul, %div, %divu, %rem, %remu, %and, %or, %xor, %shl, %shr, %shru : i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64
}

func.func @casts(%a: i32, %b: i32) -> (i32, i32, i32, i32, i64, i64, i32) {
  %t8 = arith.trunci %a : i32 to i8
  %s8 = arith.extsi %t8 : i8 to i32
  %u8 = arith.extui %t8 : i8 to i32
  %t16 = arith.trunci %b : i32 to i16
  %s16 = arith.extsi %t16 : i16 to i32
  %u16 = arith.extui %t16 : i16 to i32
  %e = arith.extsi %a : i32 to i64
  %eu = arith.extui %b : i32 to i64
  %m = arith.muli %e, %eu : i64
  %back = arith.trunci %m : i64 to i32
  return %s8, %u8, %s16, %u16, %e, %eu, %back : i32, i32, i32, i32, i64, i64, i32
}

func.func @cmp_i32(%a: i32, %b: i32) -> (i1, i1, i1, i1, i1, i1, i32, i32, i32, i32, i32) {
  %eq = arith.cmpi eq, %a, %b : i32
  %ne = arith.cmpi ne, %a, %b : i32
  %lt = arith.cmpi slt, %a, %b : i32
  %ult = arith.cmpi ult, %a, %b : i32
  %ge = arith.cmpi sge, %a, %b : i32
  %ugt = arith.cmpi ugt, %a, %b : i32
  %min = arith.minsi %a, %b : i32
  %max = arith.maxsi %a, %b : i32
  %minu = arith.minui %a, %b : i32
  %maxu = arith.maxui %a, %b : i32
  %sel = arith.select %lt, %a, %b : i32
  return %eq, %ne, %lt, %ult, %ge, %ugt, %min, %max, %minu, %maxu, %sel : i1, i1, i1, i1, i1, i1, i32, i32, i32, i32, i32
}

func.func @cmp_i64(%a: i64, %b: i64) -> (i1, i1, i1, i1, i64, i64, i64, i64, i64) {
  %eq = arith.cmpi eq, %a, %b : i64
  %ne = arith.cmpi ne, %a, %b : i64
  %lt = arith.cmpi slt, %a, %b : i64
  %ult = arith.cmpi ult, %a, %b : i64
  %min = arith.minsi %a, %b : i64
  %max = arith.maxsi %a, %b : i64
  %minu = arith.minui %a, %b : i64
  %maxu = arith.maxui %a, %b : i64
  %sel = arith.select %ult, %a, %b : i64
  return %eq, %ne, %lt, %ult, %min, %max, %minu, %maxu, %sel : i1, i1, i1, i1, i64, i64, i64, i64, i64
}

func.func @bits(%a: i32, %b: i32) -> (i32, i32, i32) {
  %clz = math.ctlz %a : i32
  %abs = math.absi %b : i32
  %clzb = math.ctlz %b : i32
  return %clz, %abs, %clzb : i32, i32, i32
}

func.func @bits64(%a: i64, %b: i64) -> (i64, i64) {
  %clz = math.ctlz %a : i64
  %abs = math.absi %b : i64
  return %clz, %abs : i64, i64
}
