#include "runtime/vmfb/verifier.h"

#include <stdarg.h>
#include <string.h>

#include "runtime/base/byte_reader.h"
#include "runtime/base/utility.h"
#include "runtime/vmfb/call_cursor.h"
#include "runtime/vmfb/op_table.h"

namespace bmrt::vmfb {

namespace {

constexpr uint16_t kRefBit = 0x8000;
constexpr uint16_t kMoveBit = 0x4000;
constexpr uint16_t kRefOrdinalMask = 0x3FFF;
constexpr uint32_t kImportBit = 0x80000000u;
constexpr uint8_t kOpCallVariadic = 0x59;
constexpr uint8_t kOpCallVariadicYieldable = 0x88;
constexpr uint8_t kOpReturn = 0x5A;
constexpr uint8_t kOpImportResolved = 0x5C;
constexpr uint8_t kOpDiscardRefs = 0x85;

// Walks one function twice: the first pass decodes and checks every op and marks the block
// markers; the second checks that every branch target is one of them.
class FunctionVerifier {
 public:
  FunctionVerifier(const Module& module, uint32_t ordinal, uint8_t* marker_bits,
                   ErrorMessage& message, const CallVisitor& calls)
      : module_(module),
        ordinal_(ordinal),
        function_(module.functions()[ordinal]),
        code_(function_.bytecode),
        marker_bits_(marker_bits),
        message_(message),
        calls_(calls) {}

  Status Run() {
    BMRT_RETURN_IF_ERROR(VerifySignatureFits());
    BMRT_RETURN_IF_ERROR(Pass());
    checking_targets_ = true;
    return Pass();
  }

 private:
  Status Fail(const char* format, ...) __attribute__((format(printf, 2, 3)));
  Status VerifySignatureFits();
  Status Pass();
  Status VerifyOp();
  Status VerifyOperand(OperandKind kind);

  // Bounded reads inside the function; a failed read sets truncated_.
  bool Take(size_t count) {
    if (truncated_ || !RangeFits(pc_, count, code_.size())) {
      truncated_ = true;
      return false;
    }
    pc_ += count;
    return true;
  }
  uint8_t ReadU8() { return Take(1) ? code_[pc_ - 1] : 0; }
  uint16_t ReadU16() { return Take(2) ? LoadLe16(&code_[pc_ - 2]) : 0; }
  uint32_t ReadU32() { return Take(4) ? LoadLe32(&code_[pc_ - 4]) : 0; }
  void AlignTo2() {
    if (pc_ & 1) Take(1);
  }
  Status Truncated() { return Fail("op runs past the end of the function"); }

  Status CheckI32Register(uint16_t reg, bool wide);
  Status CheckRefRegister(uint16_t reg, bool move_allowed);
  Status CheckAnyRegister(uint16_t reg, bool move_allowed);
  Status CheckTypedRegister(uint16_t reg, char type);
  Status CheckTarget(uint32_t target);
  Status VerifyRemapList();
  Status VerifyList(OperandKind kind);
  Status VerifyTypedList(CallCursor& cursor, const char* what);
  Status VerifyCallee(uint32_t callee);

  const Module& module_;
  uint32_t ordinal_;
  const FunctionInfo& function_;
  ByteSpan code_;
  uint8_t* marker_bits_;
  ErrorMessage& message_;
  const CallVisitor& calls_;
  bool checking_targets_ = false;

