#include "runtime/hal/fence.h"

#include "runtime/base/utility.h"

namespace bmrt::hal {

Result<Fence*> Fence::Create(Arena& arena) {
  void* memory = arena.Allocate(sizeof(Fence), alignof(Fence));
  if (memory == nullptr) return ResourceExhausted("hal.fence: out of memory");
  return new (memory) Fence(arena);
}

void Fence::Destroy(vm::RefObject* object) {
  Fence* fence = static_cast<Fence*>(object);
  Arena* arena = fence->arena_;
  fence->~Fence();
  arena->Free(fence);
}

Result<File*> File::Create(Arena& arena, ByteSpan contents, vm::Ref owner) {
  void* memory = arena.Allocate(sizeof(File), alignof(File));
  if (memory == nullptr) return ResourceExhausted("hal.file: out of memory");
  File* file = new (memory) File(arena);
  file->contents_ = contents;
  file->owner_ = Move(owner);
  return file;
}

void File::Destroy(vm::RefObject* object) {
  File* file = static_cast<File*>(object);
  Arena* arena = file->arena_;
  file->~File();
  arena->Free(file);
}

}  // namespace bmrt::hal
