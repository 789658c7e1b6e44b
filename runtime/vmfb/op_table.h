// The VM instruction set the runtime accepts: the bytecode version and, per opcode, its operand
// fields in encoding order. The one place to change when the pinned compiler moves to a new
// bytecode version. Shared by the verifier and the interpreter.
#pragma once

#include "runtime/base/types.h"

namespace bmrt::vmfb {

// Accepted `bytecode_version` = (major << 16) | minor: the major must match, the minor may be
// at most ours.
constexpr uint32_t kBytecodeVersionMajor = 17;
constexpr uint32_t kBytecodeVersionMinor = 0;

// Requirements (FeatureBits) the runtime can satisfy: ExtF32, ExtF64, Yield, Unwind.
constexpr uint32_t kSupportedFeatures = 0xF;

enum class OpSet : uint8_t { kCore, kExtF32, kExtF64 };

constexpr uint8_t kOpcodeBlock = 0x79;
constexpr uint8_t kPrefixExtF32 = 0xE0;
constexpr uint8_t kPrefixExtF64 = 0xE1;

// Encoding of one operand field.
enum class OperandKind : uint8_t {
  kRegI32,       // u16 register, i32 bank, 1 slot
  kRegF32,       // u16 register, i32 bank, 1 slot (bits of an f32)
  kRegI64,       // u16 register, i32 bank, even ordinal, 2 slots
  kRegF64,       // u16 register, i32 bank, even ordinal, 2 slots
  kRegRef,       // u16 register, ref bank (0x8000 set), MOVE bit (0x4000) not allowed
  kRegRefMove,   // u16 register, ref bank, MOVE bit allowed
  kImmI32,       // 4 bytes
  kImmF32,       // 4 bytes
  kImmI64,       // 8 bytes
  kImmF64,       // 8 bytes
  kGlobal32,     // u32 byte offset of a 4-byte global (i32/f32)
  kGlobal64,     // u32 byte offset of an 8-byte global (i64/f64)
  kGlobalRef,    // u32 ref global ordinal
  kRodata,       // u32 rodata ordinal
  kFunc,         // u32 function ordinal; bit 31 = import ordinal
  kType,         // u32 type ordinal
  kString,       // u16 length + bytes
  kConstI16,     // u16 constant (br_table case count)
  kBranchTarget, // u32 pc of a block marker within the function
  kRemapList,    // align 2, u16 pair count, {u16 src, u16 dst} pairs
  kBranchCases,  // (kConstI16 before it) cases x {u32 pc, remap list}
  kListAny,      // align 2, u16 count, registers of either bank (TYPE bit selects)
  kListI32,      // align 2, u16 count, i32 registers
  kListI64,      // align 2, u16 count, i64 registers
  kListF32,
  kListF64,
  kListRef,
  kListConst,    // align 2, u16 count, u16 constants (call.variadic segment sizes)
};

constexpr int kMaxOperands = 6;

enum OpFlag : uint8_t {
  kOpTerminator = 1 << 0,  // ends a block (branch, return, fail, yield, yieldable calls...)
  kOpCall = 1 << 1,        // operand/result lists follow a callee cconv
  kOpBlock = 1 << 2,       // the block marker
  kOpPrefix = 1 << 3,      // an extension prefix byte
};

struct OpInfo {
  const char* mnemonic;  // null: the opcode is unassigned
  uint8_t flags;         // OpFlag
  uint8_t operand_count;
  OperandKind operands[kMaxOperands];
};

// The table entry of `opcode` in `set`, or null when the opcode is not assigned.
const OpInfo* LookupOp(OpSet set, uint8_t opcode);

// Number of opcodes assigned in `set` (for tests and reports).
int AssignedOpCount(OpSet set);

}  // namespace bmrt::vmfb
