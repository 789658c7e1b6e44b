// libFuzzer target: loading and verifying arbitrary bytes must never crash, leak or read out of
// bounds. Seeds: tests/corpus/vmfb/ (modules compiled by tests/vm/compile_modules.py).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/vmfb/verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static uint8_t region[4 << 20];
  bmrt::Arena arena(bmrt::MutableByteSpan(region, sizeof(region)));
  // An exact-size heap copy so that reads past the end trip the address sanitizer.
  uint8_t* copy = static_cast<uint8_t*>(malloc(size ? size : 1));
  if (size) memcpy(copy, data, size);
  bmrt::vmfb::ErrorMessage message;
  auto module = bmrt::vmfb::LoadVerifiedModule(bmrt::ByteSpan(copy, size), arena, message);
  if (module.ok()) {
    const bmrt::vmfb::Module& loaded = *module.value();
    // Touch what the interpreter would read.
    volatile uint32_t sum = 0;
    for (const auto& function : loaded.functions()) sum += function.bytecode[0];
    for (const auto& segment : loaded.rodata()) sum += segment.empty() ? 0 : segment[segment.size() - 1];
    for (uint32_t i = 0; i < loaded.functions().size(); ++i) sum += loaded.FunctionAttr(i, "x").size();
    bmrt::vmfb::FreeModule(arena, module.value());
  }
  if (arena.stats().live_allocations != 0) abort();
  free(copy);
  return 0;
}
