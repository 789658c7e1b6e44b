// The IREE engine runs compiled models: kernels load into the arena (RAM is executable on this
// board; fence.i makes them visible to instruction fetch) and each dispatch's share of the
// retired-instruction counter is added up for the STATS reply. The protocol TestEngine, which
// lets the host exercise the whole wire protocol, is chosen with the boot word "test-engine".
#include "platform/qemu-virt-rv32/firmware_engine.h"

#include "platform/qemu-virt-rv32/boot_args.h"
#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/system.h"
#include "runtime/server/test_engine.h"
#if BMRT_FIRMWARE_IREE_ENGINE
#include "runtime/engine/iree_engine.h"
#endif

namespace bmrt::platform {
namespace {

// Where each loaded executable's image and entry points are, for the host's profile
// symbolizer (kernel ELFs carry no symbols for their dispatch functions).
void LogKernelImage(void*, const void* base, size_t size) {
  Log("kernel-image 0x%x 0x%x", unsigned(uintptr_t(base)), unsigned(size));
}

void LogKernelExport(void*, const void* entry, StringView name) {
  Log("kernel 0x%x %.*s", unsigned(uintptr_t(entry)), int(name.size()), name.data());
}

}  // namespace

server::Engine& FirmwareEngine(Arena& arena, StringView boot_arguments, const char** name) {
  static server::TestEngine test_engine;
#if BMRT_FIRMWARE_IREE_ENGINE
  if (!HasBootWord(boot_arguments, "test-engine")) {
    engine::IreeEngineOptions options;
    options.code.arena = &arena;
    options.code.sync_instructions = &SyncInstructions;
    options.read_counter = &InstructionCount;
    static const elf::LoadObserver kernel_log = {&LogKernelImage, &LogKernelExport, nullptr};
    options.code.load_observer = &kernel_log;
    static engine::IreeEngine iree_engine(arena, options);
    *name = "iree (vmfb + vm + hal, local-sync, embedded-elf-riscv_32)";
    return iree_engine;
  }
#else
  (void)arena;
  (void)boot_arguments;
#endif
  *name = "test engine (protocol checks only)";
  return test_engine;
}

}  // namespace bmrt::platform
