// The dispatch loop: one switch over the opcode byte, operands decoded in place. The verifier
// has proven that every operand decodes inside the function and names a register of the right
// bank inside the frame, so decoding here is unchecked; run-time conditions (null refs, list
// and buffer bounds, stack depth, indirect global offsets) are checked.
#include <math.h>
#include <string.h>

#include "runtime/base/byte_reader.h"
#include "runtime/base/utility.h"
#include "runtime/vm/buffer.h"
#include "runtime/vm/interpreter.h"
#include "runtime/vm/list.h"
#include "runtime/vm/ops.h"
#include "runtime/vm/registers.h"
#include "runtime/vmfb/op_table.h"

namespace bmrt::vm {

namespace {

StatusCode CodeFromIree(uint32_t code) {
  switch (code) {
    case 3: return StatusCode::kInvalidArgument;
    case 4: return StatusCode::kDeadlineExceeded;
    case 5: return StatusCode::kNotFound;
    case 6:
    case 7:
    case 9:
    case 16: return StatusCode::kFailedPrecondition;
    case 8: return StatusCode::kResourceExhausted;
    case 11: return StatusCode::kOutOfRange;
    case 12: return StatusCode::kUnimplemented;
    case 2:
    case 13: return StatusCode::kInternal;
    case 15: return StatusCode::kDataLoss;
    default: return StatusCode::kAborted;
  }
}

ListElement ElementFromType(const vmfb::TypeInfo& type, RefType* ref_type) {
  *ref_type = RefType::kNull;
  switch (type.value_type) {
    case vmfb::ValueType::kI8: return ListElement::kI8;
    case vmfb::ValueType::kI16: return ListElement::kI16;
    case vmfb::ValueType::kI32: return ListElement::kI32;
    case vmfb::ValueType::kI64: return ListElement::kI64;
    case vmfb::ValueType::kF32: return ListElement::kF32;
    case vmfb::ValueType::kF64: return ListElement::kF64;
    case vmfb::ValueType::kOpaque: return ListElement::kVariant;
    case vmfb::ValueType::kRef: *ref_type = type.ref_type; return ListElement::kRef;
  }
  return ListElement::kVariant;
}

// Byte range of `count` elements of `size` bytes at element `offset`; false when outside.
inline bool ElementRange(const Buffer* buffer, int64_t offset, uint64_t count, size_t size,
                         size_t* byte_offset, size_t* byte_length) {
  uint64_t start = 0, length = 0;
  if (offset < 0 || !CheckedMul(uint64_t(offset), uint64_t(size), &start) ||
      !CheckedMul(count, uint64_t(size), &length) || !RangeFits(start, length, buffer->length())) {
    return false;
  }
  *byte_offset = size_t(start);
  *byte_length = size_t(length);
  return true;
}

inline bool ByteRange(const Buffer* buffer, int64_t offset, int64_t length) {
  return offset >= 0 && length >= 0 && RangeFits(uint64_t(offset), uint64_t(length), buffer->length());
}

template <typename T>
inline bool LoadElement(const Buffer* buffer, int64_t index, T* out) {
  size_t offset, length;
  if (!ElementRange(buffer, index, 1, sizeof(T), &offset, &length)) return false;
  memcpy(out, buffer->data() + offset, sizeof(T));
  return true;
}

template <typename T>
inline Status StoreElement(Buffer* buffer, int64_t index, T value) {
  size_t offset, length;
  if (!ElementRange(buffer, index, 1, sizeof(T), &offset, &length)) {
    return OutOfRange("vm.buffer store out of range");
  }
  if (!buffer->writable()) return FailedPrecondition("vm.buffer is read-only");
  memcpy(buffer->mutable_data() + offset, &value, sizeof(T));
  return OkStatus();
}

template <typename T>
inline Status FillElements(Buffer* buffer, int64_t index, int64_t count, T value) {
  size_t offset, length;
  if (count < 0 || !ElementRange(buffer, index, uint64_t(count), sizeof(T), &offset, &length)) {
    return OutOfRange("vm.buffer fill out of range");
  }
  if (!buffer->writable()) return FailedPrecondition("vm.buffer is read-only");
  uint8_t* p = buffer->mutable_data() + offset;
  for (size_t i = 0; i < length; i += sizeof(T)) memcpy(p + i, &value, sizeof(T));
  return OkStatus();
}

constexpr Status kNullBuffer = InvalidArgument("vm.buffer operand is null");
constexpr Status kNullList = InvalidArgument("vm.list operand is null");
constexpr Status kLoadRange = OutOfRange("vm.buffer load out of range");

}  // namespace

#define DEC_U16() (ip += 2, LoadLe16(ip - 2))
#define DEC_U32() (ip += 4, LoadLe32(ip - 4))
#define DEC_U64() (ip += 8, LoadLe64(ip - 8))
#define TRAP(expr)   \
  do {               \
    status = (expr); \
    goto trap;       \
  } while (0)
#define CHECK_OK(expr)               \
  do {                               \
    Status check_ = (expr);          \
    if (!check_.ok()) TRAP(check_);  \
  } while (0)
#define LOAD_FRAME()                           \
  do {                                         \
    code = frame->function->bytecode.data();   \
    R = frame->i32;                            \
    F = frame->refs;                           \
  } while (0)
#define DEC_BUFFER(var)                                  \
  Buffer* var = F[DEC_U16() & kRefMask].As<Buffer>();    \
  if (!var) TRAP(kNullBuffer)
#define DEC_LIST(var)                                    \
  List* var = F[DEC_U16() & kRefMask].As<List>();        \
  if (!var) TRAP(kNullList)
#define DEC_LIST_ANY(ptr, count) \
  ip = Align2(code, ip);         \
  uint16_t count = DEC_U16();    \
  const uint8_t* ptr = ip;       \
  ip += 2 * count

#define I32_UNARY(expr)                         \
  {                                             \
    uint16_t a_ = DEC_U16(), d_ = DEC_U16();    \
    int32_t x = R[a_];                          \
    R[d_] = int32_t(expr);                      \
    break;                                      \
  }
#define I32_BINARY(expr)                                     \
  {                                                          \
    uint16_t a_ = DEC_U16(), b_ = DEC_U16(), d_ = DEC_U16(); \
    int32_t x = R[a_], y = R[b_];                            \
    R[d_] = int32_t(expr);                                   \
    break;                                                   \
  }
#define I64_UNARY(expr)                        \
  {                                            \
    uint16_t a_ = DEC_U16(), d_ = DEC_U16();   \
    int64_t x = GetI64(R, a_);                 \
    SetI64(R, d_, int64_t(expr));              \
    break;                                     \
  }
#define I64_BINARY(expr)                                     \
  {                                                          \
    uint16_t a_ = DEC_U16(), b_ = DEC_U16(), d_ = DEC_U16(); \
    int64_t x = GetI64(R, a_), y = GetI64(R, b_);            \
    SetI64(R, d_, int64_t(expr));                            \
    break;                                                   \
  }
#define I64_COMPARE(expr)                                    \
  {                                                          \
    uint16_t a_ = DEC_U16(), b_ = DEC_U16(), d_ = DEC_U16(); \
    int64_t x = GetI64(R, a_), y = GetI64(R, b_);            \
    R[d_] = int32_t(expr);                                   \
    break;                                                   \
  }
#define I64_SHIFT(expr)                                      \
  {                                                          \
    uint16_t a_ = DEC_U16(), b_ = DEC_U16(), d_ = DEC_U16(); \
    int64_t x = GetI64(R, a_);                               \
    int32_t y = R[b_];                                       \
    SetI64(R, d_, int64_t(expr));                            \
    break;                                                   \
  }
// Float ops, instantiated for f32 (T = float) and f64 (T = double).
#define FP_UNARY(GET, SET, expr)               \
  {                                            \
    uint16_t a_ = DEC_U16(), d_ = DEC_U16();   \
    auto x = GET(R, a_);                       \
    SET(R, d_, expr);                          \
    break;                                     \
  }
#define FP_BINARY(GET, SET, expr)                            \
  {                                                          \
    uint16_t a_ = DEC_U16(), b_ = DEC_U16(), d_ = DEC_U16(); \
    auto x = GET(R, a_);                                     \
    auto y = GET(R, b_);                                     \
    SET(R, d_, expr);                                        \
    break;                                                   \
  }
#define FP_COMPARE(GET, expr)                                \
  {                                                          \
    uint16_t a_ = DEC_U16(), b_ = DEC_U16(), d_ = DEC_U16(); \
    auto x = GET(R, a_);                                     \
    auto y = GET(R, b_);                                     \
    R[d_] = int32_t(expr);                                   \
    break;                                                   \
  }
// The step budget is charged on every control transfer (branches and calls): any endless
// execution must take them, and straight-line ops stay free of the check.
#define COUNT_STEP() \
  if (__builtin_expect(--steps_left == 0, 0)) TRAP(DeadlineExceeded("VM step budget exhausted"))
#define SET_I32(regs, r, v) ((regs)[r] = int32_t(v))
#define GET_I32(regs, r) ((regs)[r])

Status Interpreter::Execute(Frame* entry) {
  Status status;
  Frame* frame = entry;
  const uint8_t* code;
  int32_t* R;
  Ref* F;
  LOAD_FRAME();
  const uint8_t* ip = code;
  uint8_t* globals = context_.globals_;
  const uint32_t global_bytes = context_.global_bytes_;
  Ref* global_refs = context_.global_refs_;
  const vmfb::TypeInfo* types = context_.module_->types().data();
  uint64_t steps_left = context_.options_.max_steps ? context_.options_.max_steps + 1 : ~uint64_t(0);

  // Enters internal function `callee`: arguments from `args` (u16 count + registers), results
  // later to `results`; the caller continues at `resume`.
#define ENTER_INTERNAL(callee, args, results, resume)                                  \
  {                                                                                    \
    Frame* next_ = PushFrame(callee, frame);                                           \
    if (!next_) TRAP(ResourceExhausted("VM stack overflow (depth or bytes)"));         \
    StringView kinds_ = next_->function->cconv.arguments;                              \
    uint16_t n_ = LoadLe16(args);                                                      \
    uint16_t i32_ = 0, ref_ = 0;                                                       \
    for (uint16_t k_ = 0; k_ < n_; ++k_) {                                             \
      uint16_t src_ = LoadLe16(args + 2 + 2 * k_);                                     \
      char kind_ = k_ < kinds_.size() ? kinds_[k_] : 'i';                              \
      if (src_ & kRefBit) {                                                            \
        RetainOrMove(F, src_, next_->refs[ref_++]);                                    \
      } else if (kind_ == 'I' || kind_ == 'F') {                                       \
        i32_ = uint16_t((i32_ + 1) & ~1);                                              \
        memcpy(next_->i32 + i32_, R + src_, 8);                                        \
        i32_ += 2;                                                                     \
      } else {                                                                         \
        next_->i32[i32_++] = R[src_];                                                  \
      }                                                                                \
    }                                                                                  \
    next_->return_list = results;                                                      \
    next_->resume_ip = resume;                                                         \
    frame = next_;                                                                     \
    LOAD_FRAME();                                                                      \
    ip = code;                                                                         \
  }

  for (;;) {
    uint8_t opcode = *ip++;
    switch (opcode) {
      case vmfb::kOpcodeBlock:
        break;

      // Globals.
      case 0x00: {  // global.load.i32
        uint32_t offset = DEC_U32();
        memcpy(&R[DEC_U16()], globals + offset, 4);
        break;
      }
      case 0x01: {  // global.store.i32
        uint32_t offset = DEC_U32();
        memcpy(globals + offset, &R[DEC_U16()], 4);
        break;
      }
      case 0x02: {  // global.load.indirect.i32
        uint32_t offset = uint32_t(R[DEC_U16()]);
        uint16_t d = DEC_U16();
        if (!RangeFits(offset, 4, global_bytes)) TRAP(OutOfRange("global offset out of range"));
        memcpy(&R[d], globals + offset, 4);
        break;
      }
      case 0x03: {  // global.store.indirect.i32
        uint32_t offset = uint32_t(R[DEC_U16()]);
        uint16_t v = DEC_U16();
        if (!RangeFits(offset, 4, global_bytes)) TRAP(OutOfRange("global offset out of range"));
        memcpy(globals + offset, &R[v], 4);
        break;
      }
      case 0x04: {  // global.load.i64
        uint32_t offset = DEC_U32();
        memcpy(&R[DEC_U16()], globals + offset, 8);
        break;
      }
      case 0x05: {  // global.store.i64
        uint32_t offset = DEC_U32();
        memcpy(globals + offset, &R[DEC_U16()], 8);
        break;
      }
      case 0x06: {  // global.load.indirect.i64
        uint32_t offset = uint32_t(R[DEC_U16()]);
        uint16_t d = DEC_U16();
        if (!RangeFits(offset, 8, global_bytes)) TRAP(OutOfRange("global offset out of range"));
        memcpy(&R[d], globals + offset, 8);
        break;
      }
      case 0x07: {  // global.store.indirect.i64
        uint32_t offset = uint32_t(R[DEC_U16()]);
        uint16_t v = DEC_U16();
        if (!RangeFits(offset, 8, global_bytes)) TRAP(OutOfRange("global offset out of range"));
        memcpy(globals + offset, &R[v], 8);
        break;
      }
      case 0x08:    // global.load.ref
      case 0x0A: {  // global.load.indirect.ref
        uint32_t ordinal = opcode == 0x08 ? DEC_U32() : uint32_t(R[DEC_U16()]);
        const vmfb::TypeInfo& type = types[DEC_U32()];
        uint16_t d = DEC_U16();
        if (ordinal >= context_.global_ref_count_) TRAP(OutOfRange("ref global out of range"));
        const Ref& global = global_refs[ordinal];
        if (global && type.ref_type != RefType::kNull && global.type() != type.ref_type) {
          TRAP(InvalidArgument("ref global holds a different type"));
        }
        F[d & kRefMask] = global;
        break;
      }
      case 0x09:    // global.store.ref
      case 0x0B: {  // global.store.indirect.ref
        uint32_t ordinal = opcode == 0x09 ? DEC_U32() : uint32_t(R[DEC_U16()]);
        const vmfb::TypeInfo& type = types[DEC_U32()];
        uint16_t v = DEC_U16();
        if (ordinal >= context_.global_ref_count_) TRAP(OutOfRange("ref global out of range"));
        const Ref& value = F[v & kRefMask];
        if (value && type.ref_type != RefType::kNull && value.type() != type.ref_type) {
          TRAP(InvalidArgument("storing a ref of the wrong type into a global"));
        }
        RetainOrMove(F, v, global_refs[ordinal]);
        break;
      }

      // Constants.
      case 0x0C:  // const.i32.zero
        R[DEC_U16()] = 0;
        break;
      case 0x0D: {  // const.i32
        int32_t value = int32_t(DEC_U32());
        R[DEC_U16()] = value;
        break;
      }
      case 0x0E:  // const.i64.zero
        SetI64(R, DEC_U16(), 0);
        break;
      case 0x0F: {  // const.i64
        int64_t value = int64_t(DEC_U64());
        SetI64(R, DEC_U16(), value);
        break;
      }
      case 0x10:  // const.ref.zero
        F[DEC_U16() & kRefMask].Reset();
        break;
      case 0x11: {  // const.ref.rodata
        uint32_t ordinal = DEC_U32();
        F[DEC_U16() & kRefMask] = Ref::Retain(&context_.rodata_[ordinal]);
        break;
      }

      // Lists.
      case 0x12: {  // list.alloc
        const vmfb::TypeInfo& type = types[DEC_U32()];
        int32_t capacity = R[DEC_U16()];
        uint16_t d = DEC_U16();
        if (capacity < 0) TRAP(InvalidArgument("negative list capacity"));
        RefType ref_type;
        ListElement element = ElementFromType(type, &ref_type);
        Result<Ref> list = List::Create(context_.arena_, element, ref_type, size_t(capacity));
        if (!list.ok()) TRAP(list.status());
        F[d & kRefMask] = Move(list.value());
        break;
      }
      case 0x13: {  // list.reserve
        DEC_LIST(list);
        int32_t capacity = R[DEC_U16()];
        if (capacity < 0) TRAP(InvalidArgument("negative list capacity"));
        CHECK_OK(list->Reserve(size_t(capacity)));
        break;
      }
      case 0x14: {  // list.size
        DEC_LIST(list);
        R[DEC_U16()] = int32_t(list->size());
        break;
      }
      case 0x15: {  // list.resize
        DEC_LIST(list);
        int32_t size = R[DEC_U16()];
        if (size < 0) TRAP(InvalidArgument("negative list size"));
        CHECK_OK(list->Resize(size_t(size)));
        break;
      }
      case 0x16: {  // list.get.i32
        DEC_LIST(list);
        int32_t index = R[DEC_U16()];
        CHECK_OK(list->GetI32(size_t(uint32_t(index)), &R[DEC_U16()]));
        break;
      }
      case 0x17: {  // list.set.i32
        DEC_LIST(list);
        int32_t index = R[DEC_U16()];
        CHECK_OK(list->SetI32(size_t(uint32_t(index)), R[DEC_U16()]));
        break;
      }
      case 0x18: {  // list.get.i64
        DEC_LIST(list);
        int32_t index = R[DEC_U16()];
        int64_t value = 0;
        CHECK_OK(list->GetI64(size_t(uint32_t(index)), &value));
        SetI64(R, DEC_U16(), value);
        break;
      }
      case 0x19: {  // list.set.i64
        DEC_LIST(list);
        int32_t index = R[DEC_U16()];
        CHECK_OK(list->SetI64(size_t(uint32_t(index)), GetI64(R, DEC_U16())));
        break;
      }
      case 0x1A: {  // list.get.ref
        DEC_LIST(list);
        int32_t index = R[DEC_U16()];
        const vmfb::TypeInfo& type = types[DEC_U32()];
        Ref& result = F[DEC_U16() & kRefMask];
        CHECK_OK(list->GetRef(size_t(uint32_t(index)), &result));
        if (result && type.value_type == vmfb::ValueType::kRef &&
            type.ref_type != RefType::kNull && result.type() != type.ref_type) {
          result.Reset();
        }
        break;
      }
      case 0x1B: {  // list.set.ref
        DEC_LIST(list);
        int32_t index = R[DEC_U16()];
        uint16_t v = DEC_U16();
        CHECK_OK(list->SetRef(size_t(uint32_t(index)), F[v & kRefMask]));
        if (v & kMoveBit) F[v & kRefMask].Reset();
        break;
      }

      // Select / switch.
      case 0x1C: {  // select.i32
        uint16_t c = DEC_U16(), t = DEC_U16(), f = DEC_U16(), d = DEC_U16();
        R[d] = R[c] ? R[t] : R[f];
        break;
      }
      case 0x1D: {  // select.i64
        uint16_t c = DEC_U16(), t = DEC_U16(), f = DEC_U16(), d = DEC_U16();
        SetI64(R, d, R[c] ? GetI64(R, t) : GetI64(R, f));
        break;
      }
      case 0x1E: {  // select.ref
        uint16_t c = DEC_U16();
        const vmfb::TypeInfo& type = types[DEC_U32()];
        uint16_t t = DEC_U16(), f = DEC_U16(), d = DEC_U16();
        uint16_t chosen = R[c] ? t : f, other = R[c] ? f : t;
        const Ref& value = F[chosen & kRefMask];
        if (value && type.ref_type != RefType::kNull && value.type() != type.ref_type) {
          TRAP(InvalidArgument("select.ref operand of the wrong type"));
        }
        Ref& result = F[d & kRefMask];
        RetainOrMove(F, chosen, result);
        if ((other & kMoveBit) && &F[other & kRefMask] != &result) F[other & kRefMask].Reset();
        break;
      }
      case 0x1F: {  // switch.i32
        int32_t index = R[DEC_U16()];
        uint16_t fallback = DEC_U16();
        DEC_LIST_ANY(values, count);
        uint16_t d = DEC_U16();
        R[d] = (index >= 0 && index < count) ? R[LoadLe16(values + 2 * index)] : R[fallback];
        break;
      }
      case 0x20: {  // switch.i64
        int32_t index = R[DEC_U16()];
        uint16_t fallback = DEC_U16();
        DEC_LIST_ANY(values, count);
        uint16_t d = DEC_U16();
        uint16_t src = (index >= 0 && index < count) ? LoadLe16(values + 2 * index) : fallback;
        SetI64(R, d, GetI64(R, src));
        break;
      }
      case 0x21: {  // switch.ref
        int32_t index = R[DEC_U16()];
        DEC_U32();  // type
        uint16_t fallback = DEC_U16();
        DEC_LIST_ANY(values, count);
        uint16_t d = DEC_U16();
        uint16_t src = (index >= 0 && index < count) ? LoadLe16(values + 2 * index) : fallback;
        RetainOrMove(F, src, F[d & kRefMask]);
        break;
      }

      // Integer arithmetic.
      case 0x22: I32_BINARY(ops::Add32(x, y))
      case 0x23: I32_BINARY(ops::Sub32(x, y))
      case 0x24: I32_BINARY(ops::Mul32(x, y))
      case 0x25: I32_BINARY((ops::DivS<int32_t, uint32_t>(x, y)))
      case 0x26: I32_BINARY(ops::DivU<uint32_t>(uint32_t(x), uint32_t(y)))
      case 0x27: I32_BINARY((ops::RemS<int32_t, uint32_t>(x, y)))
      case 0x28: I32_BINARY(ops::RemU<uint32_t>(uint32_t(x), uint32_t(y)))
      case 0x29: {  // fma.i32
        uint16_t a = DEC_U16(), b = DEC_U16(), c = DEC_U16(), d = DEC_U16();
        R[d] = ops::Add32(ops::Mul32(R[a], R[b]), R[c]);
        break;
      }
      case 0x2A: I64_BINARY(ops::Add64(x, y))
      case 0x2B: I64_BINARY(ops::Sub64(x, y))
      case 0x2C: I64_BINARY(ops::Mul64(x, y))
      case 0x2D: I64_BINARY((ops::DivS<int64_t, uint64_t>(x, y)))
      case 0x2E: I64_BINARY(ops::DivU<uint64_t>(uint64_t(x), uint64_t(y)))
      case 0x2F: I64_BINARY((ops::RemS<int64_t, uint64_t>(x, y)))
      case 0x30: I64_BINARY(ops::RemU<uint64_t>(uint64_t(x), uint64_t(y)))
      case 0x31: {  // fma.i64
        uint16_t a = DEC_U16(), b = DEC_U16(), c = DEC_U16(), d = DEC_U16();
        SetI64(R, d, ops::Add64(ops::Mul64(GetI64(R, a), GetI64(R, b)), GetI64(R, c)));
        break;
      }
      case 0x32: I32_UNARY(~x)
      case 0x33: I32_BINARY(x & y)
      case 0x34: I32_BINARY(x | y)
      case 0x35: I32_BINARY(x ^ y)
      case 0x36: I64_UNARY(~x)
      case 0x37: I64_BINARY(x & y)
      case 0x38: I64_BINARY(x | y)
      case 0x39: I64_BINARY(x ^ y)
      case 0x3A: I32_BINARY(ops::Shl32(x, y))
      case 0x3B: I32_BINARY(ops::ShrS32(x, y))
      case 0x3C: I32_BINARY(ops::ShrU32(x, y))
      case 0x3D: I64_SHIFT(ops::Shl64(x, y))
      case 0x3E: I64_SHIFT(ops::ShrS64(x, y))
      case 0x3F: I64_SHIFT(ops::ShrU64(x, y))
      case 0x40: I32_UNARY(uint8_t(x))
      case 0x41: I32_UNARY(uint16_t(x))
      case 0x42: {  // trunc.i64.i32
        uint16_t a = DEC_U16(), d = DEC_U16();
        R[d] = int32_t(GetI64(R, a));
        break;
      }
      case 0x43: I32_UNARY(int8_t(x))
      case 0x44: I32_UNARY(uint8_t(x))
      case 0x45: I32_UNARY(int16_t(x))
      case 0x46: I32_UNARY(uint16_t(x))
      case 0x47: {  // ext.i32.i64.s
        uint16_t a = DEC_U16(), d = DEC_U16();
        SetI64(R, d, int64_t(R[a]));
        break;
      }
      case 0x48: {  // ext.i32.i64.u
        uint16_t a = DEC_U16(), d = DEC_U16();
        SetI64(R, d, int64_t(uint32_t(R[a])));
        break;
      }

      // Comparisons.
      case 0x49: I32_BINARY(x == y)
      case 0x4A: I32_BINARY(x != y)
      case 0x4B: I32_BINARY(x < y)
      case 0x4C: I32_BINARY(uint32_t(x) < uint32_t(y))
      case 0x4D: I32_UNARY(x != 0)
      case 0x4E: I64_COMPARE(x == y)
      case 0x4F: I64_COMPARE(x != y)
      case 0x50: I64_COMPARE(x < y)
      case 0x51: I64_COMPARE(uint64_t(x) < uint64_t(y))
      case 0x52: {  // cmp.nz.i64
        uint16_t a = DEC_U16(), d = DEC_U16();
        R[d] = GetI64(R, a) != 0;
        break;
      }
      case 0x53:
      case 0x54: {  // cmp.eq.ref / cmp.ne.ref
        uint16_t a = DEC_U16(), b = DEC_U16(), d = DEC_U16();
        bool equal = F[a & kRefMask].get() == F[b & kRefMask].get();
        R[d] = opcode == 0x53 ? equal : !equal;
        break;
      }
      case 0x55: {  // cmp.nz.ref
        uint16_t a = DEC_U16(), d = DEC_U16();
        R[d] = F[a & kRefMask] ? 1 : 0;
        break;
      }

      // Control flow.
      case 0x56:    // br
      case 0x5D:    // yield (synchronous: a branch)
      case 0x61: {  // break (no debugger: a branch)
        COUNT_STEP();
        uint32_t target = DEC_U32();
        ip = Align2(code, ip);
        Remap(R, F, ip);
        ip = code + target + 1;
        break;
      }
      case 0x60: {  // cond_break
        COUNT_STEP();
        DEC_U16();
        uint32_t target = DEC_U32();
        ip = Align2(code, ip);
        Remap(R, F, ip);
        ip = code + target + 1;
        break;
      }
      case 0x57: {  // cond_br
        COUNT_STEP();
        int32_t condition = R[DEC_U16()];
        uint32_t true_target = DEC_U32();
        ip = Align2(code, ip);
        const uint8_t* true_list = ip;
        ip = SkipRemap(ip);
        uint32_t false_target = DEC_U32();
        ip = Align2(code, ip);
        if (condition) {
          Remap(R, F, true_list);
          ip = code + true_target + 1;
        } else {
          Remap(R, F, ip);
          ip = code + false_target + 1;
        }
        break;
      }
      case 0x83: {  // br_table
        COUNT_STEP();
        int32_t index = R[DEC_U16()];
        uint32_t target = DEC_U32();
        ip = Align2(code, ip);
        const uint8_t* list = ip;
        ip = SkipRemap(ip);
        uint16_t count = DEC_U16();
        if (index >= 0 && index < count) {
          for (int32_t k = 0; k < index; ++k) {
            ip += 4;
            ip = SkipRemap(Align2(code, ip));
          }
          target = DEC_U32();
          list = Align2(code, ip);
        }
        Remap(R, F, list);
        ip = code + target + 1;
        break;
      }
      case 0x58:    // call
      case 0x59:    // call.variadic
      case 0x87:    // call.yieldable
      case 0x88: {  // call.variadic.yieldable
        COUNT_STEP();
        uint32_t callee = DEC_U32();
        const uint8_t* segments = nullptr;
        if (opcode == 0x59 || opcode == 0x88) {
          ip = Align2(code, ip);
          segments = ip;
          ip += 2 + 2 * LoadLe16(ip);
        }
        ip = Align2(code, ip);
        const uint8_t* args = ip;
        ip += 2 + 2 * LoadLe16(ip);
        const uint8_t* resume = nullptr;
        if (opcode == 0x87 || opcode == 0x88) resume = code + DEC_U32() + 1;
        ip = Align2(code, ip);
        const uint8_t* results = ip;
        ip += 2 + 2 * LoadLe16(ip);
        if (!resume) resume = ip;
        if (callee & 0x80000000u) {
          CHECK_OK(CallImport(frame, callee & 0x7FFFFFFFu, args, segments, results));
          ip = resume;
        } else {
          ENTER_INTERNAL(callee, args, results, resume)
        }
        break;
      }
      case 0x5A: {  // return
        ip = Align2(code, ip);
        const uint8_t* list = ip + 2;
        uint16_t count = LoadLe16(ip);
        StringView kinds = frame->function->cconv.results;
        if (frame == entry) {
          for (uint16_t k = 0; k < count && k < kinds.size(); ++k) {
            uint16_t src = LoadLe16(list + 2 * k);
            Value& out = host_results_[k];
            switch (kinds[k]) {
              case 'i': out = Value::I32(R[src]); break;
              case 'f': out = Value::F32(GetF32(R, src)); break;
              case 'I': out = Value::I64(GetI64(R, src)); break;
              case 'F': out = Value::F64(GetF64(R, src)); break;
              default:
                out = Value::FromRef(Ref());
                RetainOrMove(F, src, out.ref);
                break;
            }
          }
          PopFrame(frame);
          return OkStatus();
        }
        Frame* caller = frame->caller;
        const uint8_t* destinations = frame->return_list + 2;
        for (uint16_t k = 0; k < count; ++k) {
          uint16_t src = LoadLe16(list + 2 * k), dst = LoadLe16(destinations + 2 * k);
          if (src & kRefBit) {
            RetainOrMove(F, src, caller->refs[dst & kRefMask]);
          } else if (k < kinds.size() && (kinds[k] == 'I' || kinds[k] == 'F')) {
            memcpy(caller->i32 + dst, R + src, 8);
          } else {
            caller->i32[dst] = R[src];
          }
        }
        ip = frame->resume_ip;
        PopFrame(frame);
        frame = caller;
        LOAD_FRAME();
        break;
      }
      case 0x5B: {  // fail
        uint32_t code_value = uint32_t(R[DEC_U16()]);
        uint16_t length = DEC_U16();
        const char* text = reinterpret_cast<const char*>(ip);
        ip += length;
        TRAP(Status(CodeFromIree(code_value),
                    context_.message_.Set("vm.fail (status %u): %.*s", code_value, int(length),
                                          text)));
      }
      case 0x5C: {  // import.resolved
        uint32_t ordinal = DEC_U32() & 0x7FFFFFFFu;
        R[DEC_U16()] = context_.ImportResolved(ordinal) ? 1 : 0;
        break;
      }
      case 0x5E:    // trace
      case 0x5F: {  // print
        uint16_t length = DEC_U16();
        ip += length;
        DEC_LIST_ANY(operands, count);
        (void)operands;
        (void)count;
        break;
      }

      // Buffers.
      case 0x62:
      case 0x63:
      case 0x64:
      case 0x65:
      case 0x66: {  // buffer.load.i8.u/s, i16.u/s, i32
        DEC_BUFFER(buffer);
        int64_t index = GetI64(R, DEC_U16());
        uint16_t d = DEC_U16();
        bool ok = false;
        switch (opcode) {
          case 0x62: { uint8_t v; ok = LoadElement(buffer, index, &v); R[d] = v; break; }
          case 0x63: { int8_t v; ok = LoadElement(buffer, index, &v); R[d] = v; break; }
          case 0x64: { uint16_t v; ok = LoadElement(buffer, index, &v); R[d] = v; break; }
          case 0x65: { int16_t v; ok = LoadElement(buffer, index, &v); R[d] = v; break; }
          default: ok = LoadElement(buffer, index, &R[d]); break;
        }
        if (!ok) TRAP(kLoadRange);
        break;
      }
      case 0x67: {  // buffer.load.i64
        DEC_BUFFER(buffer);
        int64_t index = GetI64(R, DEC_U16());
        int64_t value = 0;
        if (!LoadElement(buffer, index, &value)) TRAP(kLoadRange);
        SetI64(R, DEC_U16(), value);
        break;
      }
      case 0x68:
      case 0x69:
      case 0x6A: {  // buffer.store.i8/i16/i32
        DEC_BUFFER(buffer);
        int64_t index = GetI64(R, DEC_U16());
        int32_t value = R[DEC_U16()];
        if (opcode == 0x68) {
          CHECK_OK(StoreElement(buffer, index, uint8_t(value)));
        } else if (opcode == 0x69) {
          CHECK_OK(StoreElement(buffer, index, uint16_t(value)));
        } else {
          CHECK_OK(StoreElement(buffer, index, value));
        }
        break;
      }
      case 0x6B: {  // buffer.store.i64
        DEC_BUFFER(buffer);
        int64_t index = GetI64(R, DEC_U16());
        CHECK_OK(StoreElement(buffer, index, GetI64(R, DEC_U16())));
        break;
      }
      case 0x6C: {  // buffer.alloc
        int64_t length = GetI64(R, DEC_U16());
        int32_t alignment = R[DEC_U16()];
        uint16_t d = DEC_U16();
        if (length < 0 || uint64_t(length) > SIZE_MAX) TRAP(InvalidArgument("bad buffer length"));
        Result<Ref> buffer = Buffer::Allocate(context_.arena_, size_t(length), size_t(alignment));
        if (!buffer.ok()) TRAP(buffer.status());
        F[d & kRefMask] = Move(buffer.value());
        break;
      }
      case 0x6D: {  // buffer.clone
        DEC_BUFFER(source);
        int64_t offset = GetI64(R, DEC_U16());
        int64_t length = GetI64(R, DEC_U16());
        int32_t alignment = R[DEC_U16()];
        uint16_t d = DEC_U16();
        if (!ByteRange(source, offset, length)) TRAP(OutOfRange("buffer.clone range out of bounds"));
        Result<Ref> clone = Buffer::Copy(
            context_.arena_, ByteSpan(source->data() + offset, size_t(length)), size_t(alignment));
        if (!clone.ok()) TRAP(clone.status());
        F[d & kRefMask] = Move(clone.value());
        break;
      }
      case 0x6E: {  // buffer.length
        DEC_BUFFER(buffer);
        SetI64(R, DEC_U16(), int64_t(buffer->length()));
        break;
      }
      case 0x6F: {  // buffer.copy
        DEC_BUFFER(source);
        int64_t source_offset = GetI64(R, DEC_U16());
        DEC_BUFFER(target);
        int64_t target_offset = GetI64(R, DEC_U16());
        int64_t length = GetI64(R, DEC_U16());
        if (!ByteRange(source, source_offset, length) || !ByteRange(target, target_offset, length)) {
          TRAP(OutOfRange("buffer.copy range out of bounds"));
        }
        if (!target->writable()) TRAP(FailedPrecondition("vm.buffer is read-only"));
        memmove(target->mutable_data() + target_offset, source->data() + source_offset,
                size_t(length));
        break;
      }
      case 0x70: {  // buffer.compare
        DEC_BUFFER(lhs);
        int64_t lhs_offset = GetI64(R, DEC_U16());
        DEC_BUFFER(rhs);
        int64_t rhs_offset = GetI64(R, DEC_U16());
        int64_t length = GetI64(R, DEC_U16());
        uint16_t d = DEC_U16();
        if (!ByteRange(lhs, lhs_offset, length) || !ByteRange(rhs, rhs_offset, length)) {
          TRAP(OutOfRange("buffer.compare range out of bounds"));
        }
        R[d] = memcmp(lhs->data() + lhs_offset, rhs->data() + rhs_offset, size_t(length)) == 0;
        break;
      }
      case 0x71:
      case 0x72:
      case 0x73: {  // buffer.fill.i8/i16/i32
        DEC_BUFFER(buffer);
        int64_t offset = GetI64(R, DEC_U16());
        int64_t length = GetI64(R, DEC_U16());
        int32_t value = R[DEC_U16()];
        if (opcode == 0x71) {
          CHECK_OK(FillElements(buffer, offset, length, uint8_t(value)));
        } else if (opcode == 0x72) {
          CHECK_OK(FillElements(buffer, offset, length, uint16_t(value)));
        } else {
          CHECK_OK(FillElements(buffer, offset, length, value));
        }
        break;
      }
      case 0x74: {  // buffer.fill.i64
        DEC_BUFFER(buffer);
        int64_t offset = GetI64(R, DEC_U16());
        int64_t length = GetI64(R, DEC_U16());
        CHECK_OK(FillElements(buffer, offset, length, GetI64(R, DEC_U16())));
        break;
      }
      case 0x84: {  // buffer.hash
        DEC_BUFFER(buffer);
        int64_t offset = GetI64(R, DEC_U16());
        int64_t length = GetI64(R, DEC_U16());
        uint16_t d = DEC_U16();
        if (!ByteRange(buffer, offset, length)) TRAP(OutOfRange("buffer.hash range out of bounds"));
        SetI64(R, d, int64_t(BufferHash(buffer->data() + offset, size_t(length))));
        break;
      }

      case 0x75: I32_UNARY(ops::Ctlz32(x))
      case 0x76: I64_UNARY(ops::Ctlz64(x))
      case 0x77: I32_UNARY(ops::Abs32(x))
      case 0x78: I64_UNARY(ops::Abs64(x))
      case 0x7A: I32_BINARY(x < y ? x : y)
      case 0x7B: I32_BINARY(uint32_t(x) < uint32_t(y) ? x : y)
      case 0x7C: I32_BINARY(x < y ? y : x)
      case 0x7D: I32_BINARY(uint32_t(x) < uint32_t(y) ? y : x)
      case 0x7E: I64_BINARY(x < y ? x : y)
      case 0x7F: I64_BINARY(uint64_t(x) < uint64_t(y) ? x : y)
      case 0x80: I64_BINARY(x < y ? y : x)
      case 0x81: I64_BINARY(uint64_t(x) < uint64_t(y) ? y : x)

      // Refs.
      case 0x82: {  // cast.any.ref
        uint16_t a = DEC_U16();
        const vmfb::TypeInfo& type = types[DEC_U32()];
        uint16_t d = DEC_U16();
        const Ref& value = F[a & kRefMask];
        if (value && type.value_type == vmfb::ValueType::kRef &&
            type.ref_type != RefType::kNull && value.type() != type.ref_type) {
          TRAP(InvalidArgument("cast.any.ref: ref is of another type"));
        }
        RetainOrMove(F, a, F[d & kRefMask]);
        break;
      }
      case 0x85: {  // discard.refs
        DEC_LIST_ANY(refs, count);
        for (uint16_t k = 0; k < count; ++k) {
          uint16_t r = LoadLe16(refs + 2 * k);
          if (r & kRefBit) F[r & kRefMask].Reset();
        }
        break;
      }
      case 0x86: {  // assign.ref
        uint16_t a = DEC_U16(), d = DEC_U16();
        RetainOrMove(F, a, F[d & kRefMask]);
        break;
      }

      case vmfb::kPrefixExtF32: {
        uint8_t ext = *ip++;
        switch (ext) {
#define SET_F(regs, r, v) SetF32(regs, r, float(v))
#define GET_F GetF32
#define FP_T float
#define MATH(f32_name, f64_name) f32_name
#define MATH_BASE 0x1A
#include "runtime/vm/dispatch_float.inc"
#undef SET_F
#undef GET_F
#undef FP_T
#undef MATH
#undef MATH_BASE
          case 0x14: FP_UNARY(GET_I32, SetF32, float(x))  // cast.si32.f32
          case 0x15: FP_UNARY(GET_I32, SetF32, float(uint32_t(x)))
          case 0x16: FP_UNARY(GetF32, SET_I32, ops::CastF32SI32(x))
          case 0x17: FP_UNARY(GetF32, SET_I32, ops::CastF32UI32(x))
          case 0x18: FP_UNARY(GET_I32, SET_I32, x)  // bitcast.i32.f32
          case 0x19: FP_UNARY(GET_I32, SET_I32, x)  // bitcast.f32.i32
          case 0x3A: FP_UNARY(GetF32, SetI64, ops::CastF32SI64(x))
          case 0x3B: FP_UNARY(GetF32, SetI64, ops::CastF32UI64(x))
          case 0x3C: FP_UNARY(GetI64, SetF32, float(x))
          case 0x3D: FP_UNARY(GetI64, SetF32, float(uint64_t(x)))
          default:
            TRAP(Unimplemented("unknown ExtF32 opcode"));
        }
        break;
      }
      case vmfb::kPrefixExtF64: {
        uint8_t ext = *ip++;
        switch (ext) {
#define SET_F(regs, r, v) SetF64(regs, r, double(v))
#define GET_F GetF64
#define FP_T double
#define MATH(f32_name, f64_name) f64_name
#define MATH_BASE 0x20
#include "runtime/vm/dispatch_float.inc"
#undef SET_F
#undef GET_F
#undef FP_T
#undef MATH
#undef MATH_BASE
          case 0x14: FP_UNARY(GetF64, SetF32, float(x))   // trunc.f64.f32
          case 0x15: FP_UNARY(GetF32, SetF64, double(x))  // ext.f32.f64
          case 0x16: FP_UNARY(GET_I32, SetF64, double(x))
          case 0x17: FP_UNARY(GET_I32, SetF64, double(uint32_t(x)))
          case 0x18: FP_UNARY(GetF64, SET_I32, ops::CastF64SI32(x))
          case 0x19: FP_UNARY(GetF64, SET_I32, ops::CastF64UI32(x))
          case 0x1A: FP_UNARY(GetI64, SetF64, double(x))
          case 0x1B: FP_UNARY(GetI64, SetF64, double(uint64_t(x)))
          case 0x1C: FP_UNARY(GetF64, SetI64, ops::CastF64SI64(x))
          case 0x1D: FP_UNARY(GetF64, SetI64, ops::CastF64UI64(x))
          case 0x1E: FP_UNARY(GetI64, SetI64, x)  // bitcast.i64.f64
          case 0x1F: FP_UNARY(GetI64, SetI64, x)  // bitcast.f64.i64
          default:
            TRAP(Unimplemented("unknown ExtF64 opcode"));
        }
        break;
      }

      default:
        TRAP(Unimplemented("unknown opcode"));
    }
  }

trap:
  return Trap(status, frame, ip);
#undef ENTER_INTERNAL
}

}  // namespace bmrt::vm
