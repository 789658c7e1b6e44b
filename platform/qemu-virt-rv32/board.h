// QEMU `virt` (rv32) device addresses and the firmware's exit-code convention. Register
// addresses live only here and in the drivers of this directory.
#pragma once

#include "runtime/base/types.h"

namespace bmrt::platform {

inline constexpr uintptr_t kTestDeviceAddress = 0x00100000;  // SiFive test device (exit)
inline constexpr uintptr_t kClintAddress = 0x02000000;
inline constexpr uintptr_t kClintMtimeOffset = 0xBFF8;
inline constexpr uintptr_t kClintMtimecmpOffset = 0x4000;  // hart 0
inline constexpr uint32_t kMtimeHz = 10'000'000;
inline constexpr uintptr_t kUart0Address = 0x10000000;      // NS16550A

// QEMU's exit status for the run (the host launcher decodes the same table).
inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;          // a check failed (self-test mismatch, ...)
inline constexpr int kExitBadArguments = 2;     // unknown boot mode
inline constexpr int kExitTrapBase = 128;       // + mcause exception code (0..63)
inline constexpr int kExitInterruptBase = 192;  // + mcause interrupt code (0..62)
inline constexpr int kExitNestedTrap = 255;     // a trap while reporting a trap

template <typename T>
inline volatile T& Register(uintptr_t address) {
  return *reinterpret_cast<volatile T*>(address);
}

}  // namespace bmrt::platform
