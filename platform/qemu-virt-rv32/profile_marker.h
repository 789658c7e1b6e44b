// Profiling-window markers for the QEMU instruction-profile plugin
// (profiling/qemu-plugin/insn_class.h): `slti x0, x0, imm` hints, architectural no-ops on
// any RISC-V core, recognised by the plugin through their encodings.
#pragma once

namespace bmrt::platform {

inline void ProfileWindowBegin() { asm volatile("slti x0, x0, 0x7b0" ::: "memory"); }
inline void ProfileWindowEnd() { asm volatile("slti x0, x0, 0x7b1" ::: "memory"); }

}  // namespace bmrt::platform
