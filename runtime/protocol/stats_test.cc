#include "runtime/protocol/stats.h"

#include <gtest/gtest.h>

#include "runtime/protocol/test_util.h"

namespace bmrt::protocol {
namespace {

TEST(StatsTest, RecordLayoutIs32sQQ) {
  uint8_t buffer[100];
  StatRecordWriter writer(buffer);
  writer.Add("arena_peak_bytes", 0x0102030405060708ull, StatType::kAllocation);
  writer.Add("a_name_that_is_much_longer_than_thirty_two", 7);
  writer.Add("dropped", 1);
  ASSERT_EQ(writer.written().size(), 96u);
  EXPECT_EQ(writer.dropped(), 1u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer)), "arena_peak_bytes");
  EXPECT_EQ(buffer[16], 0);
  EXPECT_EQ(buffer[32], 1);  // type, u64 LE
  EXPECT_EQ(buffer[40], 0x08);
  EXPECT_EQ(buffer[47], 0x01);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer + 48)).size(), 31u);
  EXPECT_EQ(buffer[48 + 31], 0);
  EXPECT_EQ(buffer[48 + 40], 7);
}

TEST(StatsTest, G1FormIsSixSaturatedU32) {
  G1Stats stats;
  stats.host_bytes_peak = 0x11223344;
  stats.device_bytes_freed = 0x1'0000'0000ull;
  uint8_t out[24];
  ASSERT_TRUE(EncodeG1Stats(stats, out).ok());
  EXPECT_EQ(testing::Bytes(out, out + 4), testing::Hex("44 33 22 11"));
  EXPECT_EQ(testing::Bytes(out + 20, out + 24), testing::Hex("FF FF FF FF"));
  uint8_t small[20];
  EXPECT_FALSE(EncodeG1Stats(stats, small).ok());
}

}  // namespace
}  // namespace bmrt::protocol
