// MODE: std
// f32 arithmetic, IEEE remainder, min/max with NaN, ordered/unordered compares, rounding,
// float<->int casts (round half away from zero), math functions.
// CASE: arith 2.5 1.5
// CASE: arith -7.25 2
// CASE: arith 1e30 -1e-30
// CASE: arith 0 0
// CASE: arith 5 -0
// CASE: compares 1 2
// CASE: compares 2 2
// CASE: compares 0 -0
// CASE: compares nan 1
// CASE: rounding 2.5
// CASE: rounding -2.5
// CASE: rounding 3.5
// CASE: rounding -0.49999997
// CASE: rounding 1e10
// CASE: rounding -3e9
// CASE: math 0.5
// CASE: math 2
// CASE: math -1.25
// CASE: int_to_float 7 -7
// CASE: int_to_float -2147483648 16777217

func.func @arith(%a: f32, %b: f32) -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32) {
  %add = arith.addf %a, %b : f32
  %sub = arith.subf %a, %b : f32
  %mul = arith.mulf %a, %b : f32
  %div = arith.divf %a, %b : f32
  %rem = arith.remf %a, %b : f32
  %min = arith.minimumf %a, %b : f32
  %max = arith.maximumf %a, %b : f32
  %neg = arith.negf %a : f32
  %abs = math.absf %b : f32
  %fma = math.fma %a, %b, %add : f32
  return %add, %sub, %mul, %div, %rem, %min, %max, %neg, %abs, %fma : f32, f32, f32, f32, f32, f32, f32, f32, f32, f32
}

func.func @compares(%a: f32, %b: f32) -> (i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1) {
  %0 = arith.cmpf oeq, %a, %b : f32
  %1 = arith.cmpf ueq, %a, %b : f32
  %2 = arith.cmpf one, %a, %b : f32
  %3 = arith.cmpf une, %a, %b : f32
  %4 = arith.cmpf olt, %a, %b : f32
  %5 = arith.cmpf ult, %a, %b : f32
  %6 = arith.cmpf ole, %a, %b : f32
  %7 = arith.cmpf ule, %a, %b : f32
  %8 = arith.cmpf ogt, %a, %b : f32
  %9 = arith.cmpf ugt, %a, %b : f32
  %10 = arith.cmpf oge, %a, %b : f32
  %11 = arith.cmpf uge, %a, %b : f32
  %12 = arith.cmpf uno, %a, %b : f32
  %13 = arith.cmpf ord, %a, %b : f32
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13 : i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1
}

func.func @rounding(%a: f32) -> (f32, f32, f32, f32, i32, i32, i64, i64) {
  %ceil = math.ceil %a : f32
  %floor = math.floor %a : f32
  %round = math.round %a : f32
  %even = math.roundeven %a : f32
  %si = arith.fptosi %a : f32 to i32
  %ui = arith.fptoui %a : f32 to i32
  %si64 = arith.fptosi %a : f32 to i64
  %ui64 = arith.fptoui %a : f32 to i64
  return %ceil, %floor, %round, %even, %si, %ui, %si64, %ui64 : f32, f32, f32, f32, i32, i32, i64, i64
}

func.func @math(%a: f32) -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32) {
  %abs = math.absf %a : f32
  %0 = math.atan %a : f32
  %1 = math.atan2 %a, %abs : f32
  %2 = math.cos %a : f32
  %3 = math.sin %a : f32
  %4 = math.exp %a : f32
  %5 = math.exp2 %a : f32
  %6 = math.expm1 %a : f32
  %7 = math.log %abs : f32
  %8 = math.log10 %abs : f32
  %9 = math.log1p %abs : f32
  %10 = math.log2 %abs : f32
  %11 = math.powf %abs, %a : f32
  %12 = math.rsqrt %abs : f32
  %13 = math.sqrt %abs : f32
  %14 = math.tanh %a : f32
  %15 = math.erf %a : f32
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15 : f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32
}

func.func @int_to_float(%a: i32, %b: i32) -> (f32, f32, f32, f32, i32, f32) {
  %s = arith.sitofp %a : i32 to f32
  %u = arith.uitofp %a : i32 to f32
  %w = arith.extsi %b : i32 to i64
  %s64 = arith.sitofp %w : i64 to f32
  %u64 = arith.uitofp %w : i64 to f32
  %bits = arith.bitcast %s : f32 to i32
  %back = arith.bitcast %b : i32 to f32
  return %s, %u, %s64, %u64, %bits, %back : f32, f32, f32, f32, i32, f32
}
