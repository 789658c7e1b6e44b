#include "platform/qemu-virt-rv32/system.h"

#include "platform/qemu-virt-rv32/board.h"

extern "C" {
uint32_t bmrt_vlenb;  // written by start.S before any C++ code runs
extern uint8_t __bmrt_arena_start[];
extern uint8_t __bmrt_arena_end[];

[[noreturn]] void bmrt_exit(int code) {
  using namespace bmrt::platform;
  uint32_t command = code == 0 ? 0x5555u : (uint32_t(code & 0xFFFF) << 16) | 0x3333u;
  for (;;) Register<uint32_t>(kTestDeviceAddress) = command;
}
}

namespace bmrt::platform {
namespace {

// Reads a 64-bit counter as two halves, retrying when the low half wrapped in between.
#define BMRT_READ_COUNTER64(low_csr, high_csr)                       \
  do {                                                               \
    uint32_t high, low, high_again;                                  \
    do {                                                             \
      asm volatile("csrr %0, " #high_csr : "=r"(high));              \
      asm volatile("csrr %0, " #low_csr : "=r"(low));                \
      asm volatile("csrr %0, " #high_csr : "=r"(high_again));        \
    } while (high != high_again);                                    \
    return (uint64_t(high) << 32) | low;                             \
  } while (0)

uint64_t MachineTime() {
  volatile uint32_t* mtime = &Register<uint32_t>(kClintAddress + kClintMtimeOffset);
  uint32_t high, low;
  do {
    high = mtime[1];
    low = mtime[0];
  } while (high != mtime[1]);
  return (uint64_t(high) << 32) | low;
}

// Written high half first so that the comparison never passes through a value in between.
void SetTimerCompare(uint64_t value) {
  volatile uint32_t* mtimecmp = &Register<uint32_t>(kClintAddress + kClintMtimecmpOffset);
  mtimecmp[1] = 0xFFFFFFFFu;
  mtimecmp[0] = uint32_t(value);
  mtimecmp[1] = uint32_t(value >> 32);
}

constexpr uint32_t kMieTimer = 1u << 7;

}  // namespace

uint64_t InstructionCount() { BMRT_READ_COUNTER64(minstret, minstreth); }
uint64_t CycleCount() { BMRT_READ_COUNTER64(mcycle, mcycleh); }

uint64_t Microseconds() { return MachineTime() / (kMtimeHz / 1'000'000); }

void Idle(uint32_t microseconds) {
  SetTimerCompare(MachineTime() + uint64_t(microseconds) * (kMtimeHz / 1'000'000));
  asm volatile("csrs mie, %0" ::"r"(kMieTimer));
  asm volatile("wfi");
  asm volatile("csrc mie, %0" ::"r"(kMieTimer));
  SetTimerCompare(~uint64_t{0});
}

void SyncInstructions(void*, const void*, size_t) { asm volatile("fence.i" ::: "memory"); }

uint32_t VectorLengthBits() { return bmrt_vlenb * 8; }

uint32_t Misa() {
  uint32_t value;
  asm volatile("csrr %0, misa" : "=r"(value));
  return value;
}

uint8_t* ArenaStart() { return __bmrt_arena_start; }
size_t ArenaSize() { return size_t(__bmrt_arena_end - __bmrt_arena_start); }

}  // namespace bmrt::platform
