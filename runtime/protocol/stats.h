// Statistics payloads: the G1 24-byte allocator form and the G2+ 48-byte `32sQQ` records.
#pragma once

#include "runtime/base/span.h"
#include "runtime/base/status.h"

namespace bmrt::protocol {

// Kenning's record types. Kenning main keeps only kAllocation records from a UART target.
enum class StatType : uint8_t { kDefault = 0, kAllocation = 1, kInferenceTime = 2 };

inline constexpr size_t kStatNameSize = 32;
inline constexpr size_t kStatRecordSize = 48;   // char name[32], u64 type, u64 value
inline constexpr size_t kG1StatsSize = 24;      // 6 x u32

// Receives named u64 statistics (from the server and the engine).
class StatsSink {
 public:
  // `name` is NUL-terminated; longer than 31 characters is truncated on the wire.
  virtual void Add(const char* name, uint64_t value, StatType type = StatType::kDefault) = 0;

 protected:
  ~StatsSink() = default;
};

// Writes 48-byte records back to back into a fixed buffer; counts records that did not fit.
class StatRecordWriter final : public StatsSink {
 public:
  explicit StatRecordWriter(MutableByteSpan buffer) : buffer_(buffer) {}
  void Add(const char* name, uint64_t value, StatType type = StatType::kDefault) override;

  ByteSpan written() const { return ByteSpan(buffer_.data(), size_); }
  uint32_t dropped() const { return dropped_; }

 private:
  MutableByteSpan buffer_;
  size_t size_ = 0;
  uint32_t dropped_ = 0;
};

// The G1 STATS payload (IREE allocator statistics order). Values above 32 bits saturate.
struct G1Stats {
  uint64_t host_bytes_peak = 0;
  uint64_t host_bytes_allocated = 0;
  uint64_t host_bytes_freed = 0;
  uint64_t device_bytes_peak = 0;
  uint64_t device_bytes_allocated = 0;
  uint64_t device_bytes_freed = 0;
};

Status EncodeG1Stats(const G1Stats& stats, MutableByteSpan out);

}  // namespace bmrt::protocol
