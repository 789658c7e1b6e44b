// hal.allocator.*, hal.buffer.* and hal.buffer_view.*.
#include "runtime/base/byte_reader.h"
#include "runtime/base/utility.h"
#include "runtime/hal/allocator.h"
#include "runtime/hal/buffer_view.h"
#include "runtime/hal/device.h"
#include "runtime/hal/hal_module_internal.h"

namespace bmrt::hal::module {

BMRT_HAL_FUNCTION(AllocatorSelect) {
  args.ReadI32();  // memory types
  args.ReadI32();  // buffer usage
  args.ReadI64();  // flags
  vm::Ref device;
  int64_t affinity = 0;
  int32_t count = args.BeginList();
  for (int32_t i = 0; i < count; ++i) {
    vm::Ref candidate = args.ReadRef();
    int64_t candidate_affinity = args.ReadI64();
    // One unified memory serves every request: the first device is as good as any.
    if (!device && candidate.As<Device>() != nullptr) {
      device = Move(candidate);
      affinity = candidate_affinity;
    }
  }
  args.EndList();
  if (!device) return NotFound("hal.allocator.select: no device given");
  results.WriteRef(Move(device));
  results.WriteI64(affinity);
  return OkStatus();
}

BMRT_HAL_FUNCTION(AllocatorAllocate) {
  Allocator* allocator = args.ReadRefAs<Allocator>();
  args.ReadI64();  // queue affinity
  uint32_t memory_types = args.ReadU32();
  uint32_t usage = args.ReadU32();
  int64_t size = args.ReadI64();
  BMRT_RETURN_IF_ERROR(Require(call, allocator, "allocator"));
  if (size < 0) return InvalidArgument("hal.allocator.allocate: negative size");
  Result<Buffer*> buffer = allocator->Allocate(memory_types, usage, uint64_t(size));
  if (!buffer.ok()) {
    return Status(buffer.status().code(),
                  call.message->Set("hal.allocator.allocate: %lld bytes: %s", (long long)size,
                                    buffer.status().message()));
  }
  results.WriteRef(vm::Ref::Adopt(buffer.value()));
  return OkStatus();
}

// Aliases host memory (module constants) without copying; read-only rodata is imported as is
// (compiled modules never write their constants). With try = 1 a failure yields a
// null buffer so the module can fall back to allocate + copy.
BMRT_HAL_FUNCTION(AllocatorImport) {
  Allocator* allocator = args.ReadRefAs<Allocator>();
  bool try_only = args.ReadI32() != 0;
  args.ReadI64();  // queue affinity
  uint32_t memory_types = args.ReadU32();
  uint32_t usage = args.ReadU32();
  vm::Ref source = args.ReadRef();
  int64_t offset = args.ReadI64();
  int64_t length = args.ReadI64();
  BMRT_RETURN_IF_ERROR(Require(call, allocator, "allocator"));
  const vm::Buffer* memory = source.As<vm::Buffer>();
  BMRT_RETURN_IF_ERROR(Require(call, memory, "source buffer"));
  Status status = OkStatus();
  if (!RangeFits(uint64_t(offset), uint64_t(length), memory->length())) {
    status = OutOfRange("hal.allocator.import: range runs past the end of the source");
  }
  if (status.ok()) {
    ByteSpan bytes = memory->bytes().subspan(size_t(offset), size_t(length));
    Result<Buffer*> buffer = allocator->Import(memory_types, usage, bytes, Move(source));
    if (buffer.ok()) {
      results.WriteRef(vm::Ref::Adopt(buffer.value()));
      return OkStatus();
    }
    status = buffer.status();
  }
  if (try_only) {
    results.WriteRef(vm::Ref());
    return OkStatus();
  }
  return status;
}

BMRT_HAL_FUNCTION(BufferAssert) {
  Buffer* buffer = args.ReadRefAs<Buffer>();
  vm::Buffer* message = args.ReadRefAs<vm::Buffer>();
  args.ReadRefAs<Allocator>();  // every buffer of this device is compatible with its allocator
  int64_t minimum_length = args.ReadI64();
  uint32_t memory_types = args.ReadU32();
  uint32_t usage = args.ReadU32();
  StringView what = Text(message);
  if (buffer == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  call.message->Set("%.*s: buffer is null", int(what.size()), what.data()));
  }
  if (buffer->length() < uint64_t(minimum_length)) {
    return Status(StatusCode::kInvalidArgument,
                  call.message->Set("%.*s: buffer has %llu bytes, at least %lld required",
                                    int(what.size()), what.data(),
                                    (unsigned long long)buffer->length(),
                                    (long long)minimum_length));
  }
  if ((buffer->memory_types() & memory_types) != memory_types ||
      (buffer->usage() & usage) != usage) {
    return Status(StatusCode::kInvalidArgument,
                  call.message->Set("%.*s: buffer memory types 0x%x / usage 0x%x lack 0x%x / 0x%x",
                                    int(what.size()), what.data(), unsigned(buffer->memory_types()),
                                    unsigned(buffer->usage()), unsigned(memory_types),
                                    unsigned(usage)));
  }
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferAllocationPreserve) {
  Buffer* buffer = args.ReadRefAs<Buffer>();
  BMRT_RETURN_IF_ERROR(Require(call, buffer, "buffer"));
  buffer->PreserveAllocation();
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferAllocationDiscard) {
  Buffer* buffer = args.ReadRefAs<Buffer>();
  BMRT_RETURN_IF_ERROR(Require(call, buffer, "buffer"));
  results.WriteI32(buffer->DiscardAllocation() ? 1 : 0);
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferAllocationIsTerminal) {
  Buffer* buffer = args.ReadRefAs<Buffer>();
  BMRT_RETURN_IF_ERROR(Require(call, buffer, "buffer"));
  results.WriteI32(buffer->IsAllocationTerminal() ? 1 : 0);
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferSubspan) {
  Buffer* source = args.ReadRefAs<Buffer>();
  int64_t offset = args.ReadI64();
  int64_t length = args.ReadI64();
  BMRT_RETURN_IF_ERROR(Require(call, source, "source buffer"));
  BMRT_ASSIGN_OR_RETURN(Buffer * subspan,
                        Buffer::Subspan(*call.arena, *source, uint64_t(offset), uint64_t(length)));
  results.WriteRef(vm::Ref::Adopt(subspan));
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferLength) {
  Buffer* buffer = args.ReadRefAs<Buffer>();
  BMRT_RETURN_IF_ERROR(Require(call, buffer, "buffer"));
  results.WriteI64(int64_t(buffer->length()));
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferLoad) {
  Buffer* buffer = args.ReadRefAs<Buffer>();
  int64_t offset = args.ReadI64();
  int32_t length = args.ReadI32();
  BMRT_RETURN_IF_ERROR(Require(call, buffer, "buffer"));
  if (length != 1 && length != 2 && length != 4) {
    return InvalidArgument("hal.buffer.load: length must be 1, 2 or 4");
  }
  BMRT_ASSIGN_OR_RETURN(MutableByteSpan bytes, buffer->Range(uint64_t(offset), uint64_t(length)));
  uint32_t value = length == 1 ? bytes[0] : length == 2 ? LoadLe16(bytes.data())
                                                        : LoadLe32(bytes.data());
  results.WriteI32(int32_t(value));
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferStore) {
  uint32_t value = args.ReadU32();
  Buffer* buffer = args.ReadRefAs<Buffer>();
  int64_t offset = args.ReadI64();
  int32_t length = args.ReadI32();
  BMRT_RETURN_IF_ERROR(Require(call, buffer, "buffer"));
  if (length != 1 && length != 2 && length != 4) {
    return InvalidArgument("hal.buffer.store: length must be 1, 2 or 4");
  }
  BMRT_ASSIGN_OR_RETURN(MutableByteSpan bytes, buffer->Range(uint64_t(offset), uint64_t(length)));
  if (length == 1) {
    bytes[0] = uint8_t(value);
  } else if (length == 2) {
    StoreLe16(bytes.data(), uint16_t(value));
  } else {
    StoreLe32(bytes.data(), value);
  }
  return OkStatus();
}

