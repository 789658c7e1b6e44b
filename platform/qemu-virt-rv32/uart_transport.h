// The inference server's Transport over the NS16550A UART, with the board's clocks.
#pragma once

#include "platform/qemu-virt-rv32/uart.h"
#include "runtime/server/transport.h"

namespace bmrt::platform {

class UartTransport final : public server::Transport {
 public:
  explicit UartTransport(Uart& uart) : uart_(uart) {}

  // Timeouts run on the CLINT clock (virtual time: under -icount shift=0, 1 ns per
  // instruction).
  bool ReadByte(uint8_t* out, uint32_t timeout_us) override;
  Status Write(ByteSpan bytes) override;
  uint64_t NowMicros() override;
  uint64_t RetiredInstructions() override;
  void Log(const char* text) override;

 private:
  Uart& uart_;
};

}  // namespace bmrt::platform
