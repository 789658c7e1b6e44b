#include "runtime/vmfb/flatbuffer.h"

#include <gtest/gtest.h>

#include "runtime/base/byte_reader.h"
#include "runtime/vmfb/test_module_writer.h"

namespace bmrt::vmfb {
namespace {

using namespace testing;  // NOLINT: the writer's small vocabulary

std::vector<uint8_t> Sample() {
  return FbWriter().Finish(Table({
      U32(0, 0x12345678),
      Child(1, String("hello")),
      U8(2, 7),
      Child(3, Bytes({1, 2, 3, 4, 5, 6, 7, 8}, 4)),
      Child(4, Offsets({Table({U16(0, 99)}), String("x")})),
      U64(6, 0x1122334455667788ull),
      Child(7, Table({U32(1, 5)})),
  }));
}

TEST(FlatBuffer, ReadsFieldsAndDefaults) {
  std::vector<uint8_t> bytes = Sample();
  ByteSpan buffer(bytes.data(), bytes.size());
  FbTable root;
  ASSERT_TRUE(FbTable::Root(buffer, &root));
  uint32_t u32 = 0;
  uint8_t u8 = 0;
  uint64_t u64 = 0;
  EXPECT_TRUE(root.U32(0, 0, &u32));
  EXPECT_EQ(u32, 0x12345678u);
  EXPECT_TRUE(root.U8(2, 0, &u8));
  EXPECT_EQ(u8, 7);
  EXPECT_TRUE(root.U64(6, 0, &u64));
  EXPECT_EQ(u64, 0x1122334455667788ull);
  // Absent fields (id 5, and ids past the vtable) give their defaults.
  EXPECT_TRUE(root.U32(5, 42, &u32));
  EXPECT_EQ(u32, 42u);
  EXPECT_TRUE(root.U32(50, 43, &u32));
  EXPECT_EQ(u32, 43u);
  EXPECT_FALSE(root.Has(5));
  StringView text;
  bool present = false;
  EXPECT_TRUE(root.String(1, &text, &present));
  EXPECT_TRUE(present);
  EXPECT_TRUE(text == StringView("hello"));
  EXPECT_TRUE(root.String(5, &text, &present));
  EXPECT_FALSE(present);
  EXPECT_TRUE(text.empty());
  FbVector words;
  ASSERT_TRUE(root.Vector(3, 4, &words));
  EXPECT_EQ(words.size(), 2u);
  EXPECT_EQ(LoadLe32(words.bytes().data() + 4), 0x08070605u);
  FbVector mixed;
  ASSERT_TRUE(root.Vector(4, 4, &mixed));
  FbTable element;
  uint16_t u16 = 0;
  ASSERT_TRUE(mixed.TableAt(0, &element));
  EXPECT_TRUE(element.U16(0, 0, &u16));
  EXPECT_EQ(u16, 99);
  EXPECT_TRUE(mixed.StringAt(1, &text));
  EXPECT_TRUE(text == StringView("x"));
  EXPECT_FALSE(mixed.TableAt(2, &element));
  FbTable child;
  ASSERT_TRUE(root.Table(7, &child));
  EXPECT_TRUE(child.U32(1, 0, &u32));
  EXPECT_EQ(u32, 5u);
}

TEST(FlatBuffer, RejectsOffsetsOutsideTheBuffer) {
  std::vector<uint8_t> bytes = Sample();
  ByteSpan buffer(bytes.data(), bytes.size());
  FbTable root;
  ASSERT_TRUE(FbTable::Root(buffer, &root));
  // Root offset past the end.
  std::vector<uint8_t> bad = bytes;
  StoreLe32(bad.data(), uint32_t(bad.size()));
  EXPECT_FALSE(FbTable::Root(ByteSpan(bad.data(), bad.size()), &root));
  // vtable soffset pointing before the buffer.
  bad = bytes;
  uint32_t table = LoadLe32(bad.data());
  StoreLe32(&bad[table], 0x7FFFFFFF);
  EXPECT_FALSE(FbTable::Root(ByteSpan(bad.data(), bad.size()), &root));
  // A string whose length runs past the end.
  ASSERT_TRUE(FbTable::Root(buffer, &root));
  uint32_t string_field = root.Position(1);
  uint32_t string_at = 0;
  ASSERT_TRUE(FbFollowOffset(buffer, string_field, &string_at));
  bad = bytes;
  StoreLe32(&bad[string_at], 0xFFFFFFF0u);
  FbTable bad_root;
  ASSERT_TRUE(FbTable::Root(ByteSpan(bad.data(), bad.size()), &bad_root));
  StringView text;
  EXPECT_FALSE(bad_root.String(1, &text));
  // A string without its NUL terminator.
  bad = bytes;
  bad[string_at + 4 + 5] = 'X';
  ASSERT_TRUE(FbTable::Root(ByteSpan(bad.data(), bad.size()), &bad_root));
  EXPECT_FALSE(bad_root.String(1, &text));
  // A vector count whose elements would not fit.
  uint32_t vector_at = 0;
  ASSERT_TRUE(FbFollowOffset(buffer, root.Position(3), &vector_at));
  bad = bytes;
  StoreLe32(&bad[vector_at], 0x40000001u);
  ASSERT_TRUE(FbTable::Root(ByteSpan(bad.data(), bad.size()), &bad_root));
  FbVector vector;
  EXPECT_FALSE(bad_root.Vector(3, 4, &vector));
}

TEST(FlatBuffer, FieldsMustFitTheTable) {
  std::vector<uint8_t> bytes = Sample();
  ByteSpan buffer(bytes.data(), bytes.size());
  FbTable root;
  ASSERT_TRUE(FbTable::Root(buffer, &root));
  // Shrink the table's inline size so that field 6 (a u64) no longer fits.
  uint32_t table = LoadLe32(bytes.data());
  uint32_t vtable = table - LoadLe32(&bytes[table]);
  std::vector<uint8_t> bad = bytes;
  uint16_t field6 = LoadLe16(&bad[vtable + 4 + 2 * 6]);
  StoreLe16(&bad[vtable + 2], uint16_t(field6 + 4));
  FbTable shrunk;
  ASSERT_TRUE(FbTable::Root(ByteSpan(bad.data(), bad.size()), &shrunk));
  uint64_t u64 = 0;
  EXPECT_FALSE(shrunk.U64(6, 0, &u64));
  // An odd vtable size is malformed.
  bad = bytes;
  StoreLe16(&bad[vtable], 5);
  EXPECT_FALSE(FbTable::Root(ByteSpan(bad.data(), bad.size()), &shrunk));
}

TEST(FlatBuffer, EveryTruncationIsSafe) {
  std::vector<uint8_t> bytes = Sample();
  for (size_t length = 0; length <= bytes.size(); ++length) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + length);
    FbTable root;
    if (!FbTable::Root(ByteSpan(cut.data(), cut.size()), &root)) continue;
    StringView text;
    FbVector vector;
    FbTable element;
    uint64_t u64;
    (void)root.String(1, &text);
    (void)root.Vector(4, 4, &vector);
    for (uint32_t i = 0; i < vector.size(); ++i) (void)vector.TableAt(i, &element);
    (void)root.U64(6, 0, &u64);
  }
}

}  // namespace
}  // namespace bmrt::vmfb
