// hal.allocator: hands out buffers from the device arena. Memory is unified (host and device
// see the same bytes), so every buffer is host-visible and mappable; importing host memory
// aliases it without a copy (how compiled models use their constant data in place).
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/hal/buffer.h"
#include "runtime/vm/ref.h"

namespace bmrt::hal {

struct AllocatorStats {
  uint32_t imports = 0;          // host memory aliased without a copy
  uint32_t imports_refused = 0;  // misaligned memory the module had to copy instead
  uint64_t bytes_imported = 0;
};

class Allocator : public vm::RefObject {
 public:
  static constexpr vm::RefType kRefType = vm::RefType::kHalAllocator;

  static Result<Allocator*> Create(Arena& arena);

  Arena& arena() const { return *arena_; }
  Result<Buffer*> Allocate(uint32_t memory_types, uint32_t usage, uint64_t length);
  // Alignment imported memory must have: kernels use vector loads on their bindings.
  static constexpr size_t kImportAlignment = 16;

  // Aliases `memory` (zero-copy); `owner` keeps it alive while the buffer lives. Memory that
  // is not kImportAlignment-aligned is refused (modules then fall back to a copy).
  Result<Buffer*> Import(uint32_t memory_types, uint32_t usage, ByteSpan memory, vm::Ref owner);

  const AllocatorStats& stats() const { return stats_; }

 private:
  Allocator(Arena& arena) : RefObject(kRefType, &Destroy), arena_(&arena) {}
  ~Allocator() = default;
  static void Destroy(vm::RefObject* object);

  Arena* arena_;
  AllocatorStats stats_;
};

}  // namespace bmrt::hal
