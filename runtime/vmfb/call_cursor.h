// Walks the value types a call list holds, given one side of a callee's cconv and, for
// call.variadic, its segment sizes: fixed arguments take one register each (segment 0xFFFF),
// a C...D group repeats its tuple `segment` times. 64-bit values are listed once.
//
//   CallCursor cursor(cconv.arguments, segment_bytes, /*variadic=*/true);
//   char type;
//   while (cursor.Next(&type)) { ... one register of `type` ('i' 'I' 'f' 'F' 'r') ... }
//   if (cursor.error()) { ... segment sizes do not fit the signature ... }
#pragma once

#include "runtime/base/byte_reader.h"
#include "runtime/base/span.h"
#include "runtime/base/string_view.h"

namespace bmrt::vmfb {

constexpr uint16_t kFixedSegment = 0xFFFF;

class CallCursor {
 public:
  // `segments`: the u16 segment sizes as encoded (little-endian pairs of bytes).
  CallCursor(StringView types, ByteSpan segments, bool variadic)
      : types_(types), segments_(segments), variadic_(variadic) {}

  // The next expected value type; false at the end or on error (see error()).
  bool Next(char* type) {
    while (error_ == nullptr) {
      if (tuples_left_ > 0) {
        if (tuple_position_ < tuple_end_) {
          *type = types_[tuple_position_++];
          return true;
        }
        tuple_position_ = tuple_start_;
        if (--tuples_left_ > 0) continue;
        position_ = tuple_end_ + 1;
        continue;
      }
      if (position_ >= types_.size()) {
        if (variadic_ && segment_ * 2 != segments_.size()) error_ = "more segment sizes than arguments";
        return false;
      }
      char c = types_[position_];
      if (c == 'C') {
        if (!variadic_) {
          error_ = "variadic callee needs call.variadic";
          return false;
        }
        tuple_start_ = tuple_position_ = position_ + 1;
        tuple_end_ = tuple_start_;
        while (tuple_end_ < types_.size() && types_[tuple_end_] != 'D') ++tuple_end_;
        uint16_t size = NextSegment();
        if (error_) return false;
        if (size == kFixedSegment) {
          error_ = "variadic argument with a fixed segment size";
          return false;
        }
        tuples_left_ = size;
        if (size == 0) position_ = tuple_end_ + 1;
        continue;
      }
      if (variadic_) {
        uint16_t size = NextSegment();
        if (error_) return false;
        if (size != kFixedSegment) {
          error_ = "fixed argument with a variadic segment size";
          return false;
        }
      }
      ++position_;
      *type = c;
      return true;
    }
    return false;
  }

  const char* error() const { return error_; }

 private:
  uint16_t NextSegment() {
    if (segment_ * 2 + 2 > segments_.size()) {
      error_ = "fewer segment sizes than arguments";
      return 0;
    }
    return LoadLe16(&segments_[segment_++ * 2]);
  }

  StringView types_;
  ByteSpan segments_;
  bool variadic_;
  size_t position_ = 0;
  size_t segment_ = 0;
  size_t tuple_start_ = 0, tuple_end_ = 0, tuple_position_ = 0;
  uint32_t tuples_left_ = 0;
  const char* error_ = nullptr;
};

}  // namespace bmrt::vmfb
