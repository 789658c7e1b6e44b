#include "runtime/vm/test_module.h"

#include "runtime/vm/buffer.h"

namespace bmrt::vm {

namespace {

Status Add(NativeCall&, ArgReader& args, ResultWriter& results) {
  uint32_t a = args.ReadU32(), b = args.ReadU32();
  results.WriteI32(int32_t(a + b));
  return OkStatus();
}

Status AddI64(NativeCall&, ArgReader& args, ResultWriter& results) {
  uint64_t a = uint64_t(args.ReadI64()), b = uint64_t(args.ReadI64());
  results.WriteI64(int64_t(a + b));
  return OkStatus();
}

Status Scale(NativeCall&, ArgReader& args, ResultWriter& results) {
  float a = args.ReadF32(), b = args.ReadF32();
  results.WriteF32(a * b);
  return OkStatus();
}

Status Sum(NativeCall&, ArgReader& args, ResultWriter& results) {
  uint64_t sum = uint64_t(args.ReadI64());
  int32_t count = args.BeginList();
  for (int32_t i = 0; i < count; ++i) {
    int64_t a = args.ReadI32();
    sum += uint64_t(a) * uint64_t(args.ReadI64());
  }
  args.EndList();
  results.WriteI64(int64_t(sum));
  results.WriteI32(count);
  return OkStatus();
}

Status MakeBuffer(NativeCall& call, ArgReader& args, ResultWriter& results) {
  int32_t length = args.ReadI32(), fill = args.ReadI32();
  if (length < 0) return InvalidArgument("make_buffer: negative length");
  Result<Ref> buffer = Buffer::Allocate(*call.arena, size_t(length));
  if (!buffer.ok()) return buffer.status();
  Buffer* b = buffer->As<Buffer>();
  for (int32_t i = 0; i < length; ++i) b->mutable_data()[i] = uint8_t(fill + i);
  results.WriteRef(Move(buffer.value()));
  return OkStatus();
}

Status BufferSum(NativeCall&, ArgReader& args, ResultWriter& results) {
  Buffer* buffer = args.ReadRefAs<Buffer>();
  if (!buffer) return InvalidArgument("buffer_sum: expected a vm.buffer");
  uint32_t sum = 0;
  for (size_t i = 0; i < buffer->length(); ++i) sum += buffer->data()[i];
  results.WriteI32(int32_t(sum));
  return OkStatus();
}

Status Fail(NativeCall& call, ArgReader& args, ResultWriter&) {
  int32_t code = args.ReadI32();
  return Status(StatusCode::kAborted, call.message->Set("native_test.fail called with %d", code));
}

constexpr NativeFunction kFunctions[] = {
    {"add", "0ii_i", &Add},
    {"add_i64", "0II_I", &AddI64},
    {"buffer_sum", "0r_i", &BufferSum},
    {"fail", "0i_v", &Fail},
    {"make_buffer", "0ii_r", &MakeBuffer},
    {"scale", "0ff_f", &Scale},
    {"sum", "0ICiID_Ii", &Sum},
};

}  // namespace

const NativeModuleDef kNativeTestModule = {"native_test", 1, kFunctions};

}  // namespace bmrt::vm
