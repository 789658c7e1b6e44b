// A small printf for diagnostics: %s %.*s %c %d %u %x with optional l/ll/z, and %%.
// Always NUL-terminates (when capacity > 0) and truncates silently.
#pragma once

#include <stdarg.h>

#include "runtime/base/types.h"

namespace bmrt {

size_t FormatV(char* buffer, size_t capacity, const char* format, va_list args);
size_t Format(char* buffer, size_t capacity, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

// A fixed buffer for a formatted message that outlives the call that wrote it.
template <size_t N>
struct MessageBuffer {
  char text[N] = {};
  const char* Set(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    va_list args;
    va_start(args, format);
    FormatV(text, N, format, args);
    va_end(args);
    return text;
  }
};

}  // namespace bmrt
