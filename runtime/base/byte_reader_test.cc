#include "runtime/base/byte_reader.h"

#include <gtest/gtest.h>

#include "runtime/base/format.h"
#include "runtime/base/result.h"

namespace bmrt {
namespace {

TEST(ByteReaderTest, ReadsLittleEndianAndFailsPastTheEnd) {
  const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
  ByteReader reader{ByteSpan(bytes)};
  EXPECT_EQ(reader.ReadU16(), 0x0201);
  EXPECT_EQ(reader.ReadU32(), 0x06050403u);
  EXPECT_TRUE(reader.ok());
  EXPECT_EQ(reader.ReadU16(), 0);
  EXPECT_FALSE(reader.ok());
  EXPECT_EQ(reader.ReadU8(), 0);  // stays failed
  EXPECT_EQ(reader.status().code(), StatusCode::kDataLoss);
}

TEST(ByteWriterTest, WritesFixedStringsAndRefusesOverflow) {
  uint8_t buffer[8];
  ByteWriter writer{MutableByteSpan(buffer)};
  writer.WriteU16(0xBEEF);
  writer.WriteFixedString("abc", 3, 5);
  EXPECT_TRUE(writer.ok());
  EXPECT_EQ(buffer[0], 0xEF);
  EXPECT_EQ(buffer[2], 'a');
  EXPECT_EQ(buffer[6], 0);
  writer.WriteU16(1);
  EXPECT_FALSE(writer.ok());
  EXPECT_EQ(writer.size(), 7u);
}

TEST(FormatTest, FormatsAndTruncates) {
  char text[64];
  Format(text, sizeof(text), "op %s at pc 0x%x: %d/%llu", "add", 0x2au, -5, 18446744073709551615ull);
  EXPECT_STREQ(text, "op add at pc 0x2a: -5/18446744073709551615");
  char tiny[4];
  EXPECT_EQ(Format(tiny, sizeof(tiny), "%s", "abcdef"), 6u);
  EXPECT_STREQ(tiny, "abc");
}

Result<int> Half(int v) {
  if (v % 2) return InvalidArgument("odd");
  return v / 2;
}

Status UseHalf(int v, int* out) {
  BMRT_ASSIGN_OR_RETURN(*out, Half(v));
  return OkStatus();
}

TEST(ResultTest, CarriesValueOrStatus) {
  int out = 0;
  EXPECT_TRUE(UseHalf(8, &out).ok());
  EXPECT_EQ(out, 4);
  Status s = UseHalf(3, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_STREQ(s.message(), "odd");
}

}  // namespace
}  // namespace bmrt
