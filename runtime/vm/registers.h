// Register-bank access shared by the interpreter files: i64/f32/f64 views of the i32 bank,
// ref operands with the MOVE bit, branch remap lists. Internal.
#pragma once

#include <string.h>

#include "runtime/base/byte_reader.h"
#include "runtime/base/utility.h"
#include "runtime/vm/ref.h"

namespace bmrt::vm {

inline constexpr uint16_t kRefBit = 0x8000;
inline constexpr uint16_t kMoveBit = 0x4000;
inline constexpr uint16_t kRefMask = 0x3FFF;

inline int64_t GetI64(const int32_t* regs, uint16_t r) {
  int64_t v;
  memcpy(&v, regs + r, 8);
  return v;
}
inline void SetI64(int32_t* regs, uint16_t r, int64_t v) { memcpy(regs + r, &v, 8); }
inline float GetF32(const int32_t* regs, uint16_t r) {
  float v;
  memcpy(&v, regs + r, 4);
  return v;
}
inline void SetF32(int32_t* regs, uint16_t r, float v) { memcpy(regs + r, &v, 4); }
inline double GetF64(const int32_t* regs, uint16_t r) {
  double v;
  memcpy(&v, regs + r, 8);
  return v;
}
inline void SetF64(int32_t* regs, uint16_t r, double v) { memcpy(regs + r, &v, 8); }

// Copies `src` into `dst`, moving when the operand carries the MOVE bit.
inline void RetainOrMove(Ref* refs, uint16_t src_operand, Ref& dst) {
  Ref& src = refs[src_operand & kRefMask];
  if (src_operand & kMoveBit) {
    if (&src != &dst) dst = Move(src);
  } else {
    dst = src;
  }
}

inline const uint8_t* Align2(const uint8_t* code, const uint8_t* ip) {
  return code + ((ip - code + 1) & ~ptrdiff_t(1));
}

// Ref half of a remap pair; out of line so the value-copy loop stays small.
[[gnu::noinline]] inline void RemapRef(Ref* refs, uint16_t src, uint16_t dst) {
  RetainOrMove(refs, src, refs[dst & kRefMask]);
}

// Applies a branch remap list (u16 count, {src, dst} pairs) in order.
inline void Remap(int32_t* regs, Ref* refs, const uint8_t* list) {
  const uint8_t* pair = list + 2;
  const uint8_t* end = pair + 4 * size_t(LoadLe16(list));
  for (; pair != end; pair += 4) {
    uint16_t src = LoadLe16(pair), dst = LoadLe16(pair + 2);
    if (__builtin_expect(src & kRefBit, 0)) {
      RemapRef(refs, src, dst);
    } else {
      regs[dst] = regs[src];
    }
  }
}

inline const uint8_t* SkipRemap(const uint8_t* list) { return list + 2 + 4 * LoadLe16(list); }

}  // namespace bmrt::vm
