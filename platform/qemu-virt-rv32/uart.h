// Polled NS16550A UART (QEMU virt UART0): the protocol channel.
#pragma once

#include "runtime/base/types.h"

namespace bmrt::platform {

class Uart {
 public:
  explicit Uart(uintptr_t base);
  // 8N1, FIFO on with an RX trigger level of 14 (QEMU accepts more bytes per read then).
  // Turning the FIFO on clears the receiver, so a byte already waiting is kept aside first.
  void Initialize();
  bool ReadReady() const;
  // Returns -1 when no byte is waiting.
  int TryRead();
  void WriteByte(uint8_t byte);
  void Write(const uint8_t* data, size_t size);

 private:
  volatile uint8_t* registers_;
  int pending_ = -1;  // a byte received before Initialize()
};

}  // namespace bmrt::platform
