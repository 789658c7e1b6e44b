// The byte link and clocks the platform gives the inference server (UART, TCP socket...).
#pragma once

#include "runtime/base/span.h"
#include "runtime/base/status.h"

namespace bmrt::server {

inline constexpr uint32_t kWaitForever = 0xFFFFFFFFu;

class Transport {
 public:
  // Waits up to `timeout_us` (kWaitForever: no limit) for one byte. Returns false on timeout
  // or when the link is closed (then IsOpen() answers false).
  virtual bool ReadByte(uint8_t* out, uint32_t timeout_us) = 0;
  // Sends all bytes or fails.
  virtual Status Write(ByteSpan bytes) = 0;
  // Monotonic microseconds (for statistics; timeouts are the transport's own business).
  virtual uint64_t NowMicros() = 0;
  // Retired-instruction counter (minstret on RISC-V); 0 when the platform has none.
  virtual uint64_t RetiredInstructions() = 0;
  // False once the peer is gone for good (host sockets); a UART is always open.
  virtual bool IsOpen() { return true; }
  // Diagnostic text (error reasons); must never go to the protocol link itself.
  virtual void Log(const char* /*text*/) {}

 protected:
  ~Transport() = default;
};

}  // namespace bmrt::server
