// hal.devices.*, hal.device.*, hal.device.queue.*, hal.ex.file.from_memory and hal.fence.*.
#include "runtime/base/utility.h"
#include "runtime/hal/command_buffer.h"
#include "runtime/hal/device.h"
#include "runtime/hal/fence.h"
#include "runtime/hal/hal_module_internal.h"

namespace bmrt::hal::module {

namespace {

// The common head of every queue operation: (device, queue_affinity, wait_fence, signal_fence).
struct Queue {
  Device* device = nullptr;
  Fence* wait = nullptr;
  Fence* signal = nullptr;
};

Status ReadQueue(NativeCall& call, ArgReader& args, Queue& queue) {
  queue.device = args.ReadRefAs<Device>();
  args.ReadI64();  // queue affinity: there is one queue
  queue.wait = args.ReadRefAs<Fence>();
  queue.signal = args.ReadRefAs<Fence>();
  return Require(call, queue.device, "device");
}

// True when the operation may run; a failed wait fence fails the signal fence instead.
bool WaitSatisfied(const Queue& queue) {
  if (queue.wait == nullptr || queue.wait->status_code() == 0) return true;
  if (queue.signal != nullptr) queue.signal->Fail(queue.wait->status_code());
  return false;
}

// The (source, source_offset, target, target_offset, length) tail of the queue transfers;
// `Source` is what the operation reads from (vm.buffer, hal.buffer or hal.file).
template <typename Source>
struct Transfer {
  Source* source = nullptr;
  uint64_t source_offset = 0;
  Buffer* target = nullptr;
  uint64_t target_offset = 0;
  uint64_t length = 0;
};

template <typename Source>
Status ReadTransfer(NativeCall& call, ArgReader& args, const char* source_what,
                    Transfer<Source>& transfer) {
  transfer.source = args.ReadRefAs<Source>();
  transfer.source_offset = uint64_t(args.ReadI64());
  transfer.target = args.ReadRefAs<Buffer>();
  transfer.target_offset = uint64_t(args.ReadI64());
  transfer.length = uint64_t(args.ReadI64());
  BMRT_RETURN_IF_ERROR(Require(call, transfer.source, source_what));
  return Require(call, transfer.target, "target buffer");
}

Status Complete(NativeCall& call, const Queue& queue, Status status) {
  if (queue.signal != nullptr) {
    if (status.ok()) {
      queue.signal->Signal();
    } else {
      queue.signal->Fail(int32_t(status.code()));
    }
  }
  return Relay(call, status);
}

// A queue operation moving `length` bytes from a Source into a buffer: (device, affinity,
// wait, signal, source, source_offset, target, target_offset, length), run by `run`.
template <typename Source, typename Run>
Status QueueTransfer(NativeCall& call, ArgReader& args, const char* source_what, Run run) {
  Queue queue;
  BMRT_RETURN_IF_ERROR(ReadQueue(call, args, queue));
  Transfer<Source> transfer;
  BMRT_RETURN_IF_ERROR(ReadTransfer(call, args, source_what, transfer));
  if (!WaitSatisfied(queue)) return OkStatus();
  return Complete(call, queue, run(*queue.device, transfer));
}

}  // namespace

BMRT_HAL_FUNCTION(DevicesCount) {
  results.WriteI32(State(call).device() != nullptr ? 1 : 0);
  return OkStatus();
}

BMRT_HAL_FUNCTION(DevicesGet) {
  int32_t index = args.ReadI32();
  if (index != 0 || State(call).device() == nullptr) {
    return Status(StatusCode::kOutOfRange, call.message->Set("hal.devices.get: no device %d",
                                                             int(index)));
  }
  results.WriteRef(vm::Ref::Retain(State(call).device()));
  return OkStatus();
}

BMRT_HAL_FUNCTION(DeviceAllocator) {
  Device* device = args.ReadRefAs<Device>();
  BMRT_RETURN_IF_ERROR(Require(call, device, "device"));
  results.WriteRef(vm::Ref::Retain(&device->allocator()));
  return OkStatus();
}

BMRT_HAL_FUNCTION(DeviceQueryI64) {
  Device* device = args.ReadRefAs<Device>();
  vm::Buffer* category = args.ReadRefAs<vm::Buffer>();
  vm::Buffer* key = args.ReadRefAs<vm::Buffer>();
  BMRT_RETURN_IF_ERROR(Require(call, device, "device"));
  int64_t value = 0;
  bool found = device->Query(Text(category), Text(key), &value);
  results.WriteI32(found ? 1 : 0);
  results.WriteI64(value);
  return OkStatus();
}

BMRT_HAL_FUNCTION(DeviceQueueAlloca) {
  Queue queue;
  BMRT_RETURN_IF_ERROR(ReadQueue(call, args, queue));
  args.ReadI64();  // pool
  uint32_t memory_types = args.ReadU32();
  uint32_t usage = args.ReadU32();
  int64_t size = args.ReadI64();
  args.ReadI64();  // flags
  if (size < 0) return InvalidArgument("hal.device.queue.alloca: negative size");
  WaitSatisfied(queue);  // the reservation is made either way; only the signal reflects a failure
  Result<Buffer*> buffer = queue.device->QueueAlloca(memory_types, usage, uint64_t(size));
  if (!buffer.ok()) return Complete(call, queue, buffer.status());
  results.WriteRef(vm::Ref::Adopt(buffer.value()));
  return Complete(call, queue, OkStatus());
}

BMRT_HAL_FUNCTION(DeviceQueueDealloca) {
  Queue queue;
  BMRT_RETURN_IF_ERROR(ReadQueue(call, args, queue));
  // The storage goes back to the arena when the last reference to the buffer is released.
  BMRT_RETURN_IF_ERROR(Require(call, args.ReadRefAs<Buffer>(), "buffer"));
  if (!WaitSatisfied(queue)) return OkStatus();
  return Complete(call, queue, OkStatus());
}

BMRT_HAL_FUNCTION(DeviceQueueFill) {
  Queue queue;
  BMRT_RETURN_IF_ERROR(ReadQueue(call, args, queue));
  Buffer* target = args.ReadRefAs<Buffer>();
  int64_t offset = args.ReadI64();
  int64_t length = args.ReadI64();
  int64_t pattern = args.ReadI64();
  int32_t pattern_length = args.ReadI32();
  BMRT_RETURN_IF_ERROR(Require(call, target, "target buffer"));
  if (!WaitSatisfied(queue)) return OkStatus();
  return Complete(call, queue,
                  queue.device->QueueFill(*target, uint64_t(offset), uint64_t(length),
                                          uint64_t(pattern), uint32_t(pattern_length)));
}

BMRT_HAL_FUNCTION(DeviceQueueUpdate) {
  Queue queue;
  BMRT_RETURN_IF_ERROR(ReadQueue(call, args, queue));
  Transfer<vm::Buffer> update;
  BMRT_RETURN_IF_ERROR(ReadTransfer(call, args, "source buffer", update));
  if (!RangeFits(update.source_offset, update.length, update.source->length())) {
    return OutOfRange("hal.device.queue.update: source range past the end of the buffer");
  }
  if (!WaitSatisfied(queue)) return OkStatus();
  ByteSpan bytes =
      update.source->bytes().subspan(size_t(update.source_offset), size_t(update.length));
  return Complete(call, queue,
                  queue.device->QueueUpdate(bytes, *update.target, update.target_offset));
}

BMRT_HAL_FUNCTION(DeviceQueueCopy) {
  return QueueTransfer<Buffer>(call, args, "source buffer", [](Device& device,
                                                               Transfer<Buffer>& copy) {
    return device.QueueCopy(*copy.source, copy.source_offset, *copy.target, copy.target_offset,
                            copy.length);
  });
}

BMRT_HAL_FUNCTION(DeviceQueueRead) {
  return QueueTransfer<File>(call, args, "source file", [](Device& device, Transfer<File>& read) {
    return device.QueueRead(*read.source, read.source_offset, *read.target, read.target_offset,
                            read.length);
  });
}

BMRT_HAL_FUNCTION(DeviceQueueWrite) { return Unsupported(call, "device.queue.write (to files)"); }

BMRT_HAL_FUNCTION(DeviceQueueBarrier) {
  Queue queue;
  BMRT_RETURN_IF_ERROR(ReadQueue(call, args, queue));
  if (!WaitSatisfied(queue)) return OkStatus();
  return Complete(call, queue, OkStatus());
}

BMRT_HAL_FUNCTION(DeviceQueueExecute) {
  Queue queue;
  BMRT_RETURN_IF_ERROR(ReadQueue(call, args, queue));
  CommandBuffer* command_buffer = args.ReadRefAs<CommandBuffer>();
  BMRT_RETURN_IF_ERROR(Require(call, command_buffer, "command buffer"));
  if (!WaitSatisfied(queue)) return OkStatus();
  return Complete(call, queue,
                  queue.device->QueueExecute(*command_buffer, Span<const BindingTableEntry>(),
                                             State(call).error()));
}

BMRT_HAL_FUNCTION(DeviceQueueExecuteIndirect) {
  Queue queue;
  BMRT_RETURN_IF_ERROR(ReadQueue(call, args, queue));
  CommandBuffer* command_buffer = args.ReadRefAs<CommandBuffer>();
  args.ReadI64();  // flags
  BindingTableEntry* table = State(call).binding_table();
  int32_t count = args.BeginList();
  if (count < 0 || size_t(count) > CommandBuffer::kMaxBindings) {
    return InvalidArgument("hal.device.queue.execute.indirect: binding table exceeds 64 entries");
  }
  for (int32_t i = 0; i < count; ++i) {
    table[i].buffer = args.ReadRefAs<Buffer>();
    table[i].offset = uint64_t(args.ReadI64());
    table[i].length = uint64_t(args.ReadI64());
  }
  args.EndList();
  BMRT_RETURN_IF_ERROR(Require(call, command_buffer, "command buffer"));
  if (!WaitSatisfied(queue)) return OkStatus();
  return Complete(call, queue,
                  queue.device->QueueExecute(*command_buffer,
                                             Span<const BindingTableEntry>(table, size_t(count)),
                                             State(call).error()));
}

BMRT_HAL_FUNCTION(DeviceQueueFlush) {
  BMRT_RETURN_IF_ERROR(Require(call, args.ReadRefAs<Device>(), "device"));
  return OkStatus();  // nothing is ever queued
}

BMRT_HAL_FUNCTION(ExFileFromMemory) {
  Device* device = args.ReadRefAs<Device>();
  args.ReadI64();  // queue affinity
  args.ReadI32();  // access
  vm::Ref buffer = args.ReadRef();
  int64_t offset = args.ReadI64();
  int64_t length = args.ReadI64();
  BMRT_RETURN_IF_ERROR(Require(call, device, "device"));
  const vm::Buffer* memory = buffer.As<vm::Buffer>();
  BMRT_RETURN_IF_ERROR(Require(call, memory, "file memory"));
  if (!RangeFits(uint64_t(offset), uint64_t(length), memory->length())) {
    return OutOfRange("hal.ex.file.from_memory: range runs past the end of the buffer");
  }
  ByteSpan contents = memory->bytes().subspan(size_t(offset), size_t(length));
  BMRT_ASSIGN_OR_RETURN(File * file, File::Create(device->arena(), contents, Move(buffer)));
  results.WriteRef(vm::Ref::Adopt(file));
  return OkStatus();
}

BMRT_HAL_FUNCTION(FenceCreate) {
  Device* device = args.ReadRefAs<Device>();
  args.ReadI64();  // flags
  BMRT_RETURN_IF_ERROR(Require(call, device, "device"));
  BMRT_ASSIGN_OR_RETURN(Fence * fence, Fence::Create(device->arena()));
  results.WriteRef(vm::Ref::Adopt(fence));
  return OkStatus();
}

BMRT_HAL_FUNCTION(FenceJoin) {
  args.ReadI64();  // flags
  int32_t failure = 0;
  int32_t count = args.BeginList();
  for (int32_t i = 0; i < count; ++i) {
    Fence* fence = args.ReadRefAs<Fence>();
    if (fence != nullptr && failure == 0) failure = fence->status_code();
  }
  args.EndList();
  Device* device = State(call).device();
  BMRT_RETURN_IF_ERROR(Require(call, device, "device"));
  BMRT_ASSIGN_OR_RETURN(Fence * joined, Fence::Create(device->arena()));
  if (failure != 0) joined->Fail(failure);
  results.WriteRef(vm::Ref::Adopt(joined));
  return OkStatus();
}

BMRT_HAL_FUNCTION(FenceQuery) {
  Fence* fence = args.ReadRefAs<Fence>();
  BMRT_RETURN_IF_ERROR(Require(call, fence, "fence"));
  results.WriteI32(fence->status_code());
  return OkStatus();
}

BMRT_HAL_FUNCTION(FenceSignal) {
  Fence* fence = args.ReadRefAs<Fence>();
  BMRT_RETURN_IF_ERROR(Require(call, fence, "fence"));
  fence->Signal();
  return OkStatus();
}

BMRT_HAL_FUNCTION(FenceFail) {
  Fence* fence = args.ReadRefAs<Fence>();
  int32_t status = args.ReadI32();
  BMRT_RETURN_IF_ERROR(Require(call, fence, "fence"));
  fence->Fail(status);
  return OkStatus();
}

// Every fence is signalled (or failed) by the time anyone can await it: the answer is
// immediate, 0 when all succeeded, else the first failure code.
BMRT_HAL_FUNCTION(FenceAwait) {
  args.ReadI32();  // timeout_millis
  args.ReadI64();  // flags
  int32_t failure = 0;
  int32_t count = args.BeginList();
  for (int32_t i = 0; i < count; ++i) {
    Fence* fence = args.ReadRefAs<Fence>();
    if (fence != nullptr && failure == 0) failure = fence->status_code();
  }
  args.EndList();
  results.WriteI32(failure);
  return OkStatus();
}

}  // namespace bmrt::hal::module
