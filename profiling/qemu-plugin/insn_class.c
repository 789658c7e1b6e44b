#include "insn_class.h"

static const char *const kClassNames[BMRT_INSN_CLASS_COUNT] = {
    "int_alu",      "int_muldiv",   "int_load",     "int_store",   "fp_arith",
    "fp_load",      "fp_store",     "vector_arith", "vector_load", "vector_store",
    "vsetvl",       "branch",       "jump",         "csr",         "system",
    "fence",        "atomic",       "compressed",   "other",
};

const char *bmrt_insn_class_name(enum bmrt_insn_class insn_class) {
  return (unsigned)insn_class < BMRT_INSN_CLASS_COUNT ? kClassNames[insn_class] : "invalid";
}

uint32_t bmrt_insn_word(const uint8_t *bytes, size_t size) {
  uint32_t word = 0;
  for (size_t i = 0; i < size && i < 4; ++i) word |= (uint32_t)bytes[i] << (8 * i);
  return word;
}

/* LOAD-FP / STORE-FP share their major opcodes with the vector unit: the width field (funct3)
 * 1-4 selects a scalar FP access, 0 and 5-7 a vector one. */
static int IsScalarFpWidth(uint32_t funct3) { return funct3 >= 1 && funct3 <= 4; }

enum bmrt_insn_class bmrt_classify_insn(const uint8_t *bytes, size_t size) {
  if (size == 2) return BMRT_INSN_COMPRESSED;
  if (size != 4) return BMRT_INSN_OTHER;
  uint32_t word = bmrt_insn_word(bytes, size);
  uint32_t opcode = word & 0x7F;
  uint32_t funct3 = (word >> 12) & 0x7;
  uint32_t funct7 = word >> 25;
  switch (opcode) {
    case 0x37: /* LUI */
    case 0x17: /* AUIPC */
    case 0x13: /* OP-IMM */
      return BMRT_INSN_INT_ALU;
    case 0x33: /* OP; funct7 1 is the M extension */
      return funct7 == 0x01 ? BMRT_INSN_INT_MULDIV : BMRT_INSN_INT_ALU;
    case 0x03:
      return BMRT_INSN_INT_LOAD;
    case 0x23:
      return BMRT_INSN_INT_STORE;
    case 0x07:
      return IsScalarFpWidth(funct3) ? BMRT_INSN_FP_LOAD : BMRT_INSN_VECTOR_LOAD;
    case 0x27:
      return IsScalarFpWidth(funct3) ? BMRT_INSN_FP_STORE : BMRT_INSN_VECTOR_STORE;
    case 0x43: /* FMADD, FMSUB, FNMSUB, FNMADD */
    case 0x47:
    case 0x4B:
    case 0x4F:
    case 0x53: /* OP-FP */
      return BMRT_INSN_FP_ARITH;
    case 0x57: /* OP-V; funct3 7 is vsetvli / vsetivli / vsetvl */
      return funct3 == 7 ? BMRT_INSN_VSETVL : BMRT_INSN_VECTOR_ARITH;
    case 0x63:
      return BMRT_INSN_BRANCH;
    case 0x6F: /* JAL */
    case 0x67: /* JALR */
      return BMRT_INSN_JUMP;
    case 0x73:
      return funct3 == 0 ? BMRT_INSN_SYSTEM : BMRT_INSN_CSR;
    case 0x0F:
      return BMRT_INSN_FENCE;
    case 0x2F:
      return BMRT_INSN_ATOMIC;
    default:
      return BMRT_INSN_OTHER;
  }
}