  size_t pc_ = 0;
  size_t op_pc_ = 0;
  bool truncated_ = false;
  // Current op state.
  const OpInfo* op_ = nullptr;
  uint8_t opcode_ = 0;
  uint16_t last_const_ = 0;
  const Cconv* callee_cconv_ = nullptr;
  ByteSpan segments_;
  bool segments_present_ = false;
  int lists_seen_ = 0;
};

Status FunctionVerifier::Fail(const char* format, ...) {
  size_t used = function_.name.empty()
                    ? Format(message_.text, sizeof(message_.text), "function %u pc 0x%zx: ",
                             ordinal_, op_pc_)
                    : Format(message_.text, sizeof(message_.text), "function %u (%.*s) pc 0x%zx: ",
                             ordinal_, int(function_.name.size()), function_.name.data(), op_pc_);
  if (used < sizeof(message_.text)) {
    va_list args;
    va_start(args, format);
    FormatV(message_.text + used, sizeof(message_.text) - used, format, args);
    va_end(args);
  }
  return DataLoss(message_.text);
}

// Arguments are placed in registers 0.. on entry (i64/f64 at the next even slot), so they must
// fit the declared register counts. Results need no such layout: `return` lists its registers.
Status FunctionVerifier::VerifySignatureFits() {
  StringView arguments = function_.cconv.arguments;
  uint32_t i32_slots = 0, refs = 0;
  for (size_t i = 0; i < arguments.size(); ++i) {
    char type = arguments[i];
    if (type == 'C' || type == 'D') return Fail("internal functions cannot take variadic arguments");
    if (type == 'r') {
      ++refs;
    } else if (type == 'I' || type == 'F') {
      i32_slots = (i32_slots + 1) / 2 * 2 + 2;
    } else {
      ++i32_slots;
    }
  }
  if (i32_slots > function_.i32_register_count || refs > function_.ref_register_count) {
    return Fail("arguments of '%.*s' need %u i32 and %u ref registers, function has %u and %u",
                int(function_.cconv.text.size()), function_.cconv.text.data(), i32_slots, refs,
                function_.i32_register_count, function_.ref_register_count);
  }
  return OkStatus();
}

Status FunctionVerifier::Pass() {
  pc_ = 0;
  truncated_ = false;
  bool in_block = false;
  uint32_t blocks = 0;
  while (pc_ < code_.size()) {
    op_pc_ = pc_;
    uint8_t byte = code_[pc_];
    if (byte == kOpcodeBlock) {
      if (in_block) return Fail("block marker inside a block (previous block not terminated)");
      if (!checking_targets_) marker_bits_[pc_ / 8] |= uint8_t(1u << (pc_ % 8));
      in_block = true;
      ++blocks;
      ++pc_;
      continue;
    }
    if (!in_block) {
      return Fail(pc_ == 0 ? "function does not start with a block marker"
                           : "op 0x%x after a terminator outside any block", byte);
    }
    BMRT_RETURN_IF_ERROR(VerifyOp());
    if (op_->flags & kOpTerminator) in_block = false;
  }
  op_pc_ = code_.size();
  if (in_block) return Fail("function ends inside a block (no terminator)");
  if (blocks != function_.block_count) {
    return Fail("%u blocks found, descriptor declares %u", blocks, function_.block_count);
  }
  return OkStatus();
}

Status FunctionVerifier::VerifyOp() {
  uint8_t opcode = ReadU8();
  OpSet set = OpSet::kCore;
  if (opcode == kPrefixExtF32 || opcode == kPrefixExtF64) {
    set = opcode == kPrefixExtF32 ? OpSet::kExtF32 : OpSet::kExtF64;
    uint32_t feature = opcode == kPrefixExtF32 ? kFeatureExtF32 : kFeatureExtF64;
    if (!(kSupportedFeatures & feature)) return Fail("extension prefix 0x%x not supported", opcode);
    if (!(function_.requirements & feature)) {
      return Fail("%s op in a function that does not declare the feature",
                  feature == kFeatureExtF32 ? "f32" : "f64");
    }
    opcode = ReadU8();
    if (truncated_) return Truncated();
  }
  op_ = LookupOp(set, opcode);
  if (!op_ || (op_->flags & (kOpBlock | kOpPrefix))) {
    return Fail("unknown opcode 0x%x%s", opcode,
                set == OpSet::kCore ? "" : (set == OpSet::kExtF32 ? " (ext f32)" : " (ext f64)"));
  }
  opcode_ = set == OpSet::kCore ? opcode : 0xFF;
  callee_cconv_ = nullptr;
  segments_present_ = false;
  lists_seen_ = 0;
  for (int i = 0; i < op_->operand_count; ++i) {
    BMRT_RETURN_IF_ERROR(VerifyOperand(op_->operands[i]));
    if (truncated_) return Truncated();
  }
  return OkStatus();
}

Status FunctionVerifier::CheckI32Register(uint16_t reg, bool wide) {
  if (reg & kRefBit) {
    return Fail("expected an i32-bank register, got ref register %u", reg & kRefOrdinalMask);
  }
  uint32_t count = function_.i32_register_count;
  if (wide && (reg & 1)) return Fail("64-bit value in odd register r%u", reg);
  if (reg >= count || (wide && uint32_t(reg) + 1 >= count)) {
    return Fail("register r%u out of range (%u i32 registers)", reg + (wide ? 1u : 0u), count);
  }
  return OkStatus();
}

Status FunctionVerifier::CheckRefRegister(uint16_t reg, bool move_allowed) {
  if (!(reg & kRefBit)) return Fail("expected a ref register, got i32 register r%u", reg);
  if ((reg & kMoveBit) && !move_allowed) {
    return Fail("move bit not allowed on ref register %u", reg & kRefOrdinalMask);
  }
  uint32_t ordinal = reg & kRefOrdinalMask;
  if (ordinal >= function_.ref_register_count) {
    return Fail("ref register %u out of range (%u ref registers)", ordinal,
                function_.ref_register_count);
  }
  return OkStatus();
}

Status FunctionVerifier::CheckAnyRegister(uint16_t reg, bool move_allowed) {
  return (reg & kRefBit) ? CheckRefRegister(reg, move_allowed) : CheckI32Register(reg, false);
}

Status FunctionVerifier::CheckTypedRegister(uint16_t reg, char type) {
  switch (type) {
    case 'i':
    case 'f':
      return CheckI32Register(reg, false);
    case 'I':
    case 'F':
      return CheckI32Register(reg, true);
    default:
      return CheckRefRegister(reg, true);
  }
}

Status FunctionVerifier::CheckTarget(uint32_t target) {
  if (target >= code_.size()) return Fail("branch target 0x%x outside the function", target);
  if (checking_targets_ && !(marker_bits_[target / 8] & (1u << (target % 8)))) {
    return Fail("branch target 0x%x is not a block marker", target);
  }
  return OkStatus();
}

Status FunctionVerifier::VerifyRemapList() {
  AlignTo2();
  uint16_t count = ReadU16();
  for (uint16_t i = 0; i < count && !truncated_; ++i) {
    uint16_t source = ReadU16(), destination = ReadU16();
    if (truncated_) break;
    if ((source & kRefBit) != (destination & kRefBit)) {
      return Fail("branch operand %u moves between register banks", i);
    }
    BMRT_RETURN_IF_ERROR(CheckAnyRegister(source, true));
    BMRT_RETURN_IF_ERROR(CheckAnyRegister(destination, false));
  }
  return OkStatus();
}

Status FunctionVerifier::VerifyTypedList(CallCursor& cursor, const char* what) {
  AlignTo2();
  uint16_t count = ReadU16();
  for (uint16_t i = 0; i < count && !truncated_; ++i) {
    uint16_t reg = ReadU16();
    if (truncated_) break;
    char type = 0;
    if (!cursor.Next(&type)) {
      if (cursor.error()) return Fail("%s: %s", what, cursor.error());
      return Fail("%s: %u registers listed, the signature expects fewer", what, count);
    }
    BMRT_RETURN_IF_ERROR(CheckTypedRegister(reg, type));
  }
  char extra = 0;
  if (!truncated_ && cursor.Next(&extra)) {
    return Fail("%s: %u registers listed, the signature expects more", what, count);
  }
  if (!truncated_ && cursor.error()) return Fail("%s: %s", what, cursor.error());
  return OkStatus();
}

Status FunctionVerifier::VerifyList(OperandKind kind) {
  ++lists_seen_;
  bool is_call = (op_->flags & kOpCall) != 0;
  if (is_call && kind == OperandKind::kListAny && callee_cconv_) {
    if (lists_seen_ == 1) {
      CallCursor cursor(callee_cconv_->arguments, segments_, segments_present_);
      return VerifyTypedList(cursor, "call operands");
    }
    CallCursor cursor(callee_cconv_->results, ByteSpan(), false);
    return VerifyTypedList(cursor, "call results");
  }
  if (opcode_ == kOpReturn) {
    CallCursor cursor(function_.cconv.results, ByteSpan(), false);
    return VerifyTypedList(cursor, "return values");
  }
  AlignTo2();
  uint16_t count = ReadU16();
  if (kind == OperandKind::kListConst) {
    segments_ = ByteSpan(code_.data() + pc_, Min<size_t>(size_t(count) * 2, code_.size() - pc_));
    segments_present_ = true;
    --lists_seen_;  // segment sizes are not one of the register lists
    Take(size_t(count) * 2);
    return OkStatus();
  }
  for (uint16_t i = 0; i < count && !truncated_; ++i) {
    uint16_t reg = ReadU16();
    if (truncated_) break;
    switch (kind) {
      case OperandKind::kListI32:
      case OperandKind::kListF32:
        BMRT_RETURN_IF_ERROR(CheckI32Register(reg, false));
        break;
      case OperandKind::kListI64:
      case OperandKind::kListF64:
        BMRT_RETURN_IF_ERROR(CheckI32Register(reg, true));
        break;
      case OperandKind::kListRef:
        BMRT_RETURN_IF_ERROR(CheckRefRegister(reg, true));
        break;
      default:
        if (opcode_ == kOpDiscardRefs) {
          BMRT_RETURN_IF_ERROR(CheckRefRegister(reg, true));
        } else {
          BMRT_RETURN_IF_ERROR(CheckAnyRegister(reg, true));
        }
        break;
    }
  }
  return OkStatus();
}

Status FunctionVerifier::VerifyCallee(uint32_t callee) {
  if (callee & kImportBit) {
    uint32_t import = callee & ~kImportBit;
    if (import >= module_.imports().size()) {
      return Fail("import ordinal %u out of range (%zu imports)", import, module_.imports().size());
    }
    callee_cconv_ = &module_.imports()[import].cconv;
  } else {
    if (opcode_ == kOpImportResolved) {
      return Fail("import.resolved on internal function %u", callee);
    }
    if (opcode_ == kOpCallVariadic || opcode_ == kOpCallVariadicYieldable) {
      return Fail("variadic call to internal function %u (only imports take variadic calls)",
                  callee);
    }
    if (callee >= module_.functions().size()) {
      return Fail("function ordinal %u out of range (%zu functions)", callee,
                  module_.functions().size());
    }
    callee_cconv_ = &module_.functions()[callee].cconv;
    if (!checking_targets_ && calls_.visit) calls_.visit(calls_.context, callee);
  }
  return OkStatus();
}

Status FunctionVerifier::VerifyOperand(OperandKind kind) {
  switch (kind) {
    case OperandKind::kRegI32:
    case OperandKind::kRegF32:
      return CheckI32Register(ReadU16(), false);
    case OperandKind::kRegI64:
    case OperandKind::kRegF64:
      return CheckI32Register(ReadU16(), true);
    case OperandKind::kRegRef:
    case OperandKind::kRegRefMove:
      return CheckRefRegister(ReadU16(), kind == OperandKind::kRegRefMove);
    case OperandKind::kImmI32:
    case OperandKind::kImmF32:
      Take(4);
      return OkStatus();
    case OperandKind::kImmI64:
    case OperandKind::kImmF64:
      Take(8);
      return OkStatus();
    case OperandKind::kGlobal32:
    case OperandKind::kGlobal64: {
      uint32_t offset = ReadU32();
      uint32_t size = kind == OperandKind::kGlobal32 ? 4 : 8;
      if (truncated_) return OkStatus();
      if ((offset & 3) || !RangeFits(offset, size, module_.global_bytes_capacity())) {
        return Fail("global byte offset %u (size %u) outside %u global bytes", offset, size,
                    module_.global_bytes_capacity());
      }
      return OkStatus();
    }
    case OperandKind::kGlobalRef: {
      uint32_t ordinal = ReadU32();
      if (!truncated_ && ordinal >= module_.global_ref_count()) {
        return Fail("ref global %u out of range (%u ref globals)", ordinal,
                    module_.global_ref_count());
      }
      return OkStatus();
    }
    case OperandKind::kRodata: {
      uint32_t ordinal = ReadU32();
      if (!truncated_ && ordinal >= module_.rodata().size()) {
        return Fail("rodata %u out of range (%zu segments)", ordinal, module_.rodata().size());
      }
      return OkStatus();
    }
    case OperandKind::kType: {
      uint32_t ordinal = ReadU32();
      if (!truncated_ && ordinal >= module_.types().size()) {
        return Fail("type %u out of range (%zu types)", ordinal, module_.types().size());
      }
      return OkStatus();
    }
    case OperandKind::kFunc: {
      uint32_t callee = ReadU32();
      return truncated_ ? OkStatus() : VerifyCallee(callee);
    }
    case OperandKind::kString:
      Take(ReadU16());
      return OkStatus();
    case OperandKind::kConstI16:
      last_const_ = ReadU16();
      return OkStatus();
    case OperandKind::kBranchTarget: {
      uint32_t target = ReadU32();
      return truncated_ ? OkStatus() : CheckTarget(target);
    }
    case OperandKind::kRemapList:
      return VerifyRemapList();
    case OperandKind::kBranchCases:
      for (uint16_t i = 0; i < last_const_ && !truncated_; ++i) {
        uint32_t target = ReadU32();
        if (truncated_) break;
        BMRT_RETURN_IF_ERROR(CheckTarget(target));
        BMRT_RETURN_IF_ERROR(VerifyRemapList());
      }
      return OkStatus();
    default:
      return VerifyList(kind);
  }
}

Status VerifyTypes(const Module& module, ErrorMessage& message) {
  for (size_t i = 0; i < module.types().size(); ++i) {
    const TypeInfo& type = module.types()[i];
    if (type.value_type == ValueType::kRef && type.ref_type == vm::RefType::kNull) {
      return NotFound(message.Set("type %zu: unknown ref type '%.*s'", i, int(type.name.size()),
                                  type.name.data()));
    }
  }
  return OkStatus();
}

}  // namespace

Status VerifyFunction(const Module& module, uint32_t function_ordinal, Arena& scratch,
                      ErrorMessage& message) {
  return VerifyFunction(module, function_ordinal, scratch, message, CallVisitor());
}

Status VerifyFunction(const Module& module, uint32_t function_ordinal, Arena& scratch,
                      ErrorMessage& message, const CallVisitor& calls) {
  if (function_ordinal >= module.functions().size()) {
    return OutOfRange(message.Set("function %u does not exist", function_ordinal));
  }
  size_t bits = module.functions()[function_ordinal].bytecode.size() / 8 + 1;
  uint8_t* marker_bits = static_cast<uint8_t*>(scratch.Allocate(bits));
  if (!marker_bits) {
    return ResourceExhausted(message.Set("no arena memory to verify function %u", function_ordinal));
  }
  memset(marker_bits, 0, bits);
  Status status = FunctionVerifier(module, function_ordinal, marker_bits, message, calls).Run();
  scratch.Free(marker_bits);
  return status;
}

Status VerifyModule(const Module& module, Arena& scratch, ErrorMessage& message) {
  BMRT_RETURN_IF_ERROR(VerifyTypes(module, message));
  for (uint32_t i = 0; i < module.functions().size(); ++i) {
    BMRT_RETURN_IF_ERROR(VerifyFunction(module, i, scratch, message));
  }
  return OkStatus();
}

Result<Module*> LoadVerifiedModule(ByteSpan archive, Arena& arena, ErrorMessage& message) {
  Result<Module*> module = LoadModule(archive, arena, message);
  if (!module.ok()) return module.status();
  Status status = VerifyModule(*module.value(), arena, message);
  if (!status.ok()) {
    FreeModule(arena, module.value());
    return status;
  }
  return module.value();
}

}  // namespace bmrt::vmfb
