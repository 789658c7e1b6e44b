// Fuzzes the frame decoders of every generation and both IO-spec decoders. Invariants: the
// decoders never read or write out of bounds, and a decoded spec re-encodes to bytes that decode
// to the same spec.
#include <string.h>

#include "runtime/protocol/frame_decoder.h"
#include "runtime/protocol/io_spec.h"

using namespace bmrt;
using namespace bmrt::protocol;

namespace {

void CheckSpecRoundTrip(const ModelSpec& spec, bool g1) {
  uint8_t bytes[kIoSpecG2Size];
  ModelSpec again;
  if (g1) {
    if (!EncodeIoSpecG1(spec, MutableByteSpan(bytes, kIoSpecG1Size)).ok()) __builtin_trap();
    if (!DecodeIoSpecG1(ByteSpan(bytes, kIoSpecG1Size), &again).ok()) __builtin_trap();
  } else {
    if (!EncodeIoSpecG2(spec, bytes).ok()) __builtin_trap();
    if (!DecodeIoSpecG2(bytes, &again).ok()) __builtin_trap();
  }
  if (again.num_inputs != spec.num_inputs || again.num_outputs != spec.num_outputs ||
      strcmp(again.entry_function, spec.entry_function) != 0) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteSpan input(data, size);
  const Generation generations[] = {Generation::kG1, Generation::kG2, Generation::kG4};
  for (Generation generation : generations) {
    uint8_t buffer[64];
    FrameDecoder decoder(generation, buffer);
    for (uint8_t byte : input) {
      DecodeStatus status = decoder.Feed(byte);
      if (status == DecodeStatus::kFrameReady && decoder.payload().size() > sizeof(buffer)) {
        __builtin_trap();
      }
    }
  }
  ModelSpec spec;
  if (size >= kIoSpecG1Size && DecodeIoSpecG1(input.first(kIoSpecG1Size), &spec).ok()) {
    CheckSpecRoundTrip(spec, true);
  }
  if (size >= kIoSpecG2Size && DecodeIoSpecG2(input.first(kIoSpecG2Size), &spec).ok()) {
    CheckSpecRoundTrip(spec, false);
  }
  return 0;
}
