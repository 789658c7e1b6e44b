#include "runtime/base/arena.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

namespace bmrt {
namespace {

alignas(64) uint8_t g_region[1 << 16];

TEST(ArenaTest, AllocatesAlignedAndTracksPeak) {
  Arena arena(MutableByteSpan(g_region, sizeof(g_region)));
  void* a = arena.Allocate(100);
  void* b = arena.Allocate(10, 4096);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 16, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 4096, 0u);
  EXPECT_EQ(arena.AllocationSize(a), 100u);
  size_t peak = arena.stats().peak_bytes_in_use;
  arena.Free(a);
  arena.Free(b);
  EXPECT_EQ(arena.stats().bytes_in_use, 0u);
  EXPECT_EQ(arena.stats().peak_bytes_in_use, peak);
  EXPECT_EQ(arena.stats().live_allocations, 0u);
}

TEST(ArenaTest, CoalescesSoTheWholeRegionIsUsableAgain) {
  Arena arena(MutableByteSpan(g_region, sizeof(g_region)));
  size_t largest = arena.LargestFreeRequest();
  std::vector<void*> blocks;
  while (void* p = arena.Allocate(1000)) blocks.push_back(p);
  EXPECT_GT(blocks.size(), 50u);
  EXPECT_EQ(arena.Allocate(1000), nullptr);
  EXPECT_EQ(arena.stats().failed_allocations, 2u);  // the loop's last try and this one
  std::mt19937 rng(7);
  std::shuffle(blocks.begin(), blocks.end(), rng);
  for (void* p : blocks) arena.Free(p);
  EXPECT_EQ(arena.LargestFreeRequest(), largest);
  EXPECT_NE(arena.Allocate(largest), nullptr);
}

TEST(ArenaTest, RejectsForeignAndDoubleFrees) {
  Arena arena(MutableByteSpan(g_region, sizeof(g_region)));
  int local = 0;
  arena.Free(&local);
  void* a = arena.Allocate(64);
  arena.Free(a);
  size_t in_use = arena.stats().bytes_in_use;
  arena.Free(a);
  EXPECT_EQ(arena.stats().bytes_in_use, in_use);
  EXPECT_EQ(arena.Allocate(sizeof(g_region) * 2), nullptr);
  EXPECT_EQ(arena.Allocate(SIZE_MAX - 8), nullptr);
  EXPECT_EQ(arena.Allocate(8, 3), nullptr);
}

TEST(ArenaTest, ShrinkReturnsTheTail) {
  Arena arena(MutableByteSpan(g_region, sizeof(g_region)));
  size_t largest = arena.LargestFreeRequest();
  auto* big = static_cast<uint8_t*>(arena.Allocate(largest));
  ASSERT_NE(big, nullptr);
  std::memset(big, 0xAB, 300);
  arena.Shrink(big, 300);
  EXPECT_EQ(arena.AllocationSize(big), 300u);
  void* other = arena.Allocate(4096);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(big[299], 0xAB);
  arena.Free(other);
  arena.Free(big);
  EXPECT_EQ(arena.LargestFreeRequest(), largest);
}

}  // namespace
}  // namespace bmrt

namespace bmrt {
namespace {

TEST(ArenaTest, ReservationCountsOnlyWhatShrinkKeeps) {
  Arena arena(MutableByteSpan(g_region, sizeof(g_region)));
  void* before = arena.Allocate(1000);
  size_t peak_before = arena.stats().peak_bytes_in_use;
  size_t size = 0;
  auto* reserved = static_cast<uint8_t*>(arena.ReserveLargest(64, &size));
  ASSERT_NE(reserved, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(reserved) % 64, 0u);
  EXPECT_GT(size, sizeof(g_region) / 2);
  EXPECT_EQ(arena.stats().peak_bytes_in_use, peak_before);
  size_t dummy = 0;
  EXPECT_EQ(arena.ReserveLargest(64, &dummy), nullptr);  // one at a time
  arena.Shrink(reserved, 5000);
  EXPECT_EQ(arena.AllocationSize(reserved), 5000u);
  EXPECT_EQ(arena.stats().peak_bytes_in_use, arena.stats().bytes_in_use);
  EXPECT_LT(arena.stats().peak_bytes_in_use, peak_before + 5200);
  EXPECT_EQ(arena.stats().bytes_allocated, 6000u);
  arena.Free(reserved);
  arena.Free(before);
  EXPECT_EQ(arena.stats().bytes_in_use, 0u);

  // A reservation given up without Shrink leaves the statistics as they were.
  size_t peak = arena.stats().peak_bytes_in_use;
  void* again = arena.ReserveLargest(16, &size);
  ASSERT_NE(again, nullptr);
  arena.Free(again);
  EXPECT_EQ(arena.stats().peak_bytes_in_use, peak);
  EXPECT_EQ(arena.stats().bytes_allocated, 6000u);
  EXPECT_EQ(arena.stats().bytes_freed, 6000u);
}

}  // namespace
}  // namespace bmrt
