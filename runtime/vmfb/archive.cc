#include "runtime/vmfb/archive.h"

#include <string.h>

#include "runtime/base/byte_reader.h"
#include "runtime/base/utility.h"

namespace bmrt::vmfb {

Status ParseArchive(ByteSpan bytes, Archive* out) {
  size_t start = 0;
  bool zip = bytes.size() >= 4 && LoadLe32(bytes.data()) == kZipLocalHeaderSignature;
  if (zip) {
    if (bytes.size() < kZipLocalHeaderSize) return DataLoss("truncated ZIP local header");
    start = kZipLocalHeaderSize + LoadLe16(&bytes[26]) + LoadLe16(&bytes[28]);
  }
  if (!RangeFits(start, 4, bytes.size())) {
    return DataLoss("archive ends before the FlatBuffer size");
  }
  uint32_t size = LoadLe32(&bytes[start]);
  size_t flatbuffer_start = start + 4;
  if (size < kMinFlatBufferSize) return DataLoss("FlatBuffer too small");
  if (!RangeFits(flatbuffer_start, size, bytes.size())) {
    return DataLoss("FlatBuffer size prefix exceeds the archive");
  }
  ByteSpan flatbuffer = bytes.subspan(flatbuffer_start, size);
  if (memcmp(&flatbuffer[4], "IREE", 4) != 0) return DataLoss("FlatBuffer identifier is not IREE");
  out->bytes = bytes;
  out->flatbuffer = flatbuffer;
  out->rodata_base = AlignUp(flatbuffer_start + size, kArchiveSegmentAlignment);
  out->zip = zip;
  return OkStatus();
}

bool ExternalSegment(const Archive& archive, uint64_t offset, uint64_t length, ByteSpan* out) {
  uint64_t start = 0;
  if (!CheckedAdd(archive.rodata_base, offset, &start)) return false;
  if (!RangeFits(start, length, archive.bytes.size())) return false;
  *out = archive.bytes.subspan(size_t(start), size_t(length));
  return true;
}

}  // namespace bmrt::vmfb
