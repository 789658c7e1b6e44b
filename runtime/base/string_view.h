// A non-owning, length-delimited string (never assumed NUL-terminated).
#pragma once

#include "runtime/base/types.h"

namespace bmrt {

class StringView {
 public:
  constexpr StringView() = default;
  constexpr StringView(const char* data, size_t size) : data_(data), size_(size) {}
  constexpr StringView(const char* c_string) : data_(c_string), size_(Length(c_string)) {}

  constexpr const char* data() const { return data_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr char operator[](size_t i) const { return data_[i]; }

  constexpr bool operator==(StringView other) const {
    if (size_ != other.size_) return false;
    for (size_t i = 0; i < size_; ++i) {
      if (data_[i] != other.data_[i]) return false;
    }
    return true;
  }
  constexpr bool StartsWith(StringView prefix) const {
    return prefix.size_ <= size_ && StringView(data_, prefix.size_) == prefix;
  }
  constexpr StringView substr(size_t offset, size_t count = ~size_t{0}) const {
    if (offset > size_) return StringView(data_ + size_, 0);
    size_t available = size_ - offset;
    return StringView(data_ + offset, count < available ? count : available);
  }

  // Length of a NUL-terminated string bounded by `max`: the field need not hold a NUL.
  static constexpr size_t BoundedLength(const char* s, size_t max) {
    size_t n = 0;
    while (n < max && s[n] != '\0') ++n;
    return n;
  }

 private:
  static constexpr size_t Length(const char* s) {
    size_t n = 0;
    while (s && s[n] != '\0') ++n;
    return n;
  }

  const char* data_ = "";
  size_t size_ = 0;
};

}  // namespace bmrt
