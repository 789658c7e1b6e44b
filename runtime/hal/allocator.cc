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
  // The one memory of this device satisfies every requested type.
  return Buffer::Allocate(*arena_, memory_types | memory_type::kHostVisible |
                                       memory_type::kHostCoherent | memory_type::kDeviceVisible,
                          usage | buffer_usage::kMappingScoped | buffer_usage::kMappingPersistent,
                          length);
}

Result<Buffer*> Allocator::Import(uint32_t memory_types, uint32_t usage, ByteSpan memory,
                                  vm::Ref owner) {
  return Buffer::Wrap(*arena_, const_cast<uint8_t*>(memory.data()), memory.size(),
                      memory_types | memory_type::kHostVisible | memory_type::kHostCoherent |
                          memory_type::kDeviceVisible,
                      usage, Move(owner));
}

}  // namespace bmrt::hal
