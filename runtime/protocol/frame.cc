#include "runtime/protocol/frame.h"

#include <string.h>

#include "runtime/base/byte_reader.h"

namespace bmrt::protocol {

uint8_t Checksum(ByteSpan header_without_checksum, ByteSpan payload) {
  uint8_t sum = kChecksumSeed;
  for (uint8_t byte : header_without_checksum) sum ^= byte;
  for (uint8_t byte : payload) sum ^= byte;
  return sum;
}

Result<size_t> EncodeHeader(Generation generation, MessageKind kind, FlowControl flow,
                            uint16_t flags, ByteSpan payload, MutableByteSpan out) {
  uint64_t code = 0;
  if (!CodeOf(generation, kind, &code)) return InvalidArgument("message kind absent in generation");
  return EncodeHeaderCode(generation, code, flow, flags, payload, out);
}

Result<size_t> EncodeHeaderCode(Generation generation, uint64_t code, FlowControl flow,
                                uint16_t flags, ByteSpan payload, MutableByteSpan out) {
  if (generation == Generation::kAuto) return InvalidArgument("no generation chosen");
  size_t header_size = HeaderSize(generation);
  if (out.size() < header_size) return ResourceExhausted("frame buffer too small for header");
  if (generation == Generation::kG1 ? code > 0xFFFF : code >> TypeBits(generation) != 0) {
    return InvalidArgument("message code too wide for the generation");
  }

  if (generation == Generation::kG1) {
    if (payload.size() > 0xFFFFFFFFu - kG1TypeFieldSize) return OutOfRange("payload too large");
    StoreLe32(out.data(), uint32_t(payload.size() + kG1TypeFieldSize));
    StoreLe16(out.data() + 4, uint16_t(code));
    return header_size;
  }

  if (payload.size() > 0xFFFFFFFFu) return OutOfRange("payload too large");
  unsigned type_bits = TypeBits(generation);
  uint64_t msg_id = code | (uint64_t(flow) << type_bits);
  size_t id_size = generation == Generation::kG4 ? 5 : 1;
  uint8_t* p = out.data();
  for (size_t i = 0; i < id_size; ++i) p[i] = uint8_t(msg_id >> (8 * i));
  if (!payload.empty()) flags |= flags::kHasPayload;
  StoreLe16(p + id_size + 1, flags);
  StoreLe32(p + id_size + 3, uint32_t(payload.size()));
  // The checksum byte is excluded: XOR the bytes on either side of it.
  uint8_t sum = Checksum(ByteSpan(p, id_size), payload);
  for (size_t i = id_size + 1; i < header_size; ++i) sum ^= p[i];
  p[id_size] = sum;
  return header_size;
}

Result<size_t> EncodeFrame(Generation generation, MessageKind kind, FlowControl flow,
                           uint16_t flags, ByteSpan payload, MutableByteSpan out) {
  BMRT_ASSIGN_OR_RETURN(size_t header_size,
                        EncodeHeader(generation, kind, flow, flags, payload, out));
  if (out.size() - header_size < payload.size()) {
    return ResourceExhausted("frame buffer too small for payload");
  }
  if (!payload.empty()) memcpy(out.data() + header_size, payload.data(), payload.size());
  return header_size + payload.size();
}

}  // namespace bmrt::protocol
