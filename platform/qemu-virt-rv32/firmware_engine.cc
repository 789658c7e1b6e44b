// Until the IREE engine (runtime/engine) is part of the build, the firmware serves with the
// protocol TestEngine, which lets the host exercise the whole wire protocol on the target.
#include "platform/qemu-virt-rv32/firmware_engine.h"

#include "runtime/server/test_engine.h"

namespace bmrt::platform {

server::Engine& FirmwareEngine(Arena& arena, const char** name) {
  static server::TestEngine engine;
  *name = "test engine (protocol checks only)";
  return engine;
}

}  // namespace bmrt::platform
