// Profiling-window markers for the QEMU instruction-profile plugin
// (profiling/qemu-plugin/insn_class.h): `slti x0, x0, imm` hints, architectural no-ops on
// any RISC-V core, recognised by the plugin through their encodings.
#pragma once

#include <stdint.h>

namespace bmrt::platform {

inline void ProfileWindowBegin() { asm volatile("slti x0, x0, 0x7b0" ::: "memory"); }
inline void ProfileWindowEnd() { asm volatile("slti x0, x0, 0x7b1" ::: "memory"); }

// The same markers with the low word of minstret read right inside them (one asm block, so
// nothing can be scheduled between marker and read). End minus begin counts the instructions
// from the first `csrr` up to, not including, the second: kCountedWindowExtraInstructions
// fewer than the plugin counts for the window, which includes the begin marker and the second
// `csrr` (it closes the window before counting the end marker).
constexpr uint32_t kCountedWindowExtraInstructions = 2;

inline uint32_t CountedProfileWindowBegin() {
  uint32_t retired;
  asm volatile("slti x0, x0, 0x7b0\n\tcsrr %0, minstret" : "=r"(retired) : : "memory");
  return retired;
}

inline uint32_t CountedProfileWindowEnd() {
  uint32_t retired;
  asm volatile("csrr %0, minstret\n\tslti x0, x0, 0x7b1" : "=r"(retired) : : "memory");
  return retired;
}

}  // namespace bmrt::platform
