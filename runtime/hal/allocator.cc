#include "runtime/hal/allocator.h"

#include "runtime/base/utility.h"
#include "runtime/hal/hal_types.h"

namespace bmrt::hal {

Result<Allocator*> Allocator::Create(Arena& arena) {
  void* memory = arena.Allocate(sizeof(Allocator), alignof(Allocator));
  if (memory == nullptr) return ResourceExhausted("hal.allocator: out of memory");
  return new (memory) Allocator(arena);
}

void Allocator::Destroy(vm::RefObject* object) {
  Allocator* allocator = static_cast<Allocator*>(object);
  Arena* arena = allocator->arena_;
  allocator->~Allocator();
  arena->Free(allocator);
}

Result<Buffer*> Allocator::Allocate(uint32_t memory_types, uint32_t usage, uint64_t length) {
  // The one memory of this device satisfies every requested type, and any of its buffers can
  // be transferred, dispatched on and mapped.
  constexpr uint32_t kUsableForAll =
      buffer_usage::kTransferSource | buffer_usage::kTransferTarget |
      buffer_usage::kDispatchStorageRead | buffer_usage::kDispatchStorageWrite |
      buffer_usage::kDispatchUniformRead | buffer_usage::kDispatchIndirectParameters |
      buffer_usage::kMappingScoped | buffer_usage::kMappingPersistent;
  return Buffer::Allocate(*arena_, memory_types | memory_type::kAll, usage | kUsableForAll,
                          length);
}

Result<Buffer*> Allocator::Import(uint32_t memory_types, uint32_t usage, ByteSpan memory,
                                  vm::Ref owner) {
  if (reinterpret_cast<uintptr_t>(memory.data()) % kImportAlignment != 0) {
    ++stats_.imports_refused;
    return InvalidArgument("hal.allocator.import: memory not 16-byte aligned");
  }
  Result<Buffer*> buffer = Buffer::Wrap(*arena_, const_cast<uint8_t*>(memory.data()),
                                        memory.size(), memory_types | memory_type::kAll, usage,
                                        Move(owner));
  if (buffer.ok()) {
    ++stats_.imports;
    stats_.bytes_imported += memory.size();
  }
  return buffer;
}

}  // namespace bmrt::hal
