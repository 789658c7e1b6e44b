#include "runtime/protocol/frame_decoder.h"

#include "runtime/base/byte_reader.h"

namespace bmrt::protocol {

FrameDecoder::FrameDecoder(Generation generation, MutableByteSpan default_buffer,
                           PayloadRouter* router)
    : generation_(generation), default_buffer_(default_buffer), router_(router) {}

void FrameDecoder::Reset() {
  phase_ = Phase::kHeader;
  header_fill_ = 0;
  payload_fill_ = 0;
  running_xor_ = 0;
}

DecodeStatus FrameDecoder::Feed(uint8_t byte) {
  switch (phase_) {
    case Phase::kHeader:
      if (header_fill_ == 0) error_ = DecodeError::kNone;
      header_bytes_[header_fill_++] = byte;
      running_xor_ ^= byte;
      if (header_fill_ < HeaderSize(generation_)) return DecodeStatus::kNeedMore;
      return FinishHeader();
    case Phase::kPayload:
      payload_[payload_fill_++] = byte;
      running_xor_ ^= byte;
      return payload_fill_ == header_.payload_size ? FinishFrame() : DecodeStatus::kNeedMore;
    case Phase::kDrain:
      ++payload_fill_;
      if (payload_fill_ < header_.payload_size) return DecodeStatus::kNeedMore;
      Reset();
      return DecodeStatus::kTooLarge;
  }
  return DecodeStatus::kNeedMore;
}

bool FrameDecoder::ParseHeader() {
  const uint8_t* p = header_bytes_;
  header_ = FrameHeader();
  header_.generation = generation_;
  if (generation_ == Generation::kG1) {
    header_.size_field = LoadLe32(p);
    header_.code = LoadLe16(p + 4);
    header_.kind = KindOf(generation_, header_.code);
    if (header_.size_field < kG1TypeFieldSize) return false;
    header_.payload_size = header_.size_field - kG1TypeFieldSize;
    return true;
  }
  size_t id_size = generation_ == Generation::kG4 ? 5 : 1;
  uint64_t msg_id = 0;
  for (size_t i = 0; i < id_size; ++i) msg_id |= uint64_t(p[i]) << (8 * i);
  unsigned type_bits = TypeBits(generation_);
  header_.code = msg_id & ((uint64_t(1) << type_bits) - 1);
  header_.flow = FlowControl((msg_id >> type_bits) & 3);
  header_.kind = KindOf(generation_, header_.code);
  header_.checksum = p[id_size];
  header_.flags = LoadLe16(p + id_size + 1);
  header_.size_field = LoadLe32(p + id_size + 3);
  header_.payload_size = header_.Has(flags::kHasPayload) ? header_.size_field : 0;
  return (header_.flags & flags::kReserved) == 0;
}

DecodeStatus FrameDecoder::FinishHeader() {
  if (!ParseHeader()) {
    error_ = DecodeError::kMalformedHeader;
    Reset();
    return DecodeStatus::kBadFrame;
  }
  payload_ = router_ ? router_->RoutePayload(header_, default_buffer_) : default_buffer_;
  if (header_.payload_size == 0) return FinishFrame();
  payload_fill_ = 0;
  phase_ = payload_.size() >= header_.payload_size ? Phase::kPayload : Phase::kDrain;
  return DecodeStatus::kNeedMore;
}

DecodeStatus FrameDecoder::FinishFrame() {
  // Checksums are verified only when the sender set the byte (Kenning sends 0x00 when its
  // error recovery is off). XOR over every byte including the checksum must equal the seed.
  bool checksum_ok = generation_ == Generation::kG1 || header_.checksum == 0 ||
                     running_xor_ == kChecksumSeed;
  Reset();
  if (!checksum_ok) {
    error_ = DecodeError::kBadChecksum;
    return DecodeStatus::kBadFrame;
  }
  return DecodeStatus::kFrameReady;
}

}  // namespace bmrt::protocol
