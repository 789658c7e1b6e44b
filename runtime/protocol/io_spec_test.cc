#include "runtime/protocol/io_spec.h"

#include <gtest/gtest.h>

#include <cstring>

#include "runtime/protocol/test_util.h"

namespace bmrt::protocol {
namespace {

using testing::Bytes;
using testing::HexDump;

// kenning-protocol.md 3.1: the magic-wand 160-byte struct.
const char kMagicWandG1Dump[] = R"(
0000: 01 00 00 00 04 00 00 00 00 00 00 00 01 00 00 00
0010: 80 00 00 00 03 00 00 00 01 00 00 00 00 00 00 00
0020: 00 00 00 00 00 00 00 00 00 00 00 00 80 01 00 00
0030: 00 00 00 00 04 00 00 00 00 00 00 00 01 00 00 00
0040: 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0050: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0060: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0070: 04 00 00 00 66 33 32 00 6d 6f 64 75 6c 65 2e 6d
0080: 61 69 6e 00 00 00 00 00 00 00 00 00 6d 6f 64 75
0090: 6c 65 00 00 00 00 00 00 00 00 00 00 00 00 00 00
)";

// kenning-protocol.md 3.2: the magic-wand 356-byte struct.
const char kMagicWandG2Dump[] = R"(
0000: 01 00 00 00 04 00 00 00 00 00 00 00 01 00 00 00
0010: 80 00 00 00 03 00 00 00 01 00 00 00 00 00 00 00
0020: 00 00 00 00 00 00 00 00 00 00 00 00 02 20 00 00
0030: 01 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00
0040: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0050: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0060: 00 00 00 00 01 00 00 00 04 00 00 00 00 00 00 00
0070 … 0110: all 00
0120: 00 00 00 00 02 20 00 00 00 00 00 00 00 00 00 00
0130: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0140: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0150: 6d 6f 64 75 6c 65 00 00 00 00 00 00 00 00 00 00
0160: 00 00 00 00
)";

// The magic-wand spec as magic_wand.tflite.json describes it (processed_input [1,128,3,1]
// float32, output [1,4] float32), with the names each Kenning generation sends.
ModelSpec MagicWand(const char* entry) {
  ModelSpec spec;
  spec.num_inputs = 1;
  spec.inputs[0] = TensorSpec{4, {1, 128, 3, 1}, {ElementCode::kFloat, 32}};
  spec.num_outputs = 1;
  spec.outputs[0] = TensorSpec{2, {1, 4}, {ElementCode::kFloat, 32}};
  strcpy(spec.entry_function, entry);
  strcpy(spec.model_name, "module");
  return spec;
}

Bytes EncodeG1(const ModelSpec& spec) {
  Bytes out(kIoSpecG1Size);
  EXPECT_TRUE(EncodeIoSpecG1(spec, MutableByteSpan(out.data(), out.size())).ok());
  return out;
}
Bytes EncodeG2(const ModelSpec& spec) {
  Bytes out(kIoSpecG2Size);
  EXPECT_TRUE(EncodeIoSpecG2(spec, MutableByteSpan(out.data(), out.size())).ok());
  return out;
}
Status DecodeG1(const Bytes& bytes, ModelSpec* spec) {
  return DecodeIoSpecG1(ByteSpan(bytes.data(), bytes.size()), spec);
}
Status DecodeG2(const Bytes& bytes, ModelSpec* spec) {
  return DecodeIoSpecG2(ByteSpan(bytes.data(), bytes.size()), spec);
}

TEST(IoSpecTest, MagicWandG2MatchesReferenceDump) {
  EXPECT_EQ(EncodeG2(MagicWand("")), HexDump(kMagicWandG2Dump, kIoSpecG2Size));
}

TEST(IoSpecTest, MagicWandG1MatchesReferenceDump) {
  // G1 has no output shape: the output is sent as a length of 4 elements.
  EXPECT_EQ(EncodeG1(MagicWand("module.main")), HexDump(kMagicWandG1Dump, kIoSpecG1Size));
}

TEST(IoSpecTest, DecodesReferenceDumps) {
  ModelSpec g2;
  ASSERT_TRUE(DecodeG2(HexDump(kMagicWandG2Dump, kIoSpecG2Size), &g2).ok());
  EXPECT_EQ(EncodeG2(g2), HexDump(kMagicWandG2Dump, kIoSpecG2Size));
  EXPECT_EQ(g2.inputs[0].rank, 4u);
  EXPECT_EQ(g2.outputs[0].dims[1], 4u);
  EXPECT_STREQ(g2.entry_function, "");
  EXPECT_STREQ(g2.model_name, "module");

  ModelSpec g1;
  ASSERT_TRUE(DecodeG1(HexDump(kMagicWandG1Dump, kIoSpecG1Size), &g1).ok());
  EXPECT_EQ(TotalInputBytes(g1), 1536u);
  EXPECT_EQ(TotalOutputBytes(g1), 16u);
  EXPECT_STREQ(g1.entry_function, "module.main");
  EXPECT_EQ(EncodeG1(g1), HexDump(kMagicWandG1Dump, kIoSpecG1Size));
}

