#include "runtime/protocol/generation_detector.h"

#include "runtime/protocol/frame.h"

namespace bmrt::protocol {

Generation GenerationDetector::Classify(const uint8_t (&p)[kProbeSize]) {
  if (p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) return Generation::kG4;
  constexpr uint8_t kFirstLast = uint8_t(flags::kFirst | flags::kLast);
  if (p[0] == 0 && (p[2] & kFirstLast) == kFirstLast && p[3] == 0) return Generation::kG2;
  return Generation::kG1;
}

Generation GenerationDetector::Feed(uint8_t byte) {
  if (fill_ < kProbeSize) probe_[fill_++] = byte;
  if (fill_ < kProbeSize) return Generation::kAuto;
  return Classify(probe_);
}

}  // namespace bmrt::protocol
