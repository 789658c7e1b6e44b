#include "runtime/hal/buffer_view.h"

#include "runtime/base/utility.h"
#include "runtime/hal/hal_types.h"

namespace bmrt::hal {

void BufferView::Destroy(vm::RefObject* object) {
  BufferView* view = static_cast<BufferView*>(object);
  Arena* arena = view->arena_;
  view->~BufferView();
  arena->Free(view);
}

Result<BufferView*> BufferView::Create(Arena& arena, Buffer& buffer, Span<const int64_t> shape,
                                       uint32_t element_type, uint32_t encoding_type) {
  if (shape.size() > kMaxRank) return InvalidArgument("hal.buffer_view: rank exceeds 8");
  for (int64_t dim : shape) {
    if (dim < 0) return InvalidArgument("hal.buffer_view: negative dimension");
  }
  void* memory = arena.Allocate(sizeof(BufferView), alignof(BufferView));
  if (memory == nullptr) return ResourceExhausted("hal.buffer_view: out of memory");
  BufferView* view = new (memory) BufferView(arena);
  view->buffer_ = vm::Ref::Retain(&buffer);
  view->element_type_ = element_type;
  view->encoding_type_ = encoding_type;
  view->rank_ = shape.size();
  for (size_t i = 0; i < shape.size(); ++i) view->shape_[i] = shape[i];
  return view;
}

uint64_t BufferView::byte_length() const {
  uint64_t length = ElementBytes(element_type_);
  for (size_t i = 0; i < rank_; ++i) {
    if (!CheckedMul(length, uint64_t(shape_[i]), &length)) return ~uint64_t{0};
  }
  return length;
}

}  // namespace bmrt::hal
