// The Engine the firmware's inference server drives.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/string_view.h"
#include "runtime/server/engine.h"

namespace bmrt::platform {

// Returns the engine (static storage) and its name for the log: the IREE engine (vmfb + vm +
// hal) by default, the protocol TestEngine when the boot arguments hold the word "test-engine".
server::Engine& FirmwareEngine(Arena& arena, StringView boot_arguments, const char** name);

}  // namespace bmrt::platform
