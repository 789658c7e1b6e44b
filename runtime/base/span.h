// Non-owning views of contiguous memory.
#pragma once

#include "runtime/base/types.h"

namespace bmrt {

template <typename T>
class Span {
 public:
  constexpr Span() = default;
  constexpr Span(T* data, size_t size) : data_(data), size_(size) {}
  template <size_t N>
  constexpr Span(T (&array)[N]) : data_(array), size_(N) {}
  // Span<const T> from Span<T>.
  template <typename U>
  constexpr Span(const Span<U>& other) : data_(other.data()), size_(other.size()) {}

  constexpr T* data() const { return data_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr T& operator[](size_t index) const { return data_[index]; }
  constexpr T* begin() const { return data_; }
  constexpr T* end() const { return data_ + size_; }

  // Clamped to the span: a request past the end yields a shorter (possibly empty) span.
  constexpr Span subspan(size_t offset, size_t count = ~size_t{0}) const {
    if (offset > size_) return Span(data_ + size_, 0);
    size_t available = size_ - offset;
    return Span(data_ + offset, count < available ? count : available);
  }
  constexpr Span first(size_t count) const { return subspan(0, count); }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

using ByteSpan = Span<const uint8_t>;
using MutableByteSpan = Span<uint8_t>;

}  // namespace bmrt
