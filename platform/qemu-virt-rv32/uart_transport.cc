#include "platform/qemu-virt-rv32/uart_transport.h"

#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/system.h"

namespace bmrt::platform {

bool UartTransport::ReadByte(uint8_t* out, uint32_t timeout_us) {
  int byte = uart_.TryRead();
  if (byte < 0) {
    uint64_t deadline = Microseconds() + timeout_us;
    while ((byte = uart_.TryRead()) < 0) {
      if (timeout_us != server::kWaitForever && Microseconds() >= deadline) return false;
    }
  }
  *out = uint8_t(byte);
  return true;
}

Status UartTransport::Write(ByteSpan bytes) {
  uart_.Write(bytes.data(), bytes.size());
  return Status();
}

uint64_t UartTransport::NowMicros() { return Microseconds(); }

uint64_t UartTransport::RetiredInstructions() { return InstructionCount(); }

void UartTransport::Log(const char* text) { platform::Log("%s", text); }

}  // namespace bmrt::platform
