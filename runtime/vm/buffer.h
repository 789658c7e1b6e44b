// vm.buffer: a byte buffer that is either owned (allocated from an arena, writable) or a
// read-only view of bytes that outlive it (module rodata: zero-copy).
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/vm/ref.h"

namespace bmrt::vm {

class Buffer final : public RefObject {
 public:
  static constexpr RefType kRefType = RefType::kBuffer;

  // A zero-filled writable buffer; `alignment` (0 = default 16) must be a power of two.
  static Result<Ref> Allocate(Arena& arena, size_t length, size_t alignment = 0);
  // A writable copy of `bytes`.
  static Result<Ref> Copy(Arena& arena, ByteSpan bytes, size_t alignment = 0);
  // A read-only view of `bytes`, which must outlive every reference to the buffer.
  static Result<Ref> View(Arena& arena, ByteSpan bytes);
  // Builds a view in caller-provided storage that is never freed through the ref count (the
  // caller keeps one reference for the storage's lifetime).
  static Buffer* PlaceView(void* storage, ByteSpan bytes);

  size_t length() const { return length_; }
  bool writable() const { return writable_; }
  const uint8_t* data() const { return data_; }
  // Null when the buffer is read-only.
  uint8_t* mutable_data() { return writable_ ? data_ : nullptr; }
  ByteSpan bytes() const { return ByteSpan(data_, length_); }

 private:
  Buffer(Arena* arena, uint8_t* data, size_t length, bool writable, DestroyFn destroy)
      : RefObject(kRefType, destroy), arena_(arena), data_(data), length_(length),
        writable_(writable) {}
  static void Destroy(RefObject* object);
  static void DestroyNothing(RefObject*) {}

  Arena* arena_;
  uint8_t* data_;
  size_t length_;
  bool writable_;
};

}  // namespace bmrt::vm
