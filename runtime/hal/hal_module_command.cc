// hal.command_buffer.* and hal.executable.*.
#include "runtime/base/utility.h"
#include "runtime/hal/command_buffer.h"
#include "runtime/hal/device.h"
#include "runtime/hal/executable.h"
#include "runtime/hal/hal_module_internal.h"

namespace bmrt::hal::module {

namespace {

constexpr size_t kMaxBindings = CommandBuffer::kMaxBindings;
constexpr size_t kMaxConstants = abi::kMaxConstants;

// Reads the trailing (constants..., bindings...) lists shared by both dispatch forms.
Status ReadDispatchOperands(ArgReader& args, uint32_t (&constants)[kMaxConstants],
                            size_t* constant_count, BufferRef (&bindings)[kMaxBindings],
                            size_t* binding_count) {
  int32_t count = args.BeginList();
  for (int32_t i = 0; i < count; ++i) {
    uint32_t value = args.ReadU32();
    if (size_t(i) < kMaxConstants) constants[i] = value;
  }
  args.EndList();
  *constant_count = size_t(count < 0 ? 0 : count);
  int32_t binding_total = args.BeginList();
  for (int32_t i = 0; i < binding_total; ++i) {
    BufferRef ref;
    args.ReadI32();  // reserved
    ref.slot = args.ReadU32();
    ref.buffer = args.ReadRefAs<Buffer>();
    ref.offset = uint64_t(args.ReadI64());
    ref.length = uint64_t(args.ReadI64());
    if (size_t(i) < kMaxBindings) bindings[i] = ref;
  }
  args.EndList();
  *binding_count = size_t(binding_total < 0 ? 0 : binding_total);
  if (*constant_count > kMaxConstants || *binding_count > kMaxBindings) {
    return InvalidArgument("hal.command_buffer.dispatch: more than 64 constants or bindings");
  }
  return OkStatus();
}

Result<uint32_t> FunctionOrdinal(NativeCall& call, const Executable& executable, int64_t id) {
  if (id < 0 || uint64_t(id) >= executable.export_count()) {
    return Status(StatusCode::kOutOfRange,
                  call.message->Set("hal.command_buffer.dispatch: function id %lld of %u",
                                    (long long)id, unsigned(executable.export_count())));
  }
  return uint32_t(id);
}

// What both dispatch forms read after their workgroup-count operands: flags, the constant and
// binding lists; and the checks they share.
struct DispatchOperands {
  uint32_t constants[kMaxConstants];
  BufferRef bindings[kMaxBindings];
  size_t constant_count = 0, binding_count = 0;
  uint32_t ordinal = 0;

