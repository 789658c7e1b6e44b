// hal.buffer: a byte range of host-addressable memory. The storage is either allocated from
// the arena (zero-filled), memory owned elsewhere (an imported vm.buffer, kept alive by a
// retained owner reference), or a subspan of another buffer (which it retains).
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/vm/ref.h"

namespace bmrt::hal {

class Buffer : public vm::RefObject {
 public:
  static constexpr vm::RefType kRefType = vm::RefType::kHalBuffer;
  // Storage alignment of allocated buffers (enough for any vector load of the kernels).
  static constexpr size_t kAlignment = 64;

  static Result<Buffer*> Allocate(Arena& arena, uint32_t memory_types, uint32_t usage,
                                  uint64_t length);
  // Aliases `data` (zero-copy). `owner` (may be empty) is retained while the buffer lives.
  static Result<Buffer*> Wrap(Arena& arena, uint8_t* data, uint64_t length,
                              uint32_t memory_types, uint32_t usage, vm::Ref owner);
  // A view of [offset, offset + length) of `source`; length kWholeBuffer means "to the end".
  static Result<Buffer*> Subspan(Arena& arena, Buffer& source, uint64_t offset, uint64_t length);

  uint8_t* data() const { return data_; }
  uint64_t length() const { return length_; }
  uint32_t memory_types() const { return memory_types_; }
  uint32_t usage() const { return usage_; }
  // The buffer that owns the storage (itself unless this is a subspan).
  const Buffer* allocated_buffer() const;

  // Allocation lifetime hints (hal.buffer.allocation.*): a preserved allocation is not
  // terminal until it has been discarded as often as it was preserved.
  void PreserveAllocation() { ++preserve_count_; }
  // True when the last preservation was dropped (or none was held).
  bool DiscardAllocation() {
    if (preserve_count_ > 0) --preserve_count_;
    return preserve_count_ == 0;
  }
  bool IsAllocationTerminal() const { return preserve_count_ == 0; }

  // Resolves (offset, length) against this buffer, length kWholeBuffer meaning "the rest".
  // Fails with OutOfRange when the range does not fit.
  Result<MutableByteSpan> Range(uint64_t offset, uint64_t length) const;

 private:
  Buffer(Arena& arena) : RefObject(kRefType, &Destroy), arena_(&arena) {}
  ~Buffer() = default;
  static void Destroy(vm::RefObject* object);
  static Result<Buffer*> New(Arena& arena);

  Arena* arena_;
  uint8_t* data_ = nullptr;
  uint64_t length_ = 0;
  uint32_t memory_types_ = 0;
  uint32_t usage_ = 0;
  bool owns_storage_ = false;
  uint32_t preserve_count_ = 0;
  vm::Ref owner_;  // the parent buffer of a subspan or the owner of wrapped memory
};

}  // namespace bmrt::hal
