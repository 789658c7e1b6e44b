// Core services of the board: exit, counters, clock, vector-unit facts.
#pragma once

#include "runtime/base/types.h"

extern "C" [[noreturn]] void bmrt_exit(int code);

namespace bmrt::platform {

[[noreturn]] inline void Exit(int code) { bmrt_exit(code); }

// Retired instructions and cycles (equal, and exact, under QEMU's -icount shift=0).
uint64_t InstructionCount();
uint64_t CycleCount();
// Microseconds since reset, from the CLINT's 10 MHz mtime.
uint64_t Microseconds();

// Sleeps (wfi) for up to `microseconds`, giving the host CPU back to the simulator; returns
// early when another interrupt source becomes pending. Interrupts are never taken (mstatus.MIE
// stays clear): the timer only wakes the core.
void Idle(uint32_t microseconds);

// Makes code just written to memory visible to instruction fetch (fence.i). Has the shape of
// elf::CodeMemory::sync_instructions; `context`, `start` and `size` are unused (fence.i covers
// all of memory on this single hart).
void SyncInstructions(void* context, const void* start, size_t size);

// VLEN in bits, 0 when the CPU has no vector unit (probed at start-up).
uint32_t VectorLengthBits();
inline bool HasVectorUnit() { return VectorLengthBits() != 0; }
uint32_t Misa();

// Arena region from the linker script: the end of .bss up to the stack.
uint8_t* ArenaStart();
size_t ArenaSize();

}  // namespace bmrt::platform
