// A small bounds-checked FlatBuffer reader for untrusted input. Every offset followed and every
// field read is checked against the buffer; accessors report malformed data by returning false,
// and absent fields yield their schema default. Positions are byte offsets from the buffer start.
#pragma once

#include "runtime/base/span.h"
#include "runtime/base/string_view.h"

namespace bmrt::vmfb {

// FlatBuffers use 32-bit offsets, so larger buffers are rejected outright.
constexpr size_t kMaxFlatBufferSize = 0x7FFFFFFF;

class FbTable;

// A vector field: `count` elements of `element_size` bytes starting at `position`.
class FbVector {
 public:
  FbVector() = default;
  FbVector(ByteSpan buffer, uint32_t position, uint32_t count, uint32_t element_size)
      : buffer_(buffer), position_(position), count_(count), element_size_(element_size) {}

  uint32_t size() const { return count_; }
  // Position of the u32 count before the elements (0 for an absent vector).
  uint32_t header_position() const { return position_ >= 4 ? position_ - 4 : 0; }
  bool empty() const { return count_ == 0; }
  // The element bytes (scalars and structs); always inside the buffer.
  ByteSpan bytes() const { return buffer_.subspan(position_, size_t(count_) * element_size_); }
  // Elements that are offsets to tables or strings (element_size 4).
  bool TableAt(uint32_t index, FbTable* out) const;
  bool StringAt(uint32_t index, StringView* out) const;

 private:
  ByteSpan buffer_;
  uint32_t position_ = 0;
  uint32_t count_ = 0;
  uint32_t element_size_ = 0;
};

class FbTable {
 public:
  FbTable() = default;

  // The table at `position` (where its vtable soffset sits). False when the table header, its
  // vtable or its inline data leave the buffer.
  static bool At(ByteSpan buffer, uint32_t position, FbTable* out);
  // The root table of a (non size-prefixed) FlatBuffer.
  static bool Root(ByteSpan buffer, FbTable* out);

  bool valid() const { return !buffer_.empty(); }
  uint32_t position() const { return position_; }
  ByteSpan buffer() const { return buffer_; }
  bool Has(int field_id) const { return FieldPosition(field_id, 0) != 0; }
  // Absolute position of a present field's inline bytes, 0 when absent.
  uint32_t Position(int field_id) const { return FieldPosition(field_id, 0); }

  // Scalars: false when the field does not fit the table; `fallback` when absent.
  bool U8(int field_id, uint8_t fallback, uint8_t* out) const;
  bool U16(int field_id, uint16_t fallback, uint16_t* out) const;
  bool U32(int field_id, uint32_t fallback, uint32_t* out) const;
  bool U64(int field_id, uint64_t fallback, uint64_t* out) const;
  bool I32(int field_id, int32_t fallback, int32_t* out) const;

  // Offset fields: absent gives an empty string / invalid table / empty vector and
  // `*present = false` (when `present` is given).
  bool String(int field_id, StringView* out, bool* present = nullptr) const;
  bool Table(int field_id, FbTable* out) const;
  bool Vector(int field_id, uint32_t element_size, FbVector* out) const;

 private:
  // Absolute position of the field's inline bytes, 0 when absent (or when it would not fit:
  // then *malformed is set).
  uint32_t FieldPosition(int field_id, uint32_t size, bool* malformed = nullptr) const;
  const uint8_t* FieldBytes(int field_id, uint32_t size, bool* malformed) const;

  ByteSpan buffer_;
  uint32_t position_ = 0;
  uint32_t vtable_ = 0;
  uint16_t vtable_size_ = 0;
  uint16_t inline_size_ = 0;
};

// Follows the uoffset stored at `position`; false when either end leaves the buffer.
bool FbFollowOffset(ByteSpan buffer, uint32_t position, uint32_t* target);
// Reads a string (u32 length, bytes, NUL) at `position`.
bool FbStringAt(ByteSpan buffer, uint32_t position, StringView* out);
// Reads a vector header (u32 count) at `position` and checks that the elements fit.
bool FbVectorAt(ByteSpan buffer, uint32_t position, uint32_t element_size, FbVector* out);

}  // namespace bmrt::vmfb
