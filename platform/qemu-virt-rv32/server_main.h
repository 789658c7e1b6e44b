// Default boot mode: the inference server on the protocol UART.
#pragma once

#include "platform/qemu-virt-rv32/uart.h"
#include "runtime/base/string_view.h"

namespace bmrt::platform {

// Logs "Runtime started" and serves requests; returns only when the server stops. The boot
// arguments choose the engine (firmware_engine.h).
int RunServer(Uart& uart, StringView boot_arguments);

}  // namespace bmrt::platform
