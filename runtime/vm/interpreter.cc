#include "runtime/vm/interpreter.h"

#include <math.h>
#include <string.h>

#include "runtime/base/byte_reader.h"
#include "runtime/base/utility.h"
#include "runtime/vm/buffer.h"
#include "runtime/vm/list.h"
#include "runtime/vm/ops.h"
#include "runtime/vm/registers.h"
#include "runtime/vm/stack_bound.h"
#include "runtime/vmfb/op_table.h"

namespace bmrt::vm {

namespace {


inline uint64_t Rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

}  // namespace

uint64_t BufferHash(const uint8_t* data, size_t length) {
  const uint64_t k0 = 0x0706050403020100ull, k1 = 0x0F0E0D0C0B0A0908ull;
  uint64_t v0 = 0x736f6d6570736575ull ^ k0, v1 = 0x646f72616e646f6dull ^ k1;
  uint64_t v2 = 0x6c7967656e657261ull ^ k0, v3 = 0x7465646279746573ull ^ k1;
  auto round = [&]() {
    v0 += v1; v1 = Rotl(v1, 13); v1 ^= v0; v0 = Rotl(v0, 32);
    v2 += v3; v3 = Rotl(v3, 16); v3 ^= v2;
    v0 += v3; v3 = Rotl(v3, 21); v3 ^= v0;
    v2 += v1; v1 = Rotl(v1, 17); v1 ^= v2; v2 = Rotl(v2, 32);
  };
  size_t full = length & ~size_t(7);
  for (size_t i = 0; i < full; i += 8) {
    uint64_t m = LoadLe64(data + i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  uint64_t last = uint64_t(length & 0xFF) << 56;
  for (size_t i = 0; i < (length & 7); ++i) last |= uint64_t(data[full + i]) << (8 * i);
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xFF;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

Frame* Interpreter::PushFrame(uint32_t function_ordinal, Frame* caller) {
  const vmfb::FunctionInfo& function = context_.module_->functions()[function_ordinal];
  uint32_t depth = caller ? caller->depth + 1 : 0;
  if (depth >= context_.options_.max_depth) return nullptr;
  size_t start = AlignUp(stack_used_, 16);
  size_t i32_bytes = AlignUp(size_t(function.i32_register_count) * 4, 16);
  size_t ref_bytes = size_t(function.ref_register_count) * sizeof(Ref);
  size_t end = start + FrameBytes(function);
  if (end > context_.stack_bytes_) return nullptr;
  uint8_t* base = context_.stack_ + start;
  Frame* frame = reinterpret_cast<Frame*>(base);
  frame->caller = caller;
  frame->function = &function;
  frame->i32 = reinterpret_cast<int32_t*>(base + AlignUp(sizeof(Frame), 16));
  frame->refs = reinterpret_cast<Ref*>(base + AlignUp(sizeof(Frame), 16) + i32_bytes);
  frame->return_list = nullptr;
  frame->resume_ip = nullptr;
  frame->stack_mark = stack_used_;
  frame->depth = depth;
  // Zeroed registers: null refs, deterministic values.
  memset(frame->i32, 0, i32_bytes + ref_bytes);
  stack_used_ = end;
  return frame;
}

void Interpreter::PopFrame(Frame* frame) {
  Ref* refs = frame->refs;
  for (uint16_t i = 0, n = frame->function->ref_register_count; i < n; ++i) refs[i].Reset();
  stack_used_ = frame->stack_mark;
}

Status Interpreter::Trap(Status status, Frame* frame, const uint8_t* ip) {
  const vmfb::FunctionInfo& function = *frame->function;
  uint32_t pc = uint32_t(ip - function.bytecode.data());
  uint32_t ordinal = uint32_t(&function - context_.module_->functions().data());
  const char* detail = status.message();
  // The message may already live in the context's message buffer: copy it out first.
  char copy[sizeof(context_.message_.text)];
  Format(copy, sizeof(copy), "%s", detail);
  Status result(status.code(),
                context_.message_.Set("%s (function %u '%.*s' near pc 0x%x)", copy, ordinal,
                                      int(function.name.size()), function.name.data(), pc));
  // Unwind every frame of this invocation.
  while (frame) {
    Frame* caller = frame->caller;
    PopFrame(frame);
    frame = caller;
  }
  return result;
}

Status Interpreter::Run(uint32_t function_ordinal, Span<const Value> args, Span<Value> results,
                        size_t* result_count) {
  Frame* frame = PushFrame(function_ordinal, nullptr);
  if (!frame) return ResourceExhausted("VM stack too small for the entry frame");
  const vmfb::Cconv& cconv = frame->function->cconv;
  size_t expected = 0;
  uint16_t i32_cursor = 0, ref_cursor = 0;
  Status status;
  for (size_t i = 0; i < cconv.arguments.size() && status.ok(); ++i) {
    char kind = cconv.arguments[i];
    if (expected >= args.size()) {
      status = InvalidArgument("too few arguments for the function's signature");
      break;
    }
    const Value& arg = args[expected++];
    switch (kind) {
      case 'i':
      case 'f':
        if (arg.type != (kind == 'i' ? ValueType::kI32 : ValueType::kF32)) {
          status = InvalidArgument("argument type does not match the function's signature");
        }
        frame->i32[i32_cursor++] = arg.i32();
        break;
      case 'I':
      case 'F':
        if (arg.type != (kind == 'I' ? ValueType::kI64 : ValueType::kF64)) {
          status = InvalidArgument("argument type does not match the function's signature");
        }
        i32_cursor = uint16_t(AlignUp(i32_cursor, 2));
        SetI64(frame->i32, i32_cursor, arg.i64());
        i32_cursor += 2;
        break;
      case 'r':
        if (arg.type != ValueType::kRef && arg.type != ValueType::kNone) {
          status = InvalidArgument("argument type does not match the function's signature");
        }
        frame->refs[ref_cursor++] = arg.ref;
        break;
      default:
        status = Unimplemented("unsupported argument kind in an exported signature");
    }
  }
  if (status.ok() && expected != args.size()) {
    status = InvalidArgument("too many arguments for the function's signature");
  }
  if (status.ok() && cconv.results.size() > results.size()) {
    status = InvalidArgument("result storage too small for the function's signature");
  }
  if (!status.ok()) {
    PopFrame(frame);
    return status;
  }
  host_results_ = results;
  status = Execute(frame);
  *result_count = status.ok() ? cconv.results.size() : 0;
  return status;
}

Status Interpreter::CallImport(Frame* frame, uint32_t import_ordinal, const uint8_t* args,
                               const uint8_t* segments, const uint8_t* results) {
  const Context::ImportEntry& import = context_.imports_[import_ordinal];
  if (!import.function) return NotFound("call to an optional import that is not resolved");
  uint16_t arg_count = LoadLe16(args);
  ArgReader reader(frame->i32, frame->refs, args + 2, arg_count, segments ? segments + 2 : nullptr,
                   segments ? LoadLe16(segments) : 0);
  ResultWriter writer;
  NativeCall call{import.state, &context_.arena_, &context_.message_};
  Status status = import.function->fn(call, reader, writer);
  if (!status.ok()) return status;
  for (uint16_t i = 0; i < arg_count; ++i) {
    uint16_t operand = LoadLe16(args + 2 + 2 * i);
    if ((operand & (kRefBit | kMoveBit)) == (kRefBit | kMoveBit)) frame->refs[operand & kRefMask].Reset();
  }
  StringView kinds = import.results;
  uint16_t result_count = LoadLe16(results);
  if (writer.count() != kinds.size() || result_count != kinds.size()) {
    return Internal("native function produced a different number of results than its cconv");
  }
  for (uint16_t i = 0; i < result_count; ++i) {
    uint16_t dst = LoadLe16(results + 2 + 2 * i);
    ResultWriter::Kind kind = writer.kind(i);
    switch (kinds[i]) {
      case 'i':
      case 'f':
        if (kind != ResultWriter::Kind::kI32 && kind != ResultWriter::Kind::kF32) break;
        frame->i32[dst] = int32_t(uint32_t(writer.bits(i)));
        continue;
      case 'I':
      case 'F':
        if (kind != ResultWriter::Kind::kI64 && kind != ResultWriter::Kind::kF64) break;
        SetI64(frame->i32, dst, int64_t(writer.bits(i)));
        continue;
      case 'r':
        if (kind != ResultWriter::Kind::kRef) break;
        frame->refs[dst & kRefMask] = writer.TakeRef(i);
        continue;
      default:
        break;
    }
    return Internal("native function result kind does not match its cconv");
  }
  return OkStatus();
}

}  // namespace bmrt::vm
