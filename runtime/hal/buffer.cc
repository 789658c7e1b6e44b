#include "runtime/hal/buffer.h"

#include <string.h>

#include "runtime/base/utility.h"
#include "runtime/hal/hal_types.h"

namespace bmrt::hal {

Result<Buffer*> Buffer::New(Arena& arena) {
  void* memory = arena.Allocate(sizeof(Buffer), alignof(Buffer));
  if (memory == nullptr) return ResourceExhausted("hal.buffer: out of memory for the object");
  return new (memory) Buffer(arena);
}

void Buffer::Destroy(vm::RefObject* object) {
  Buffer* buffer = static_cast<Buffer*>(object);
  Arena* arena = buffer->arena_;
  if (buffer->owns_storage_) arena->Free(buffer->data_);
  buffer->~Buffer();
  arena->Free(buffer);
}

Result<Buffer*> Buffer::Allocate(Arena& arena, uint32_t memory_types, uint32_t usage,
                                 uint64_t length) {
  if (length > uint64_t(SIZE_MAX) - kAlignment) {
    return ResourceExhausted("hal.buffer: allocation size exceeds the address space");
  }
  // A zero-length buffer still gets distinct storage so that its pointer is valid.
  size_t bytes = size_t(length == 0 ? 1 : length);
  void* storage = arena.Allocate(bytes, kAlignment);
  // Not zero-filled: like IREE's device allocations, contents are undefined until written
  // (the compiler emits explicit fills where it needs them).
  if (storage == nullptr) return ResourceExhausted("hal.buffer: arena exhausted");
  Result<Buffer*> buffer = New(arena);
  if (!buffer.ok()) {
    arena.Free(storage);
    return buffer.status();
  }
  Buffer* result = buffer.value();
  result->data_ = static_cast<uint8_t*>(storage);
  result->length_ = length;
  result->memory_types_ = memory_types;
  result->usage_ = usage;
  result->owns_storage_ = true;
  return result;
}

Result<Buffer*> Buffer::Wrap(Arena& arena, uint8_t* data, uint64_t length,
                             uint32_t memory_types, uint32_t usage, vm::Ref owner) {
  BMRT_ASSIGN_OR_RETURN(Buffer * buffer, New(arena));
  buffer->data_ = data;
  buffer->length_ = length;
  buffer->memory_types_ = memory_types;
  buffer->usage_ = usage;
  buffer->owner_ = Move(owner);
  return buffer;
}

Result<Buffer*> Buffer::Subspan(Arena& arena, Buffer& source, uint64_t offset, uint64_t length) {
  BMRT_ASSIGN_OR_RETURN(MutableByteSpan range, source.Range(offset, length));
  return Wrap(arena, range.data(), range.size(), source.memory_types_, source.usage_,
              vm::Ref::Retain(&source));
}

const Buffer* Buffer::allocated_buffer() const {
  const Buffer* buffer = this;
  while (!buffer->owns_storage_ && buffer->owner_.type() == vm::RefType::kHalBuffer) {
    buffer = static_cast<const Buffer*>(buffer->owner_.get());
  }
  return buffer;
}

Result<MutableByteSpan> Buffer::Range(uint64_t offset, uint64_t length) const {
  if (offset > length_) return OutOfRange("hal.buffer: offset past the end of the buffer");
  if (length == kWholeBuffer) length = length_ - offset;
  if (!RangeFits(offset, length, length_)) {
    return OutOfRange("hal.buffer: range runs past the end of the buffer");
  }
  return MutableByteSpan(data_ + offset, size_t(length));
}

}  // namespace bmrt::hal
