// Where loaded code lives, and how the platform makes freshly written code runnable. The
// runtime stays freestanding: the platform supplies an arena whose memory may execute (on the
// rv32 board the main arena, on the host an RWX mapping) and, where needed, an instruction
// fence (`fence.i` on RISC-V).
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/string_view.h"

namespace bmrt::elf {

// Optional instrumentation of kernel calls: every dispatch adds the change of `read` (e.g. the
// retired-instruction counter) across its workgroup loop. Kept by the caller; not owned.
struct KernelCounter {
  uint64_t (*read)() = nullptr;
  uint64_t dispatches = 0;
  uint64_t workgroups = 0;
  uint64_t counted = 0;  // sum of `read` deltas around the workgroup loops
};

// Optional observer of loaded executables (e.g. a profiler that maps code addresses to
// kernels): after a successful load, before any of its code runs, `image_loaded` gets the
// loaded image and `export_loaded` each export's entry address and name. Kept by the caller.
struct LoadObserver {
  void (*image_loaded)(void* context, const void* base, size_t size) = nullptr;
  void (*export_loaded)(void* context, const void* entry, StringView name) = nullptr;
  void* context = nullptr;
};

struct CodeMemory {
  Arena* arena = nullptr;
  // Called after code has been written and relocated, before any of it runs. May be null.
  void (*sync_instructions)(void* context, const void* start, size_t size) = nullptr;
  void* context = nullptr;
  KernelCounter* kernel_counter = nullptr;  // may be null (no counting)
  const LoadObserver* load_observer = nullptr;  // may be null (nobody is told)
};

}  // namespace bmrt::elf
