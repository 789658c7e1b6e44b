// hal.buffer_view: a buffer plus the shape, element type and encoding of the tensor it holds.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/hal/buffer.h"
#include "runtime/vm/ref.h"

namespace bmrt::hal {

class BufferView : public vm::RefObject {
 public:
  static constexpr vm::RefType kRefType = vm::RefType::kHalBufferView;
  static constexpr size_t kMaxRank = 8;

  // Views `buffer` as-is (retained).
  static Result<BufferView*> Create(Arena& arena, Buffer& buffer, Span<const int64_t> shape,
                                    uint32_t element_type, uint32_t encoding_type);

  Buffer* buffer() const { return static_cast<Buffer*>(buffer_.get()); }
  uint32_t element_type() const { return element_type_; }
  uint32_t encoding_type() const { return encoding_type_; }
  size_t rank() const { return rank_; }
  Span<const int64_t> shape() const { return Span<const int64_t>(shape_, rank_); }
  // Product of the dimensions times the element size (0 for sub-byte element types).
  uint64_t byte_length() const;

 private:
  BufferView(Arena& arena) : RefObject(kRefType, &Destroy), arena_(&arena) {}
  ~BufferView() = default;
  static void Destroy(vm::RefObject* object);

  Arena* arena_;
  vm::Ref buffer_;
  uint32_t element_type_ = 0;
  uint32_t encoding_type_ = 0;
  size_t rank_ = 0;
  int64_t shape_[kMaxRank] = {};
};

}  // namespace bmrt::hal
