// The few standard-library pieces the runtime needs, without a C++ library.
#pragma once

#include "runtime/base/types.h"

#if __has_include(<new>)
#include <new>
#else
inline void* operator new(size_t, void* place) noexcept { return place; }
inline void operator delete(void*, void*) noexcept {}
#endif

namespace bmrt {

template <typename T> struct RemoveReference { using Type = T; };
template <typename T> struct RemoveReference<T&> { using Type = T; };
template <typename T> struct RemoveReference<T&&> { using Type = T; };

template <typename T>
constexpr typename RemoveReference<T>::Type&& Move(T&& value) noexcept {
  return static_cast<typename RemoveReference<T>::Type&&>(value);
}

template <typename T>
constexpr T&& Forward(typename RemoveReference<T>::Type& value) noexcept {
  return static_cast<T&&>(value);
}

template <typename T> constexpr const T& Min(const T& a, const T& b) { return b < a ? b : a; }
template <typename T> constexpr const T& Max(const T& a, const T& b) { return a < b ? b : a; }

template <typename T> constexpr void Swap(T& a, T& b) {
  T tmp = Move(a);
  a = Move(b);
  b = Move(tmp);
}

constexpr bool IsPowerOfTwo(size_t value) { return value != 0 && (value & (value - 1)) == 0; }

// `alignment` must be a power of two.
constexpr size_t AlignUp(size_t value, size_t alignment) {
  return (value + alignment - 1) & ~(alignment - 1);
}

// Overflow-checked arithmetic: returns false when the result does not fit.
template <typename T> constexpr bool CheckedAdd(T a, T b, T* out) {
  return !__builtin_add_overflow(a, b, out);
}
template <typename T> constexpr bool CheckedMul(T a, T b, T* out) {
  return !__builtin_mul_overflow(a, b, out);
}

// True when [offset, offset + length) lies inside [0, total).
constexpr bool RangeFits(uint64_t offset, uint64_t length, uint64_t total) {
  return offset <= total && length <= total - offset;
}

}  // namespace bmrt
