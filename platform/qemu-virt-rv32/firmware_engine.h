// The Engine the firmware's inference server drives.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/server/engine.h"

namespace bmrt::platform {

// Returns the engine (static storage) and its name for the log.
server::Engine& FirmwareEngine(Arena& arena, const char** name);

}  // namespace bmrt::platform
