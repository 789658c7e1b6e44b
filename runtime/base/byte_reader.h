// Little-endian field access for untrusted bytes. Every read is bounds-checked.
#pragma once

#include "runtime/base/span.h"
#include "runtime/base/status.h"

namespace bmrt {

inline uint16_t LoadLe16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
inline uint32_t LoadLe32(const uint8_t* p) {
  return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}
inline uint64_t LoadLe64(const uint8_t* p) {
  return uint64_t(LoadLe32(p)) | (uint64_t(LoadLe32(p + 4)) << 32);
}
inline void StoreLe16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v);
  p[1] = uint8_t(v >> 8);
}
inline void StoreLe32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}
inline void StoreLe64(uint8_t* p, uint64_t v) {
  StoreLe32(p, uint32_t(v));
  StoreLe32(p + 4, uint32_t(v >> 32));
}

// Sequential reader. After the first failed read the reader stays failed and every further
// read returns zero, so a parser may read a whole record and check ok() once.
class ByteReader {
 public:
  explicit ByteReader(ByteSpan bytes) : bytes_(bytes) {}

  size_t position() const { return position_; }
  size_t remaining() const { return bytes_.size() - position_; }
  bool ok() const { return ok_; }
  Status status() const { return ok_ ? OkStatus() : DataLoss("read past the end of the input"); }

  uint8_t ReadU8() { return Take(1) ? bytes_[position_ - 1] : 0; }
  uint16_t ReadU16() { return Take(2) ? LoadLe16(&bytes_[position_ - 2]) : 0; }
  uint32_t ReadU32() { return Take(4) ? LoadLe32(&bytes_[position_ - 4]) : 0; }
  uint64_t ReadU64() { return Take(8) ? LoadLe64(&bytes_[position_ - 8]) : 0; }

  // Returns an empty span on failure.
  ByteSpan ReadBytes(size_t count) {
    if (!Take(count)) return ByteSpan();
    return bytes_.subspan(position_ - count, count);
  }
  void Skip(size_t count) { Take(count); }

 private:
  bool Take(size_t count) {
    if (!ok_ || count > remaining()) {
      ok_ = false;
      return false;
    }
    position_ += count;
    return true;
  }

  ByteSpan bytes_;
  size_t position_ = 0;
  bool ok_ = true;
};

// Sequential little-endian writer into a fixed buffer; fails (and stays failed) on overflow.
class ByteWriter {
 public:
  explicit ByteWriter(MutableByteSpan buffer) : buffer_(buffer) {}

  size_t size() const { return size_; }
  bool ok() const { return ok_; }
  ByteSpan written() const { return ByteSpan(buffer_.data(), size_); }

  void WriteU8(uint8_t v) {
    if (uint8_t* p = Take(1)) p[0] = v;
  }
  void WriteU16(uint16_t v) {
    if (uint8_t* p = Take(2)) StoreLe16(p, v);
  }
  void WriteU32(uint32_t v) {
    if (uint8_t* p = Take(4)) StoreLe32(p, v);
  }
  void WriteU64(uint64_t v) {
    if (uint8_t* p = Take(8)) StoreLe64(p, v);
  }
  void WriteBytes(ByteSpan bytes) {
    if (uint8_t* p = Take(bytes.size())) {
      for (size_t i = 0; i < bytes.size(); ++i) p[i] = bytes[i];
    }
  }
  // Writes `text` into a fixed-width field, NUL-padded; fails if it does not fit.
  void WriteFixedString(const char* text, size_t text_size, size_t field_size) {
    if (text_size > field_size) {
      ok_ = false;
      return;
    }
    if (uint8_t* p = Take(field_size)) {
      for (size_t i = 0; i < field_size; ++i) p[i] = i < text_size ? uint8_t(text[i]) : 0;
    }
  }
  void WriteZeros(size_t count) {
    if (uint8_t* p = Take(count)) {
      for (size_t i = 0; i < count; ++i) p[i] = 0;
    }
  }

 private:
  uint8_t* Take(size_t count) {
    if (!ok_ || count > buffer_.size() - size_) {
      ok_ = false;
      return nullptr;
    }
    size_ += count;
    return buffer_.data() + size_ - count;
  }

  MutableByteSpan buffer_;
  size_t size_ = 0;
  bool ok_ = true;
};

}  // namespace bmrt
