#include "runtime/vm/ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "runtime/vm/interpreter.h"

namespace bmrt::vm::ops {
namespace {

TEST(Ops, ShiftAmountsAreMasked) {
  EXPECT_EQ(Shl32(1, 33), 2);
  EXPECT_EQ(ShrS32(-8, 34), -2);
  EXPECT_EQ(ShrU32(-1, 60), 0xF);
  EXPECT_EQ(Shl64(1, 65), 2);
  EXPECT_EQ(ShrU64(-1, 124), 0xF);
}

TEST(Ops, DivisionNeverTraps) {
  // RISC-V results: x/0 = -1 (all ones), x%0 = x, MIN/-1 = MIN, MIN%-1 = 0.
  EXPECT_EQ((DivS<int32_t, uint32_t>(7, 0)), -1);
  EXPECT_EQ((RemS<int32_t, uint32_t>(7, 0)), 7);
  EXPECT_EQ((DivS<int32_t, uint32_t>(INT32_MIN, -1)), INT32_MIN);
  EXPECT_EQ((RemS<int32_t, uint32_t>(INT32_MIN, -1)), 0);
  EXPECT_EQ(DivU<uint32_t>(7, 0), 0xFFFFFFFFu);
  EXPECT_EQ(RemU<uint64_t>(7, 0), 7u);
  EXPECT_EQ((DivS<int32_t, uint32_t>(-7, 2)), -3);
  EXPECT_EQ((RemS<int32_t, uint32_t>(-7, 2)), -1);
}

TEST(Ops, FloatToIntRoundsHalfAwayFromZero) {
  // The reference is C's llround, which IREE uses.
  for (float v : {2.5f, -2.5f, 0.49999997f, -0.5f, 1e9f, -3.7f}) {
    EXPECT_EQ(CastF32SI64(v), std::llround(v)) << v;
    EXPECT_EQ(CastF32SI32(v), int32_t(std::llround(v))) << v;
  }
  EXPECT_EQ(CastF32SI32(std::numeric_limits<float>::quiet_NaN()), 0);
}

TEST(Ops, MinMaxAndComparesFollowIree) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(Min(nan, 1.0f)));  // rhs < lhs is false: lhs wins
  EXPECT_EQ(Min(1.0f, nan), 1.0f);
  EXPECT_TRUE(std::isnan(Max(nan, 1.0f)));
  EXPECT_EQ(Max(1.0f, nan), 1.0f);
  EXPECT_EQ(CmpEqO(nan, nan), 0);
  EXPECT_EQ(CmpEqU(nan, 1.0f), 1);
  EXPECT_EQ(CmpNeO(nan, 1.0f), 1);  // a plain != in IREE
  EXPECT_EQ(CmpLtO(nan, 1.0f), 0);
  EXPECT_EQ(CmpLtU(nan, 1.0f), 1);
  EXPECT_EQ(CmpLteO(1.0f, 1.0f), 1);
  EXPECT_EQ(CmpLteU(2.0f, 1.0f), 0);
}

TEST(Ops, BufferHashIsSipHash24WithTheSequentialKey) {
  // Reference vectors of the SipHash paper (key 00..0f, messages 00 01 02 ...).
  uint8_t message[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  EXPECT_EQ(BufferHash(message, 0), 0x726fdb47dd0e0e31ull);
  EXPECT_EQ(BufferHash(message, 1), 0x74f839c593dc67fdull);
  EXPECT_EQ(BufferHash(message, 8), 0x93f5f5799a932462ull);
}

}  // namespace
}  // namespace bmrt::vm::ops
