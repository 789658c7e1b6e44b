// Shared by the hal_module_*.cc files: the native function signatures and argument helpers.
#pragma once

#include "runtime/base/format.h"
#include "runtime/base/string_view.h"
#include "runtime/hal/hal_module.h"
#include "runtime/vm/buffer.h"
#include "runtime/vm/native_module.h"

namespace bmrt::hal::module {

using vm::ArgReader;
using vm::NativeCall;
using vm::ResultWriter;

inline HalModule& State(NativeCall& call) { return *static_cast<HalModule*>(call.state); }

// Copies text formatted into the module's error buffer into the call's message buffer, which
// is where the VM expects run-time messages to live.
Status Relay(NativeCall& call, Status status);

inline StringView Text(const vm::Buffer* buffer) {
  return buffer ? StringView(reinterpret_cast<const char*>(buffer->data()), buffer->length())
                : StringView();
}

// Null argument check with a message naming the argument.
template <typename T>
Status Require(NativeCall& call, T* object, const char* what) {
  if (object != nullptr) return OkStatus();
  return Status(StatusCode::kInvalidArgument, call.message->Set("hal: %s is null or of the "
                                                                "wrong type", what));
}

Status Unsupported(NativeCall& call, const char* what);

#define BMRT_HAL_FUNCTION(name) Status name(NativeCall& call, ArgReader& args, ResultWriter& results)

// Devices, queues and files.
BMRT_HAL_FUNCTION(DevicesCount);
BMRT_HAL_FUNCTION(DevicesGet);
BMRT_HAL_FUNCTION(DeviceAllocator);
BMRT_HAL_FUNCTION(DeviceQueryI64);
BMRT_HAL_FUNCTION(DeviceQueueAlloca);
BMRT_HAL_FUNCTION(DeviceQueueDealloca);
BMRT_HAL_FUNCTION(DeviceQueueFill);
BMRT_HAL_FUNCTION(DeviceQueueUpdate);
BMRT_HAL_FUNCTION(DeviceQueueCopy);
BMRT_HAL_FUNCTION(DeviceQueueRead);
BMRT_HAL_FUNCTION(DeviceQueueWrite);
BMRT_HAL_FUNCTION(DeviceQueueBarrier);
BMRT_HAL_FUNCTION(DeviceQueueExecute);
BMRT_HAL_FUNCTION(DeviceQueueExecuteIndirect);
BMRT_HAL_FUNCTION(DeviceQueueFlush);
BMRT_HAL_FUNCTION(ExFileFromMemory);
// Fences.
BMRT_HAL_FUNCTION(FenceCreate);
BMRT_HAL_FUNCTION(FenceJoin);
BMRT_HAL_FUNCTION(FenceQuery);
BMRT_HAL_FUNCTION(FenceSignal);
BMRT_HAL_FUNCTION(FenceFail);
BMRT_HAL_FUNCTION(FenceAwait);
// Allocators and buffers.
BMRT_HAL_FUNCTION(AllocatorSelect);
BMRT_HAL_FUNCTION(AllocatorAllocate);
BMRT_HAL_FUNCTION(AllocatorImport);
BMRT_HAL_FUNCTION(BufferAssert);
BMRT_HAL_FUNCTION(BufferAllocationPreserve);
BMRT_HAL_FUNCTION(BufferAllocationDiscard);
BMRT_HAL_FUNCTION(BufferAllocationIsTerminal);
BMRT_HAL_FUNCTION(BufferSubspan);
BMRT_HAL_FUNCTION(BufferLength);
BMRT_HAL_FUNCTION(BufferLoad);
BMRT_HAL_FUNCTION(BufferStore);
// Buffer views.
BMRT_HAL_FUNCTION(BufferViewCreate);
BMRT_HAL_FUNCTION(BufferViewAssert);
BMRT_HAL_FUNCTION(BufferViewBuffer);
BMRT_HAL_FUNCTION(BufferViewElementType);
BMRT_HAL_FUNCTION(BufferViewEncodingType);
BMRT_HAL_FUNCTION(BufferViewRank);
BMRT_HAL_FUNCTION(BufferViewDim);
BMRT_HAL_FUNCTION(BufferViewTrace);
// Command buffers and executables.
BMRT_HAL_FUNCTION(CommandBufferCreate);
BMRT_HAL_FUNCTION(CommandBufferFinalize);
BMRT_HAL_FUNCTION(CommandBufferBeginDebugGroup);
BMRT_HAL_FUNCTION(CommandBufferEndDebugGroup);
BMRT_HAL_FUNCTION(CommandBufferExecutionBarrier);
BMRT_HAL_FUNCTION(CommandBufferAdviseBuffer);
BMRT_HAL_FUNCTION(CommandBufferFillBuffer);
BMRT_HAL_FUNCTION(CommandBufferUpdateBuffer);
BMRT_HAL_FUNCTION(CommandBufferCopyBuffer);
BMRT_HAL_FUNCTION(CommandBufferCollective);
BMRT_HAL_FUNCTION(CommandBufferDispatch);
BMRT_HAL_FUNCTION(CommandBufferDispatchIndirect);
BMRT_HAL_FUNCTION(ExecutableCreate);
BMRT_HAL_FUNCTION(ExecutableLookupFunction);
// Channels (collectives are not supported on this device).
BMRT_HAL_FUNCTION(ChannelCreate);
BMRT_HAL_FUNCTION(ChannelSplit);
BMRT_HAL_FUNCTION(ChannelRankAndCount);

}  // namespace bmrt::hal::module
