// Result<T>: a value or the Status explaining why there is none.
#pragma once

#include "runtime/base/status.h"
#include "runtime/base/utility.h"

namespace bmrt {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : has_value_(true) { new (&value_) T(value); }
  Result(T&& value) : has_value_(true) { new (&value_) T(Move(value)); }
  // A Result built from a status must carry an error.
  Result(Status status) : status_(status.ok() ? Internal("ok status without value") : status) {}

  Result(const Result& other) : status_(other.status_), has_value_(other.has_value_) {
    if (has_value_) new (&value_) T(other.value_);
  }
  Result(Result&& other) : status_(other.status_), has_value_(other.has_value_) {
    if (has_value_) new (&value_) T(Move(other.value_));
  }
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;
  ~Result() {
    if (has_value_) value_.~T();
  }

  bool ok() const { return has_value_; }
  Status status() const { return status_; }

  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return Move(value_); }

  T& operator*() & { return value_; }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }

 private:
  Status status_;
  bool has_value_ = false;
  union {
    T value_;
  };
};

}  // namespace bmrt
