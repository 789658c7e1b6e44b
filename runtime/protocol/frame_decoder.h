// Byte-fed frame decoder for one generation (G1, G2, G3 or G4).
//
// Feed() takes one byte and answers:
//   kNeedMore    the frame is incomplete; keep feeding.
//   kFrameReady  header() and payload() describe a complete frame.
//   kBadFrame    the frame is malformed; error() says how. kMalformedHeader: the header cannot be
//                trusted (G1 size < 2, G2+ reserved flag bits set), so the frame length is
//                unknown: the caller should discard input until the line is idle. kBadChecksum:
//                the whole frame was consumed and header() is still readable.
//   kTooLarge    the payload did not fit the buffer it was routed to; it has been drained (the
//                whole frame was consumed) and header() is readable.
// After any status other than kNeedMore the next byte starts a new frame. Reset() abandons a
// partial frame (used after an inter-byte timeout).
//
// Payload placement: a PayloadRouter, when given, is called once per frame as soon as its header
// is complete (also for frames without payload) and chooses where the payload goes (e.g.
// straight into a model buffer); without a router the payload goes to the default buffer.
#pragma once

#include "runtime/base/span.h"
#include "runtime/protocol/frame.h"

namespace bmrt::protocol {

enum class DecodeStatus : uint8_t { kNeedMore, kFrameReady, kBadFrame, kTooLarge };
enum class DecodeError : uint8_t { kNone, kMalformedHeader, kBadChecksum };

class PayloadRouter {
 public:
  // Destination for the payload of `header`; a span shorter than header.payload_size makes the
  // decoder drain the payload (the frame then ends as kTooLarge).
  virtual MutableByteSpan RoutePayload(const FrameHeader& header, MutableByteSpan default_buffer) = 0;

 protected:
  ~PayloadRouter() = default;
};

class FrameDecoder {
 public:
  FrameDecoder(Generation generation, MutableByteSpan default_buffer,
               PayloadRouter* router = nullptr);

  DecodeStatus Feed(uint8_t byte);
  void Reset();

  Generation generation() const { return generation_; }
  // True between the first byte of a frame and its end.
  bool InFrame() const { return phase_ != Phase::kHeader || header_fill_ > 0; }
  // True once the whole header of the current frame has been read.
  bool HeaderComplete() const { return phase_ != Phase::kHeader; }
  const FrameHeader& header() const { return header_; }
  ByteSpan payload() const { return ByteSpan(payload_).first(header_.payload_size); }
  DecodeError error() const { return error_; }

 private:
  enum class Phase : uint8_t { kHeader, kPayload, kDrain };

  DecodeStatus FinishHeader();
  DecodeStatus FinishFrame();
  bool ParseHeader();

  Generation generation_;
  MutableByteSpan default_buffer_;
  PayloadRouter* router_;
  Phase phase_ = Phase::kHeader;
  uint8_t header_bytes_[kMaxHeaderSize] = {};
  size_t header_fill_ = 0;
  FrameHeader header_;
  MutableByteSpan payload_;
  uint32_t payload_fill_ = 0;
  uint8_t running_xor_ = 0;
  DecodeError error_ = DecodeError::kNone;
};

}  // namespace bmrt::protocol
