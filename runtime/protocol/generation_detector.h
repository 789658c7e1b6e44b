// Picks the wire generation from the first bytes a host sends after reset.
//
// Rule (on the first 4 bytes of the first frame):
//   00 00 00 00            -> G4: a PING request's 40-bit msg-id is zero. (A G1 size of 0 is
//                             invalid, and a G2 PING has non-zero flags in bytes 2-3.)
//   00 xx Fx 00 with the   -> G2: PING request (msg-id 0) whose flags hold FIRST|LAST (0x30),
//   flags byte & 0x30=0x30    as Kenning's connect / disconnect PINGs do.
//   anything else          -> G1: the first 4 bytes are a u32 size.
// Limits: a G2/G4 host must open with PING (Kenning always does); G3 cannot be told from G2
// (the same PING) and is reported as G2; a G1 first frame whose size is 0x30xx00..0x3Fxx00
// (3-4 MiB, multiple of 256) would be taken for G2. Pin the generation at build time when
// those matter.
#pragma once

#include "runtime/base/types.h"
#include "runtime/protocol/wire.h"

namespace bmrt::protocol {

class GenerationDetector {
 public:
  static constexpr size_t kProbeSize = 4;

  // Returns kAuto until enough bytes were seen, then the detected generation. The probed bytes
  // stay available in probe() for replay into the decoder.
  Generation Feed(uint8_t byte);
  void Reset() { fill_ = 0; }

  const uint8_t* probe() const { return probe_; }
  size_t probe_size() const { return fill_; }

  static Generation Classify(const uint8_t (&probe)[kProbeSize]);

 private:
  uint8_t probe_[kProbeSize] = {};
  size_t fill_ = 0;
};

}  // namespace bmrt::protocol
