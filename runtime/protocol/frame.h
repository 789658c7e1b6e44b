// Frame headers of every generation and their encoders.
#pragma once

#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/protocol/wire.h"

namespace bmrt::protocol {

// One decoded (or to-be-encoded) frame header, generation-neutral.
struct FrameHeader {
  Generation generation = Generation::kG1;
  uint64_t code = 0;                  // raw message-type code on the wire
  MessageKind kind = MessageKind::kUnknown;
  FlowControl flow = FlowControl::kRequest;  // G2+ only
  uint16_t flags = 0;                 // G2+ only
  uint32_t size_field = 0;            // the raw size field as sent
  uint32_t payload_size = 0;          // bytes of payload that follow the header
  uint8_t checksum = 0;               // G2+ only, as received

  bool Has(uint16_t flag) const { return (flags & flag) != 0; }
};

// Largest header of any generation.
inline constexpr size_t kMaxHeaderSize = 12;

// XOR checksum of a G2+ frame: 0x4B ^ XOR(every byte except the checksum byte).
uint8_t Checksum(ByteSpan header_without_checksum, ByteSpan payload);

// Writes the header of a frame carrying `payload` into `out` (HeaderSize(generation) bytes);
// G2+ headers get their checksum computed over header and payload. Returns the header size.
// The header's kind is translated to the generation's code.
Result<size_t> EncodeHeader(Generation generation, MessageKind kind, FlowControl flow,
                            uint16_t flags, ByteSpan payload, MutableByteSpan out);

// As EncodeHeader, with a raw message-type code (e.g. to answer a code no kind maps to).
Result<size_t> EncodeHeaderCode(Generation generation, uint64_t code, FlowControl flow,
                                uint16_t flags, ByteSpan payload, MutableByteSpan out);

// Convenience for small frames: header followed by payload in `out`; returns the frame size.
Result<size_t> EncodeFrame(Generation generation, MessageKind kind, FlowControl flow,
                           uint16_t flags, ByteSpan payload, MutableByteSpan out);

}  // namespace bmrt::protocol
