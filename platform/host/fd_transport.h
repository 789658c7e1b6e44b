// Transport over a POSIX file descriptor: a TCP connection, a pty master, or stdin/stdout.
#pragma once

#include "runtime/server/transport.h"

namespace bmrt::host {

class FdTransport final : public server::Transport {
 public:
  enum class Kind { kSocket, kPty, kStdio };

  // Does not take ownership of the descriptors.
  FdTransport(int read_fd, int write_fd, Kind kind);

  bool ReadByte(uint8_t* out, uint32_t timeout_us) override;
  Status Write(ByteSpan bytes) override;
  uint64_t NowMicros() override;
  // No retired-instruction counter on the host.
  uint64_t RetiredInstructions() override { return 0; }
  bool IsOpen() override { return open_; }
  void Log(const char* text) override;

 private:
  bool Fill(uint32_t timeout_us);

  int read_fd_;
  int write_fd_;
  Kind kind_;
  bool open_ = true;
  uint8_t buffer_[4096];
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace bmrt::host
