// Default boot mode: the inference server on the protocol UART.
#pragma once

#include "platform/qemu-virt-rv32/uart.h"

namespace bmrt::platform {

// Logs "Runtime started" and serves requests; returns only when the server stops.
int RunServer(Uart& uart);

}  // namespace bmrt::platform
