#include "platform/qemu-virt-rv32/uart_transport.h"

#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/system.h"

namespace bmrt::platform {

namespace {
// Empty polls before the core sleeps, and the longest sleep: short enough that a burst from the
// host is picked up quickly, long enough that an idle wait leaves the host CPU to QEMU's I/O.
constexpr int kPollsBeforeIdle = 16;
constexpr uint32_t kIdleSliceUs = 20;
}  // namespace

bool UartTransport::ReadByte(uint8_t* out, uint32_t timeout_us) {
  int byte = uart_.TryRead();
  if (byte < 0) {
    bool forever = timeout_us == server::kWaitForever;
    uint64_t deadline = Microseconds() + timeout_us;
    for (int polls = 0; (byte = uart_.TryRead()) < 0; ++polls) {
      if (polls < kPollsBeforeIdle) continue;
      uint64_t now = Microseconds();
      if (!forever && now >= deadline) return false;
      uint64_t left = forever ? kIdleSliceUs : deadline - now;
      Idle(uint32_t(left < kIdleSliceUs ? left : kIdleSliceUs));
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
