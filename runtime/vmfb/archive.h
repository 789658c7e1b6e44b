// The outer wrapper of a .vmfb: an optional ZIP local-file header (the "polyglot" form), a
// u32 size prefix, the FlatBuffer ("IREE" identifier), and external rodata after it starting at
// a 64-byte-aligned base. Nothing is copied: the result views the input bytes.
#pragma once

#include "runtime/base/span.h"
#include "runtime/base/status.h"

namespace bmrt::vmfb {

constexpr uint32_t kZipLocalHeaderSignature = 0x04034B50;  // "PK\3\4"
constexpr size_t kZipLocalHeaderSize = 30;
constexpr size_t kArchiveSegmentAlignment = 64;
constexpr size_t kMinFlatBufferSize = 16;

struct Archive {
  ByteSpan bytes;        // the whole input
  ByteSpan flatbuffer;   // the FlatBuffer, without its size prefix
  uint64_t rodata_base;  // offset in `bytes` where external rodata offsets count from
  bool zip;              // wrapped in a ZIP local-file header
};

// Locates the FlatBuffer inside `bytes` and checks the size prefix and the identifier.
Status ParseArchive(ByteSpan bytes, Archive* out);

// The external rodata segment [offset, offset + length) relative to the rodata base; false when
// it does not lie inside the archive.
bool ExternalSegment(const Archive& archive, uint64_t offset, uint64_t length, ByteSpan* out);

}  // namespace bmrt::vmfb