  Span<const uint32_t> constant_span() const { return {constants, constant_count}; }
  Span<const BufferRef> binding_span() const { return {bindings, binding_count}; }
};

Status ReadDispatchTail(NativeCall& call, ArgReader& args, CommandBuffer* command_buffer,
                        Executable* executable, int64_t function_id, DispatchOperands& out) {
  args.ReadI64();  // flags
  BMRT_RETURN_IF_ERROR(ReadDispatchOperands(args, out.constants, &out.constant_count,
                                            out.bindings, &out.binding_count));
  BMRT_RETURN_IF_ERROR(Require(call, command_buffer, "command buffer"));
  BMRT_RETURN_IF_ERROR(Require(call, executable, "executable"));
  BMRT_ASSIGN_OR_RETURN(out.ordinal, FunctionOrdinal(call, *executable, function_id));
  return OkStatus();
}

}  // namespace

BMRT_HAL_FUNCTION(CommandBufferCreate) {
  Device* device = args.ReadRefAs<Device>();
  uint32_t modes = args.ReadU32();
  uint32_t categories = args.ReadU32();
  args.ReadI64();  // queue affinity
  uint32_t binding_capacity = args.ReadU32();
  BMRT_RETURN_IF_ERROR(Require(call, device, "device"));
  BMRT_ASSIGN_OR_RETURN(CommandBuffer * command_buffer,
                        CommandBuffer::Create(device->arena(), modes, categories, binding_capacity));
  results.WriteRef(vm::Ref::Adopt(command_buffer));
  return OkStatus();
}

BMRT_HAL_FUNCTION(CommandBufferFinalize) {
  CommandBuffer* command_buffer = args.ReadRefAs<CommandBuffer>();
  BMRT_RETURN_IF_ERROR(Require(call, command_buffer, "command buffer"));
  return command_buffer->Finalize();
}

// Debug groups and buffer advice only annotate; they have no effect on this device.
BMRT_HAL_FUNCTION(CommandBufferBeginDebugGroup) {
  BMRT_RETURN_IF_ERROR(Require(call, args.ReadRefAs<CommandBuffer>(), "command buffer"));
  args.ReadRefAs<vm::Buffer>();
  return OkStatus();
}

BMRT_HAL_FUNCTION(CommandBufferEndDebugGroup) {
  return Require(call, args.ReadRefAs<CommandBuffer>(), "command buffer");
}

BMRT_HAL_FUNCTION(CommandBufferAdviseBuffer) {
  return Require(call, args.ReadRefAs<CommandBuffer>(), "command buffer");
}

BMRT_HAL_FUNCTION(CommandBufferExecutionBarrier) {
  CommandBuffer* command_buffer = args.ReadRefAs<CommandBuffer>();
  BMRT_RETURN_IF_ERROR(Require(call, command_buffer, "command buffer"));
  return command_buffer->Barrier();
}

BMRT_HAL_FUNCTION(CommandBufferFillBuffer) {
  CommandBuffer* command_buffer = args.ReadRefAs<CommandBuffer>();
  BufferRef target;
  target.buffer = args.ReadRefAs<Buffer>();
  target.offset = uint64_t(args.ReadI64());
  target.length = uint64_t(args.ReadI64());
  target.slot = args.ReadU32();
  uint64_t pattern = uint64_t(args.ReadI64());
  uint32_t pattern_length = args.ReadU32();
  BMRT_RETURN_IF_ERROR(Require(call, command_buffer, "command buffer"));
  return command_buffer->Fill(target, pattern, pattern_length);
}

BMRT_HAL_FUNCTION(CommandBufferUpdateBuffer) {
  CommandBuffer* command_buffer = args.ReadRefAs<CommandBuffer>();
  vm::Buffer* source = args.ReadRefAs<vm::Buffer>();
  int64_t source_offset = args.ReadI64();
  BufferRef target;
  target.buffer = args.ReadRefAs<Buffer>();
  target.offset = uint64_t(args.ReadI64());
  target.length = uint64_t(args.ReadI64());
  target.slot = args.ReadU32();
  BMRT_RETURN_IF_ERROR(Require(call, command_buffer, "command buffer"));
  BMRT_RETURN_IF_ERROR(Require(call, source, "source buffer"));
  if (!RangeFits(uint64_t(source_offset), target.length, source->length())) {
    return OutOfRange("hal.command_buffer.update_buffer: source range past the buffer end");
  }
  return command_buffer->Update(
      source->bytes().subspan(size_t(source_offset), size_t(target.length)), target);
}

BMRT_HAL_FUNCTION(CommandBufferCopyBuffer) {
  CommandBuffer* command_buffer = args.ReadRefAs<CommandBuffer>();
  BufferRef source, target;
  source.slot = args.ReadU32();
  target.slot = args.ReadU32();
  source.buffer = args.ReadRefAs<Buffer>();
  source.offset = uint64_t(args.ReadI64());
  target.buffer = args.ReadRefAs<Buffer>();
  target.offset = uint64_t(args.ReadI64());
  source.length = target.length = uint64_t(args.ReadI64());
  BMRT_RETURN_IF_ERROR(Require(call, command_buffer, "command buffer"));
  return command_buffer->Copy(source, target);
}

BMRT_HAL_FUNCTION(CommandBufferCollective) {
  return Unsupported(call, "command_buffer.collective");
}

BMRT_HAL_FUNCTION(CommandBufferDispatch) {
  CommandBuffer* command_buffer = args.ReadRefAs<CommandBuffer>();
  Executable* executable = args.ReadRefAs<Executable>();
  int64_t function_id = args.ReadI64();
  uint32_t workgroups[3];
  for (uint32_t& count : workgroups) count = args.ReadU32();
  DispatchOperands operands;
  BMRT_RETURN_IF_ERROR(
      ReadDispatchTail(call, args, command_buffer, executable, function_id, operands));
  return command_buffer->Dispatch(*executable, operands.ordinal, workgroups,
                                  operands.constant_span(), operands.binding_span());
}

BMRT_HAL_FUNCTION(CommandBufferDispatchIndirect) {
  CommandBuffer* command_buffer = args.ReadRefAs<CommandBuffer>();
  Executable* executable = args.ReadRefAs<Executable>();
  int64_t function_id = args.ReadI64();
  BufferRef workgroups;
  workgroups.slot = args.ReadU32();
  workgroups.buffer = args.ReadRefAs<Buffer>();
  workgroups.offset = uint64_t(args.ReadI64());
  DispatchOperands operands;
  BMRT_RETURN_IF_ERROR(
      ReadDispatchTail(call, args, command_buffer, executable, function_id, operands));
  return command_buffer->DispatchIndirect(*executable, operands.ordinal, workgroups,
                                          operands.constant_span(), operands.binding_span());
}

BMRT_HAL_FUNCTION(ExecutableCreate) {
  Device* device = args.ReadRefAs<Device>();
  args.ReadI64();  // queue affinity
  vm::Buffer* format = args.ReadRefAs<vm::Buffer>();
  vm::Buffer* data = args.ReadRefAs<vm::Buffer>();
  vm::Buffer* constants = args.ReadRefAs<vm::Buffer>();
  BMRT_RETURN_IF_ERROR(Require(call, device, "device"));
  BMRT_RETURN_IF_ERROR(Require(call, format, "executable format"));
  BMRT_RETURN_IF_ERROR(Require(call, data, "executable data"));
  Result<Executable*> executable =
      Executable::Create(device->arena(), device->code_memory(), Text(format), data->bytes(),
                         constants ? constants->bytes() : ByteSpan(), State(call).error());
  if (!executable.ok()) return Relay(call, executable.status());
  results.WriteRef(vm::Ref::Adopt(executable.value()));
  return OkStatus();
}

BMRT_HAL_FUNCTION(ExecutableLookupFunction) {
  Executable* executable = args.ReadRefAs<Executable>();
  vm::Buffer* name = args.ReadRefAs<vm::Buffer>();
  BMRT_RETURN_IF_ERROR(Require(call, executable, "executable"));
  StringView wanted = Text(name);
  Result<uint32_t> ordinal = executable->LookupFunction(wanted);
  if (!ordinal.ok()) {
    return Status(StatusCode::kNotFound,
                  call.message->Set("hal.executable.lookup.function: no export '%.*s'",
                                    int(wanted.size()), wanted.data()));
  }
  results.WriteI64(int64_t(ordinal.value()));
  return OkStatus();
}

}  // namespace bmrt::hal::module
