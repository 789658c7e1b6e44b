#include "runtime/vm/buffer.h"

#include <string.h>

#include "runtime/base/utility.h"

namespace bmrt::vm {

Result<Ref> Buffer::Allocate(Arena& arena, size_t length, size_t alignment) {
  if (alignment == 0) alignment = Arena::kMinAlignment;
  if (!IsPowerOfTwo(alignment)) return InvalidArgument("buffer alignment is not a power of two");
  if (alignment < Arena::kMinAlignment) alignment = Arena::kMinAlignment;
  size_t header = AlignUp(sizeof(Buffer), alignment);
  size_t total = 0;
  if (!CheckedAdd(header, length, &total)) return ResourceExhausted("buffer too large");
  void* memory = arena.Allocate(total, alignment);
  if (!memory) return ResourceExhausted("out of memory allocating a vm.buffer");
  uint8_t* data = static_cast<uint8_t*>(memory) + header;
  memset(data, 0, length);
  return Ref::Adopt(new (memory) Buffer(&arena, data, length, true, &Destroy));
}

Result<Ref> Buffer::Copy(Arena& arena, ByteSpan bytes, size_t alignment) {
  Result<Ref> buffer = Allocate(arena, bytes.size(), alignment);
  if (!buffer.ok()) return buffer.status();
  if (!bytes.empty()) memcpy(buffer->As<Buffer>()->data_, bytes.data(), bytes.size());
  return buffer;
}

Result<Ref> Buffer::View(Arena& arena, ByteSpan bytes) {
  void* memory = arena.Allocate(sizeof(Buffer), alignof(Buffer));
  if (!memory) return ResourceExhausted("out of memory allocating a vm.buffer view");
  return Ref::Adopt(new (memory) Buffer(&arena, const_cast<uint8_t*>(bytes.data()),
                                        bytes.size(), false, &Destroy));
}

Buffer* Buffer::PlaceView(void* storage, ByteSpan bytes) {
  return new (storage) Buffer(nullptr, const_cast<uint8_t*>(bytes.data()), bytes.size(), false,
                              &DestroyNothing);
}

void Buffer::Destroy(RefObject* object) {
  Buffer* buffer = static_cast<Buffer*>(object);
  Arena* arena = buffer->arena_;
  buffer->~Buffer();
  arena->Free(buffer);
}

}  // namespace bmrt::vm
