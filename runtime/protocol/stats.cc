#include "runtime/protocol/stats.h"

#include "runtime/base/byte_reader.h"
#include "runtime/base/string_view.h"

namespace bmrt::protocol {

void StatRecordWriter::Add(const char* name, uint64_t value, StatType type) {
  if (buffer_.size() - size_ < kStatRecordSize) {
    ++dropped_;
    return;
  }
  ByteWriter writer(buffer_.subspan(size_, kStatRecordSize));
  // Keep one NUL so the name reads back as a C string.
  writer.WriteFixedString(name, StringView::BoundedLength(name, kStatNameSize - 1), kStatNameSize);
  writer.WriteU64(uint64_t(type));
  writer.WriteU64(value);
  size_ += kStatRecordSize;
}

Status EncodeG1Stats(const G1Stats& stats, MutableByteSpan out) {
  ByteWriter writer(out);
  const uint64_t values[] = {stats.host_bytes_peak,   stats.host_bytes_allocated,
                             stats.host_bytes_freed,  stats.device_bytes_peak,
                             stats.device_bytes_allocated, stats.device_bytes_freed};
  for (uint64_t value : values) writer.WriteU32(value > 0xFFFFFFFFu ? 0xFFFFFFFFu : uint32_t(value));
  return writer.ok() ? OkStatus() : ResourceExhausted("stats buffer too small");
}

}  // namespace bmrt::protocol
