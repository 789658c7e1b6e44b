#include "platform/qemu-virt-rv32/log.h"

#include <stdarg.h>

#include "runtime/base/format.h"

extern "C" uint32_t bmrt_semihosting_call(uint32_t operation, const void* parameter);

namespace bmrt::platform {
namespace {
constexpr uint32_t kSysWrite0 = 0x04;
constexpr size_t kLineCapacity = 256;
}  // namespace

void LogWrite(const char* text) { bmrt_semihosting_call(kSysWrite0, text); }

void Log(const char* format, ...) {
  char line[kLineCapacity];
  va_list args;
  va_start(args, format);
  size_t length = FormatV(line, kLineCapacity - 1, format, args);
  va_end(args);
  if (length > kLineCapacity - 2) length = kLineCapacity - 2;
  line[length] = '\n';
  line[length + 1] = '\0';
  LogWrite(line);
}

}  // namespace bmrt::platform
