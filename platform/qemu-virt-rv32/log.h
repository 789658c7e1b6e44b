// The firmware's log channel: semihosting console output, which the host launcher captures to
// a file. Never the protocol UART.
#pragma once

namespace bmrt::platform {

// One line (a newline is appended); longer lines are truncated.
void Log(const char* format, ...) __attribute__((format(printf, 1, 2)));
// Text as is, no formatting.
void LogWrite(const char* text);

}  // namespace bmrt::platform
