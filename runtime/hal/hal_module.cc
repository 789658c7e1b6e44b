#include "runtime/hal/hal_module.h"

#include "runtime/base/utility.h"
#include "runtime/hal/hal_module_internal.h"

namespace bmrt::hal {

namespace module {

Status Relay(NativeCall& call, Status status) {
  if (status.ok() || status.message() != State(call).error().text) return status;
  return Status(status.code(), call.message->Set("%s", State(call).error().text));
}

Status Unsupported(NativeCall& call, const char* what) {
  return Status(StatusCode::kUnimplemented,
                call.message->Set("hal.%s is not supported by the synchronous CPU device", what));
}

BMRT_HAL_FUNCTION(ChannelCreate) { return Unsupported(call, "channel.create"); }
BMRT_HAL_FUNCTION(ChannelSplit) { return Unsupported(call, "channel.split"); }
BMRT_HAL_FUNCTION(ChannelRankAndCount) { return Unsupported(call, "channel.rank_and_count"); }

namespace {

// Sorted by name (byte order); names and cconv strings are those of HAL module version 7.
constexpr vm::NativeFunction kFunctions[] = {
    {"allocator.allocate", "0rIiiI_r", &AllocatorAllocate},
    {"allocator.import", "0riIiirII_r", &AllocatorImport},
    {"allocator.select", "0iiICrID_rI", &AllocatorSelect},
    {"buffer.allocation.discard", "0r_i", &BufferAllocationDiscard},
    {"buffer.allocation.is_terminal", "0r_i", &BufferAllocationIsTerminal},
    {"buffer.allocation.preserve", "0r_v", &BufferAllocationPreserve},
    {"buffer.assert", "0rrrIii_v", &BufferAssert},
    {"buffer.length", "0r_I", &BufferLength},
    {"buffer.load", "0rIi_i", &BufferLoad},
    {"buffer.store", "0irIi_v", &BufferStore},
    {"buffer.subspan", "0rII_r", &BufferSubspan},
    {"buffer_view.assert", "0rriiCID_v", &BufferViewAssert},
    {"buffer_view.buffer", "0r_r", &BufferViewBuffer},
    {"buffer_view.create", "0rIIiiCID_r", &BufferViewCreate},
    {"buffer_view.dim", "0ri_I", &BufferViewDim},
    {"buffer_view.element_type", "0r_i", &BufferViewElementType},
    {"buffer_view.encoding_type", "0r_i", &BufferViewEncodingType},
    {"buffer_view.rank", "0r_i", &BufferViewRank},
    {"buffer_view.trace", "0rCrD_v", &BufferViewTrace},
    {"channel.create", "0rIIrrii_r", &ChannelCreate},
    {"channel.rank_and_count", "0r_ii", &ChannelRankAndCount},
    {"channel.split", "0riiI_r", &ChannelSplit},
    {"command_buffer.advise_buffer", "0rrIIIi_v", &CommandBufferAdviseBuffer},
    {"command_buffer.begin_debug_group", "0rr_v", &CommandBufferBeginDebugGroup},
    {"command_buffer.collective", "0rriiiirrIIIII_v", &CommandBufferCollective},
    {"command_buffer.copy_buffer", "0riirIrIII_v", &CommandBufferCopyBuffer},
    {"command_buffer.create", "0riiIi_r", &CommandBufferCreate},
    {"command_buffer.dispatch", "0rrIiiiICiDCiirIID_v", &CommandBufferDispatch},
    {"command_buffer.dispatch.indirect", "0rrIirIICiDCiirIID_v", &CommandBufferDispatchIndirect},
    {"command_buffer.end_debug_group", "0r_v", &CommandBufferEndDebugGroup},
    {"command_buffer.execution_barrier", "0riiI_v", &CommandBufferExecutionBarrier},
    {"command_buffer.fill_buffer", "0rrIIiIiI_v", &CommandBufferFillBuffer},
    {"command_buffer.finalize", "0r_v", &CommandBufferFinalize},
    {"command_buffer.update_buffer", "0rrIrIIiI_v", &CommandBufferUpdateBuffer},
    {"device.allocator", "0r_r", &DeviceAllocator},
    {"device.query.i64", "0rrr_iI", &DeviceQueryI64},
    {"device.queue.alloca", "0rIrrIiiII_r", &DeviceQueueAlloca},
    {"device.queue.barrier", "0rIrrI_v", &DeviceQueueBarrier},
    {"device.queue.copy", "0rIrrrIrIII_v", &DeviceQueueCopy},
    {"device.queue.dealloca", "0rIrrrI_v", &DeviceQueueDealloca},
    {"device.queue.execute", "0rIrrrI_v", &DeviceQueueExecute},
    {"device.queue.execute.indirect", "0rIrrrICrIID_v", &DeviceQueueExecuteIndirect},
    {"device.queue.fill", "0rIrrrIIIiI_v", &DeviceQueueFill},
    {"device.queue.flush", "0rI_v", &DeviceQueueFlush},
    {"device.queue.read", "0rIrrrIrIII_v", &DeviceQueueRead},
    {"device.queue.update", "0rIrrrIrIII_v", &DeviceQueueUpdate},
    {"device.queue.write", "0rIrrrIrIII_v", &DeviceQueueWrite},
    {"devices.count", "0v_i", &DevicesCount},
    {"devices.get", "0i_r", &DevicesGet},
    {"ex.file.from_memory", "0rIirIIi_r", &ExFileFromMemory},
    {"executable.create", "0rIrrr_r", &ExecutableCreate},
    {"executable.lookup.function", "0rr_I", &ExecutableLookupFunction},
    {"fence.await", "0iICrD_i", &FenceAwait},
    {"fence.create", "0rI_r", &FenceCreate},
    {"fence.fail", "0ri_v", &FenceFail},
    {"fence.join", "0ICrD_r", &FenceJoin},
    {"fence.query", "0r_i", &FenceQuery},
    {"fence.signal", "0r_v", &FenceSignal},
};
static_assert(sizeof(kFunctions) / sizeof(kFunctions[0]) == 58);

constexpr vm::NativeModuleDef kDefinition = {"hal", HalModule::kVersion, kFunctions};

}  // namespace
}  // namespace module

const vm::NativeModuleDef& HalModule::Definition() { return module::kDefinition; }

Status HalModule::Initialize(Arena& arena, const elf::CodeMemory& code) {
  BMRT_ASSIGN_OR_RETURN(Device * device, Device::Create(arena, code));
  device_ = vm::Ref::Adopt(device);
  return OkStatus();
}

}  // namespace bmrt::hal
