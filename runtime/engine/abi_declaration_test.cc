#include "runtime/engine/abi_declaration.h"

#include <gtest/gtest.h>

namespace bmrt::engine {
namespace {

TEST(AbiDeclarationTest, ReadsTheMagicWandDeclaration) {
  DeclaredSignature s;
  ASSERT_TRUE(ParseAbiDeclaration(
      "sync func @main(%input0: tensor<1x128x3x1xi8> {tf_saved_model.index_path = [\"input_1\"]})"
      " -> (%output0: tensor<1x4xi8> {tf_saved_model.index_path = [\"out_layer\"]})",
      &s));
  ASSERT_EQ(s.num_inputs, 1u);
  ASSERT_EQ(s.num_outputs, 1u);
  EXPECT_EQ(s.inputs[0].rank, 4u);
  EXPECT_EQ(s.inputs[0].dims[1], 128);
  EXPECT_EQ(s.inputs[0].element_type, 0x10000008u);
  EXPECT_EQ(s.outputs[0].rank, 2u);
  EXPECT_EQ(s.outputs[0].dims[1], 4);
}

TEST(AbiDeclarationTest, DynamicDimsScalarsAndSeveralResults) {
  DeclaredSignature s;
  ASSERT_TRUE(ParseAbiDeclaration(
      "sync func @f(%a: tensor<?x4xf32>, %b: tensor<f32>) -> (%r0: tensor<4xsi32>, %r1: tensor<2x2xui8>)",
      &s));
  ASSERT_EQ(s.num_inputs, 2u);
  EXPECT_EQ(s.inputs[0].dims[0], DeclaredTensor::kDynamic);
  EXPECT_EQ(s.inputs[1].rank, 0u);
  EXPECT_EQ(s.inputs[1].element_type, 0x21000020u);
  ASSERT_EQ(s.num_outputs, 2u);
  EXPECT_EQ(s.outputs[0].element_type, 0x11000020u);
  EXPECT_EQ(s.outputs[1].element_type, 0x12000008u);
}

TEST(AbiDeclarationTest, SingleUnparenthesizedResult) {
  DeclaredSignature s;
  ASSERT_TRUE(ParseAbiDeclaration("sync func @f(%a: tensor<3xf32>) -> tensor<3xf32>", &s));
  EXPECT_EQ(s.num_outputs, 1u);
}

TEST(AbiDeclarationTest, RefusesWhatItCannotRead) {
  DeclaredSignature s;
  EXPECT_FALSE(ParseAbiDeclaration("", &s));
  EXPECT_FALSE(ParseAbiDeclaration("sync func @f(%a: i32) -> tensor<3xf32>", &s));
  EXPECT_FALSE(ParseAbiDeclaration("sync func @f(%a: tensor<3xf32", &s));
  EXPECT_FALSE(ParseAbiDeclaration("sync func @f(%a: tensor<1x2x3x4x5x6x7x8x9xf32>)", &s));
}

TEST(AbiDeclarationTest, ElementTypes) {
  EXPECT_EQ(HalElementTypeOf("f32"), 0x21000020u);
  EXPECT_EQ(HalElementTypeOf("f16"), 0x21000010u);
  EXPECT_EQ(HalElementTypeOf("i8"), 0x10000008u);
  EXPECT_EQ(HalElementTypeOf("si8"), 0x11000008u);
  EXPECT_EQ(HalElementTypeOf("i1"), 0x01000008u);
  EXPECT_EQ(HalElementTypeOf("bf16"), 0u);
  EXPECT_EQ(HalElementTypeOf("i"), 0u);
}

}  // namespace
}  // namespace bmrt::engine
