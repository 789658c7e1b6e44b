// Until the IREE engine (runtime/engine) is part of the build, the firmware serves with the
// protocol TestEngine, which lets the host exercise the whole wire protocol on the target.
// The IREE engine loads kernels into the arena: give it
//   elf::CodeMemory{&arena, platform::SyncInstructions, nullptr}
// (system.h); arena memory is executable and the vector unit is on when the CPU has one.
#include "platform/qemu-virt-rv32/firmware_engine.h"

#include "runtime/server/test_engine.h"

namespace bmrt::platform {

server::Engine& FirmwareEngine(Arena& arena, const char** name) {
  static server::TestEngine engine;
  *name = "test engine (protocol checks only)";
  return engine;
}

}  // namespace bmrt::platform