namespace {

// Reads a 'CID' shape list into `shape`; fails when the rank exceeds the maximum.
Status ReadShape(ArgReader& args, int64_t (&shape)[BufferView::kMaxRank], size_t* rank) {
  int32_t count = args.BeginList();
  for (int32_t i = 0; i < count; ++i) {
    int64_t dim = args.ReadI64();
    if (size_t(i) < BufferView::kMaxRank) shape[i] = dim;
  }
  args.EndList();
  if (count < 0 || size_t(count) > BufferView::kMaxRank) {
    return InvalidArgument("hal.buffer_view: rank exceeds 8");
  }
  *rank = size_t(count);
  return OkStatus();
}

}  // namespace

BMRT_HAL_FUNCTION(BufferViewCreate) {
  Buffer* buffer = args.ReadRefAs<Buffer>();
  int64_t offset = args.ReadI64();
  int64_t length = args.ReadI64();
  uint32_t element_type = args.ReadU32();
  uint32_t encoding_type = args.ReadU32();
  int64_t shape[BufferView::kMaxRank] = {};
  size_t rank = 0;
  BMRT_RETURN_IF_ERROR(ReadShape(args, shape, &rank));
  BMRT_RETURN_IF_ERROR(Require(call, buffer, "buffer"));
  vm::Ref viewed = vm::Ref::Retain(buffer);
  if (offset != 0 || uint64_t(length) != buffer->length()) {
    BMRT_ASSIGN_OR_RETURN(Buffer * subspan,
                          Buffer::Subspan(*call.arena, *buffer, uint64_t(offset), uint64_t(length)));
    viewed = vm::Ref::Adopt(subspan);
  }
  BMRT_ASSIGN_OR_RETURN(BufferView * view,
                        BufferView::Create(*call.arena, *viewed.As<Buffer>(),
                                           Span<const int64_t>(shape, rank), element_type,
                                           encoding_type));
  results.WriteRef(vm::Ref::Adopt(view));
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferViewAssert) {
  BufferView* view = args.ReadRefAs<BufferView>();
  vm::Buffer* message = args.ReadRefAs<vm::Buffer>();
  uint32_t element_type = args.ReadU32();
  uint32_t encoding_type = args.ReadU32();
  int64_t shape[BufferView::kMaxRank] = {};
  size_t rank = 0;
  Status shape_status = ReadShape(args, shape, &rank);
  StringView what = Text(message);
  if (view == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  call.message->Set("%.*s: expected a buffer view, got null", int(what.size()),
                                    what.data()));
  }
  BMRT_RETURN_IF_ERROR(shape_status);
  if (view->element_type() != element_type || view->encoding_type() != encoding_type) {
    return Status(StatusCode::kInvalidArgument,
                  call.message->Set("%.*s: element type 0x%08x / encoding %u, expected 0x%08x / %u",
                                    int(what.size()), what.data(), unsigned(view->element_type()),
                                    unsigned(view->encoding_type()), unsigned(element_type),
                                    unsigned(encoding_type)));
  }
  if (view->rank() != rank) {
    return Status(StatusCode::kInvalidArgument,
                  call.message->Set("%.*s: rank %zu, expected %zu", int(what.size()), what.data(),
                                    view->rank(), rank));
  }
  for (size_t i = 0; i < rank; ++i) {
    if (view->shape()[i] != shape[i]) {
      return Status(StatusCode::kInvalidArgument,
                    call.message->Set("%.*s: dimension %zu is %lld, expected %lld",
                                      int(what.size()), what.data(), i,
                                      (long long)view->shape()[i], (long long)shape[i]));
    }
  }
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferViewBuffer) {
  BufferView* view = args.ReadRefAs<BufferView>();
  BMRT_RETURN_IF_ERROR(Require(call, view, "buffer view"));
  results.WriteRef(vm::Ref::Retain(view->buffer()));
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferViewElementType) {
  BufferView* view = args.ReadRefAs<BufferView>();
  BMRT_RETURN_IF_ERROR(Require(call, view, "buffer view"));
  results.WriteI32(int32_t(view->element_type()));
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferViewEncodingType) {
  BufferView* view = args.ReadRefAs<BufferView>();
  BMRT_RETURN_IF_ERROR(Require(call, view, "buffer view"));
  results.WriteI32(int32_t(view->encoding_type()));
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferViewRank) {
  BufferView* view = args.ReadRefAs<BufferView>();
  BMRT_RETURN_IF_ERROR(Require(call, view, "buffer view"));
  results.WriteI32(int32_t(view->rank()));
  return OkStatus();
}

BMRT_HAL_FUNCTION(BufferViewDim) {
  BufferView* view = args.ReadRefAs<BufferView>();
  int32_t index = args.ReadI32();
  BMRT_RETURN_IF_ERROR(Require(call, view, "buffer view"));
  if (index < 0 || size_t(index) >= view->rank()) {
    return Status(StatusCode::kOutOfRange,
                  call.message->Set("hal.buffer_view.dim: index %d, rank %zu", int(index),
                                    view->rank()));
  }
  results.WriteI64(view->shape()[size_t(index)]);
  return OkStatus();
}

// Tracing is a debugging aid with no output channel on this device.
BMRT_HAL_FUNCTION(BufferViewTrace) {
  args.ReadRefAs<vm::Buffer>();
  int32_t count = args.BeginList();
  for (int32_t i = 0; i < count; ++i) args.ReadRefAs<BufferView>();
  args.EndList();
  return OkStatus();
}

}  // namespace bmrt::hal::module
