#include "platform/qemu-virt-rv32/uart.h"

namespace bmrt::platform {
namespace {
constexpr uintptr_t kRbrThr = 0;  // receive buffer / transmit holding
constexpr uintptr_t kIer = 1;
constexpr uintptr_t kFcr = 2;
constexpr uintptr_t kLcr = 3;
constexpr uintptr_t kMcr = 4;
constexpr uintptr_t kLsr = 5;
constexpr uint8_t kLsrDataReady = 0x01;
constexpr uint8_t kLsrTransmitEmpty = 0x20;
constexpr uint8_t kFcrEnableResetTrigger14 = 0xC7;
constexpr uint8_t kLcr8N1 = 0x03;
}  // namespace

Uart::Uart(uintptr_t base) : registers_(reinterpret_cast<volatile uint8_t*>(base)) {}

void Uart::Initialize() {
  if (ReadReady()) pending_ = registers_[kRbrThr];
  registers_[kIer] = 0;
  registers_[kLcr] = kLcr8N1;
  registers_[kFcr] = kFcrEnableResetTrigger14;
  registers_[kMcr] = 0;
}

bool Uart::ReadReady() const { return (registers_[kLsr] & kLsrDataReady) != 0; }

int Uart::TryRead() {
  if (pending_ >= 0) {
    int byte = pending_;
    pending_ = -1;
    return byte;
  }
  if (!ReadReady()) return -1;
  return registers_[kRbrThr];
}

void Uart::WriteByte(uint8_t byte) {
  while ((registers_[kLsr] & kLsrTransmitEmpty) == 0) {
  }
  registers_[kRbrThr] = byte;
}

void Uart::Write(const uint8_t* data, size_t size) {
  for (size_t i = 0; i < size; ++i) WriteByte(data[i]);
}

}  // namespace bmrt::platform
