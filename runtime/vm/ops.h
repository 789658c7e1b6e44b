// Scalar semantics of VM ops where the plain C++ operator is not what IREE computes (or is
// undefined): shifts mask their amount, division never traps (RISC-V results for x/0 and
// MIN/-1), float->int casts round half away from zero, rem.f is the IEEE remainder, min/max
// pick by a single `<`, unordered compares are true on NaN, trunc zero-extends.
#pragma once

#include <math.h>

#include "runtime/base/types.h"

namespace bmrt::vm::ops {

inline int32_t Shl32(int32_t v, int32_t n) { return int32_t(uint32_t(v) << (n & 31)); }
inline int32_t ShrS32(int32_t v, int32_t n) { return v >> (n & 31); }
inline int32_t ShrU32(int32_t v, int32_t n) { return int32_t(uint32_t(v) >> (n & 31)); }
inline int64_t Shl64(int64_t v, int32_t n) { return int64_t(uint64_t(v) << (n & 63)); }
inline int64_t ShrS64(int64_t v, int32_t n) { return v >> (n & 63); }
inline int64_t ShrU64(int64_t v, int32_t n) { return int64_t(uint64_t(v) >> (n & 63)); }

template <typename S, typename U>
inline S DivS(S a, S b) {
  if (b == 0) return S(-1);
  if (b == S(-1)) return S(U(0) - U(a));  // MIN / -1 wraps to MIN
  return a / b;
}
template <typename S, typename U>
inline S RemS(S a, S b) {
  if (b == 0) return a;
  if (b == S(-1)) return 0;
  return a % b;
}
template <typename U>
inline U DivU(U a, U b) { return b == 0 ? U(~U(0)) : a / b; }
template <typename U>
inline U RemU(U a, U b) { return b == 0 ? a : a % b; }

inline int32_t Add32(int32_t a, int32_t b) { return int32_t(uint32_t(a) + uint32_t(b)); }
inline int32_t Sub32(int32_t a, int32_t b) { return int32_t(uint32_t(a) - uint32_t(b)); }
inline int32_t Mul32(int32_t a, int32_t b) { return int32_t(uint32_t(a) * uint32_t(b)); }
inline int64_t Add64(int64_t a, int64_t b) { return int64_t(uint64_t(a) + uint64_t(b)); }
inline int64_t Sub64(int64_t a, int64_t b) { return int64_t(uint64_t(a) - uint64_t(b)); }
inline int64_t Mul64(int64_t a, int64_t b) { return int64_t(uint64_t(a) * uint64_t(b)); }
inline int32_t Abs32(int32_t v) { return v < 0 ? int32_t(0u - uint32_t(v)) : v; }
inline int64_t Abs64(int64_t v) { return v < 0 ? int64_t(0ull - uint64_t(v)) : v; }
inline int32_t Ctlz32(int32_t v) { return v == 0 ? 32 : __builtin_clz(uint32_t(v)); }
inline int64_t Ctlz64(int64_t v) { return v == 0 ? 64 : __builtin_clzll(uint64_t(v)); }

// Float -> integer: round half away from zero, then wrap to the target width.
inline int64_t RoundToI64(double v) {
  if (!(v == v)) return 0;
  double r = round(v);
  if (r >= 9223372036854775808.0) return INT64_MIN;
  if (r < -9223372036854775808.0) return INT64_MIN;
  return int64_t(r);
}
inline int32_t CastF32SI32(float v) { return int32_t(RoundToI64(v)); }
inline int32_t CastF32UI32(float v) { return int32_t(uint32_t(RoundToI64(v))); }
inline int64_t CastF32SI64(float v) { return RoundToI64(v); }
inline int64_t CastF32UI64(float v) { return RoundToI64(v); }
inline int32_t CastF64SI32(double v) { return int32_t(RoundToI64(v)); }
inline int32_t CastF64UI32(double v) { return int32_t(uint32_t(RoundToI64(v))); }
inline int64_t CastF64SI64(double v) { return RoundToI64(v); }
inline int64_t CastF64UI64(double v) { return RoundToI64(v); }

template <typename F> inline F Min(F a, F b) { return b < a ? b : a; }
template <typename F> inline F Max(F a, F b) { return a < b ? b : a; }

template <typename F> inline bool Unordered(F a, F b) { return a != a || b != b; }
template <typename F> inline int32_t CmpEqO(F a, F b) { return a == b; }
template <typename F> inline int32_t CmpEqU(F a, F b) { return Unordered(a, b) || a == b; }
// IREE's ordered not-equal is a plain `!=`, so it is true when an operand is NaN.
template <typename F> inline int32_t CmpNeO(F a, F b) { return a != b; }
template <typename F> inline int32_t CmpNeU(F a, F b) { return a != b; }
template <typename F> inline int32_t CmpLtO(F a, F b) { return !Unordered(a, b) && a < b; }
template <typename F> inline int32_t CmpLtU(F a, F b) { return Unordered(a, b) || a < b; }
template <typename F> inline int32_t CmpLteO(F a, F b) { return !Unordered(a, b) && a <= b; }
template <typename F> inline int32_t CmpLteU(F a, F b) { return Unordered(a, b) || a <= b; }

}  // namespace bmrt::vm::ops