TEST(IoSpecTest, RejectsWrongSizes) {
  ModelSpec spec;
  Bytes g1 = HexDump(kMagicWandG1Dump, kIoSpecG1Size);
  g1.pop_back();
  EXPECT_FALSE(DecodeG1(g1, &spec).ok());
  Bytes g2 = HexDump(kMagicWandG2Dump, kIoSpecG2Size);
  g2.push_back(0);
  EXPECT_FALSE(DecodeG2(g2, &spec).ok());
}

struct Corruption {
  const char* name;
  size_t offset;
  std::vector<uint8_t> bytes;
};

class G1CorruptionTest : public ::testing::TestWithParam<Corruption> {};

TEST_P(G1CorruptionTest, IsRejectedAndLeavesSpecUntouched) {
  Bytes bytes = HexDump(kMagicWandG1Dump, kIoSpecG1Size);
  const Corruption& c = GetParam();
  std::copy(c.bytes.begin(), c.bytes.end(), bytes.begin() + c.offset);
  ModelSpec spec = MagicWand("keep");
  EXPECT_FALSE(DecodeG1(bytes, &spec).ok()) << c.name;
  EXPECT_STREQ(spec.entry_function, "keep");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, G1CorruptionTest,
    ::testing::Values(Corruption{"zero inputs", 0, {0}}, Corruption{"three inputs", 0, {3}},
                      Corruption{"rank 5", 4, {5}}, Corruption{"zero outputs", 60, {0}},
                      Corruption{"13 outputs", 60, {13}}, Corruption{"dtype f15", 116, {'f', '1', '5', 0}},
                      Corruption{"dtype f32x", 116, {'f', '3', '2', 'x'}},
                      Corruption{"dtype empty", 116, {0, 0, 0, 0}},
                      Corruption{"length mismatch", 44, {0x81}},
                      Corruption{"size bytes mismatch", 52, {2}},
                      Corruption{"zero dim", 12, {0}},
                      Corruption{"name garbage after NUL", 135, {'x'}},
                      Corruption{"unused output length", 68, {1}}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (char& ch : name) ch = isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
      return name;
    });

TEST(IoSpecTest, G2RejectsBadFields) {
  const Bytes good = HexDump(kMagicWandG2Dump, kIoSpecG2Size);
  auto rejects = [&](size_t offset, uint8_t value) {
    Bytes bytes = good;
    bytes[offset] = value;
    ModelSpec spec;
    return !DecodeG2(bytes, &spec).ok();
  };
  EXPECT_TRUE(rejects(0x00, 0));     // zero inputs
  EXPECT_TRUE(rejects(0x00, 3));     // three inputs
  EXPECT_TRUE(rejects(0x04, 5));     // rank 5
  EXPECT_TRUE(rejects(0x2C, 4));     // bfloat code
  EXPECT_TRUE(rejects(0x2D, 31));    // 31-bit float
  EXPECT_TRUE(rejects(0x30, 13));    // 13 outputs
  EXPECT_TRUE(rejects(0x38, 9));     // rank of unused output 1
  EXPECT_TRUE(rejects(0x68, 0));     // output dim 0
  EXPECT_TRUE(rejects(0x157, 'x'));  // garbage after the model name's NUL
  EXPECT_TRUE(rejects(0x150, 0x01)); // non-printable name
}

TEST(IoSpecTest, TwentyCharacterNameNeedsNoTerminator) {
  Bytes bytes = HexDump(kMagicWandG2Dump, kIoSpecG2Size);
  for (size_t i = 0; i < 20; ++i) bytes[0x13C + i] = 'a' + i;
  ModelSpec spec;
  ASSERT_TRUE(DecodeG2(bytes, &spec).ok());
  EXPECT_EQ(std::string(spec.entry_function), "abcdefghijklmnopqrst");
  EXPECT_STREQ(spec.model_name, "module");
}

TEST(ModelSpecTest, RejectsOverflowingShapes) {
  ModelSpec spec = MagicWand("");
  spec.inputs[0] = TensorSpec{4, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 2}, {ElementCode::kFloat, 32}};
  EXPECT_FALSE(ValidateModelSpec(spec).ok());
}

}  // namespace
}  // namespace bmrt::protocol
