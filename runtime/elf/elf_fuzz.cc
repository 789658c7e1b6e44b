// Feeds arbitrary bytes to the ELF loader as riscv32 and as x86_64 objects. Loading is in
// inspect mode: nothing in the image runs, so every failure must be a clean error.
#include <stddef.h>
#include <stdint.h>

#include <vector>

#include "runtime/elf/elf_module.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::vector<uint8_t> storage(size_t(80) << 20);
  bmrt::Arena arena(bmrt::MutableByteSpan(storage.data(), storage.size()));
  bmrt::elf::CodeMemory memory;
  memory.arena = &arena;
  bmrt::elf::ErrorText error;
  for (uint16_t machine : {bmrt::elf::kMachineRiscv, bmrt::elf::kMachineX86_64}) {
    bmrt::elf::ElfModule module;
    bmrt::Status status = module.Load(bmrt::ByteSpan(data, size), machine, memory, error,
                                      bmrt::elf::LoadMode::kInspect);
    if (status.ok()) {
      module.FindSymbol("iree_hal_executable_library_query").status().IgnoreError();
    }
  }
  if (arena.stats().live_allocations != 0) __builtin_trap();  // every image must be released
  return 0;
}
