/* RISC-V (rv32 + F + V) instruction classes counted by the profiling plugin. */
#ifndef BMRT_INSN_CLASS_H
#define BMRT_INSN_CLASS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum bmrt_insn_class {
  BMRT_INSN_INT_ALU,
  BMRT_INSN_INT_MULDIV,
  BMRT_INSN_INT_LOAD,
  BMRT_INSN_INT_STORE,
  BMRT_INSN_FP_ARITH,
  BMRT_INSN_FP_LOAD,
  BMRT_INSN_FP_STORE,
  BMRT_INSN_VECTOR_ARITH,
  BMRT_INSN_VECTOR_LOAD,
  BMRT_INSN_VECTOR_STORE,
  BMRT_INSN_VSETVL,
  BMRT_INSN_BRANCH,
  BMRT_INSN_JUMP,
  BMRT_INSN_CSR,
  BMRT_INSN_SYSTEM,
  BMRT_INSN_FENCE,
  BMRT_INSN_ATOMIC,
  BMRT_INSN_COMPRESSED,
  BMRT_INSN_OTHER,
  BMRT_INSN_CLASS_COUNT
};

/* Instructions the firmware executes to open and close a profiling window: `slti x0, x0, imm`
 * hints (no architectural effect) with two reserved immediates. */
#define BMRT_PROFILE_BEGIN_ENCODING 0x7B002013u
#define BMRT_PROFILE_END_ENCODING 0x7B102013u

/* Classifies the instruction in `bytes` (little-endian, `size` 2 or 4). */
enum bmrt_insn_class bmrt_classify_insn(const uint8_t *bytes, size_t size);
const char *bmrt_insn_class_name(enum bmrt_insn_class insn_class);
uint32_t bmrt_insn_word(const uint8_t *bytes, size_t size);

#ifdef __cplusplus
}
#endif

#endif
