// Encodings below were produced by llvm-mc-22 (riscv32, +m,+f,+v) for the named instructions.
#include "profiling/qemu-plugin/insn_class.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace {

bmrt_insn_class Classify(uint32_t word) {
  uint8_t bytes[4] = {uint8_t(word), uint8_t(word >> 8), uint8_t(word >> 16), uint8_t(word >> 24)};
  return bmrt_classify_insn(bytes, 4);
}

TEST(InsnClass, ScalarInteger) {
  EXPECT_EQ(Classify(0x00b50533), BMRT_INSN_INT_ALU);     // add a0, a0, a1
  EXPECT_EQ(Classify(0x00150513), BMRT_INSN_INT_ALU);     // addi a0, a0, 1
  EXPECT_EQ(Classify(0x02b50533), BMRT_INSN_INT_MULDIV);  // mul a0, a0, a1
  EXPECT_EQ(Classify(0x00052503), BMRT_INSN_INT_LOAD);    // lw a0, 0(a0)
  EXPECT_EQ(Classify(0x00b52023), BMRT_INSN_INT_STORE);   // sw a1, 0(a0)
}

TEST(InsnClass, ScalarFloatSharesOpcodesWithVectorMemory) {
  EXPECT_EQ(Classify(0x00052007), BMRT_INSN_FP_LOAD);       // flw ft0, 0(a0)
  EXPECT_EQ(Classify(0x00052027), BMRT_INSN_FP_STORE);      // fsw ft0, 0(a0)
  EXPECT_EQ(Classify(0x02056407), BMRT_INSN_VECTOR_LOAD);   // vle32.v v8, (a0)
  EXPECT_EQ(Classify(0x02056427), BMRT_INSN_VECTOR_STORE);  // vse32.v v8, (a0)
  EXPECT_EQ(Classify(0x02050007), BMRT_INSN_VECTOR_LOAD);   // vle8.v v0, (a0)
  EXPECT_EQ(Classify(0x00107053), BMRT_INSN_FP_ARITH);      // fadd.s ft0, ft0, ft1
  EXPECT_EQ(Classify(0x1010f043), BMRT_INSN_FP_ARITH);      // fmadd.s ft0, ft1, ft1, ft2
}

TEST(InsnClass, Vector) {
  EXPECT_EQ(Classify(0x0d0572d7), BMRT_INSN_VSETVL);        // vsetvli t0, a0, e32, m1, ta, ma
  EXPECT_EQ(Classify(0x02860457), BMRT_INSN_VECTOR_ARITH);  // vadd.vv v8, v8, v12
  EXPECT_EQ(Classify(0xb2c61457), BMRT_INSN_VECTOR_ARITH);  // vfmacc.vv v8, v12, v12
}

TEST(InsnClass, ControlAndSystem) {
  EXPECT_EQ(Classify(0x00b50463), BMRT_INSN_BRANCH);  // beq a0, a1, 8
  EXPECT_EQ(Classify(0x008000ef), BMRT_INSN_JUMP);    // jal 8
  EXPECT_EQ(Classify(0x00008067), BMRT_INSN_JUMP);    // ret
  EXPECT_EQ(Classify(0xb0202573), BMRT_INSN_CSR);     // csrr a0, minstret
  EXPECT_EQ(Classify(0x30200073), BMRT_INSN_SYSTEM);  // mret
  EXPECT_EQ(Classify(0x0ff0000f), BMRT_INSN_FENCE);   // fence
}

TEST(InsnClass, MarkersAreIntegerNoOps) {
  EXPECT_EQ(Classify(BMRT_PROFILE_BEGIN_ENCODING), BMRT_INSN_INT_ALU);
  EXPECT_EQ(Classify(BMRT_PROFILE_END_ENCODING), BMRT_INSN_INT_ALU);
}

TEST(InsnClass, CompressedAndNames) {
  uint8_t c_nop[2] = {0x01, 0x00};
  EXPECT_EQ(bmrt_classify_insn(c_nop, 2), BMRT_INSN_COMPRESSED);
  EXPECT_STREQ(bmrt_insn_class_name(BMRT_INSN_VSETVL), "vsetvl");
  EXPECT_STREQ(bmrt_insn_class_name(BMRT_INSN_CLASS_COUNT), "invalid");
}

}  // namespace
