#include "runtime/vmfb/flatbuffer.h"

#include "runtime/base/byte_reader.h"
#include "runtime/base/utility.h"

namespace bmrt::vmfb {

bool FbFollowOffset(ByteSpan buffer, uint32_t position, uint32_t* target) {
  if (!RangeFits(position, 4, buffer.size())) return false;
  uint64_t destination = uint64_t(position) + LoadLe32(&buffer[position]);
  if (destination >= buffer.size()) return false;
  *target = uint32_t(destination);
  return true;
}

bool FbStringAt(ByteSpan buffer, uint32_t position, StringView* out) {
  if (!RangeFits(position, 4, buffer.size())) return false;
  uint32_t length = LoadLe32(&buffer[position]);
  // The bytes and the NUL terminator must fit.
  if (!RangeFits(uint64_t(position) + 4, uint64_t(length) + 1, buffer.size())) return false;
  if (buffer[size_t(position) + 4 + length] != 0) return false;
  *out = StringView(reinterpret_cast<const char*>(&buffer[position + 4]), length);
  return true;
}

bool FbVectorAt(ByteSpan buffer, uint32_t position, uint32_t element_size, FbVector* out) {
  if (!RangeFits(position, 4, buffer.size())) return false;
  uint32_t count = LoadLe32(&buffer[position]);
  if (!RangeFits(uint64_t(position) + 4, uint64_t(count) * element_size, buffer.size())) {
    return false;
  }
  *out = FbVector(buffer, position + 4, count, element_size);
  return true;
}

bool FbVector::TableAt(uint32_t index, FbTable* out) const {
  uint32_t target = 0;
  return index < count_ && element_size_ == 4 &&
         FbFollowOffset(buffer_, position_ + 4 * index, &target) &&
         FbTable::At(buffer_, target, out);
}

bool FbVector::StringAt(uint32_t index, StringView* out) const {
  uint32_t target = 0;
  return index < count_ && element_size_ == 4 &&
         FbFollowOffset(buffer_, position_ + 4 * index, &target) &&
         FbStringAt(buffer_, target, out);
}

bool FbTable::At(ByteSpan buffer, uint32_t position, FbTable* out) {
  if (buffer.size() > kMaxFlatBufferSize || !RangeFits(position, 4, buffer.size())) return false;
  int64_t vtable = int64_t(position) - int32_t(LoadLe32(&buffer[position]));
  if (vtable < 0 || !RangeFits(uint64_t(vtable), 4, buffer.size())) return false;
  uint16_t vtable_size = LoadLe16(&buffer[size_t(vtable)]);
  uint16_t inline_size = LoadLe16(&buffer[size_t(vtable) + 2]);
  if (vtable_size < 4 || (vtable_size & 1) != 0) return false;
  if (!RangeFits(uint64_t(vtable), vtable_size, buffer.size())) return false;
  if (inline_size < 4 || !RangeFits(position, inline_size, buffer.size())) return false;
  out->buffer_ = buffer;
  out->position_ = position;
  out->vtable_ = uint32_t(vtable);
  out->vtable_size_ = vtable_size;
  out->inline_size_ = inline_size;
  return true;
}

bool FbTable::Root(ByteSpan buffer, FbTable* out) {
  uint32_t root = 0;
  return buffer.size() >= 8 && FbFollowOffset(buffer, 0, &root) && At(buffer, root, out);
}

uint32_t FbTable::FieldPosition(int field_id, uint32_t size, bool* malformed) const {
  if (!valid() || field_id < 0) return 0;
  uint32_t entry = 4 + 2 * uint32_t(field_id);
  if (entry + 2 > vtable_size_) return 0;
  uint16_t field_offset = LoadLe16(&buffer_[vtable_ + entry]);
  if (field_offset == 0) return 0;
  // Inline fields live after the 4-byte vtable soffset and inside the table's inline size.
  if (field_offset < 4 || uint32_t(field_offset) + size > inline_size_) {
    if (malformed) *malformed = true;
    return 0;
  }
  return position_ + field_offset;
}

const uint8_t* FbTable::FieldBytes(int field_id, uint32_t size, bool* malformed) const {
  uint32_t position = FieldPosition(field_id, size, malformed);
  return position ? &buffer_[position] : nullptr;
}

bool FbTable::U8(int field_id, uint8_t fallback, uint8_t* out) const {
  bool malformed = false;
  const uint8_t* p = FieldBytes(field_id, 1, &malformed);
  *out = p ? p[0] : fallback;
  return !malformed;
}

bool FbTable::U16(int field_id, uint16_t fallback, uint16_t* out) const {
  bool malformed = false;
  const uint8_t* p = FieldBytes(field_id, 2, &malformed);
  *out = p ? LoadLe16(p) : fallback;
  return !malformed;
}

bool FbTable::U32(int field_id, uint32_t fallback, uint32_t* out) const {
  bool malformed = false;
  const uint8_t* p = FieldBytes(field_id, 4, &malformed);
  *out = p ? LoadLe32(p) : fallback;
  return !malformed;
}

bool FbTable::U64(int field_id, uint64_t fallback, uint64_t* out) const {
  bool malformed = false;
  const uint8_t* p = FieldBytes(field_id, 8, &malformed);
  *out = p ? LoadLe64(p) : fallback;
  return !malformed;
}

bool FbTable::I32(int field_id, int32_t fallback, int32_t* out) const {
  uint32_t value = 0;
  if (!U32(field_id, uint32_t(fallback), &value)) return false;
  *out = int32_t(value);
  return true;
}

bool FbTable::String(int field_id, StringView* out, bool* present) const {
  bool malformed = false;
  uint32_t position = FieldPosition(field_id, 4, &malformed);
  if (present) *present = position != 0;
  *out = StringView();
  if (position == 0) return !malformed;
  uint32_t target = 0;
  return FbFollowOffset(buffer_, position, &target) && FbStringAt(buffer_, target, out);
}

bool FbTable::Table(int field_id, FbTable* out) const {
  bool malformed = false;
  uint32_t position = FieldPosition(field_id, 4, &malformed);
  *out = FbTable();
  if (position == 0) return !malformed;
  uint32_t target = 0;
  return FbFollowOffset(buffer_, position, &target) && At(buffer_, target, out);
}

bool FbTable::Vector(int field_id, uint32_t element_size, FbVector* out) const {
  bool malformed = false;
  uint32_t position = FieldPosition(field_id, 4, &malformed);
  *out = FbVector();
  if (position == 0) return !malformed;
  uint32_t target = 0;
  return FbFollowOffset(buffer_, position, &target) &&
         FbVectorAt(buffer_, target, element_size, out);
}

}  // namespace bmrt::vmfb
