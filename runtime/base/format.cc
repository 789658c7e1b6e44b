#include "runtime/base/format.h"

namespace bmrt {

namespace {

class Sink {
 public:
  Sink(char* buffer, size_t capacity) : buffer_(buffer), capacity_(capacity) {}
  void Put(char c) {
    if (length_ + 1 < capacity_) buffer_[length_] = c;
    ++length_;
  }
  void PutString(const char* s, size_t max) {
    for (size_t i = 0; i < max && s[i]; ++i) Put(s[i]);
  }
  void PutUnsigned(uint64_t value, unsigned base) {
    char digits[24];
    int n = 0;
    do {
      unsigned digit = unsigned(value % base);
      digits[n++] = char(digit < 10 ? '0' + digit : 'a' + digit - 10);
      value /= base;
    } while (value);
    while (n) Put(digits[--n]);
  }
  size_t Finish() {
    if (capacity_) buffer_[length_ < capacity_ ? length_ : capacity_ - 1] = '\0';
    return length_;
  }

 private:
  char* buffer_;
  size_t capacity_;
  size_t length_ = 0;
};

}  // namespace

size_t FormatV(char* buffer, size_t capacity, const char* format, va_list args) {
  Sink sink(buffer, capacity);
  for (const char* p = format; *p; ++p) {
    if (*p != '%') {
      sink.Put(*p);
      continue;
    }
    ++p;
    int longs = 0;
    bool size_t_arg = false;
    bool precision_arg = false;
    if (p[0] == '.' && p[1] == '*') {
      precision_arg = true;
      p += 2;
    }
    while (*p == 'l') {
      ++longs;
      ++p;
    }
    if (*p == 'z') {
      size_t_arg = true;
      ++p;
    }
    switch (*p) {
      case 's': {
        size_t max = ~size_t{0};
        if (precision_arg) max = size_t(va_arg(args, int));
        const char* s = va_arg(args, const char*);
        sink.PutString(s ? s : "(null)", max);
        break;
      }
      case 'c': sink.Put(char(va_arg(args, int))); break;
      case 'd': {
        int64_t v = longs >= 2 ? va_arg(args, long long)
                    : longs == 1 ? va_arg(args, long)
                    : size_t_arg ? int64_t(va_arg(args, size_t))
                                 : va_arg(args, int);
        uint64_t magnitude = v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v);
        if (v < 0) sink.Put('-');
        sink.PutUnsigned(magnitude, 10);
        break;
      }
      case 'u':
      case 'x': {
        uint64_t v = longs >= 2 ? va_arg(args, unsigned long long)
                     : longs == 1 ? va_arg(args, unsigned long)
                     : size_t_arg ? va_arg(args, size_t)
                                  : va_arg(args, unsigned);
        sink.PutUnsigned(v, *p == 'x' ? 16 : 10);
        break;
      }
      case '%': sink.Put('%'); break;
      case '\0': return sink.Finish();
      default:
        sink.Put('%');
        sink.Put(*p);
        break;
    }
  }
  return sink.Finish();
}

size_t Format(char* buffer, size_t capacity, const char* format, ...) {
  va_list args;
  va_start(args, format);
  size_t n = FormatV(buffer, capacity, format, args);
  va_end(args);
  return n;
}

}  // namespace bmrt
