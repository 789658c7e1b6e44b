#include "platform/host/fd_transport.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

namespace bmrt::host {

FdTransport::FdTransport(int read_fd, int write_fd, Kind kind)
    : read_fd_(read_fd), write_fd_(write_fd), kind_(kind) {}

uint64_t FdTransport::NowMicros() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return uint64_t(now.tv_sec) * 1000000u + uint64_t(now.tv_nsec) / 1000u;
}

bool FdTransport::Fill(uint32_t timeout_us) {
  uint64_t deadline = timeout_us == server::kWaitForever ? 0 : NowMicros() + timeout_us;
  while (open_) {
    int wait_ms = -1;
    if (deadline != 0) {
      uint64_t now = NowMicros();
      if (now >= deadline) return false;
      wait_ms = int((deadline - now + 999) / 1000);
    }
    pollfd fd{read_fd_, POLLIN, 0};
    int ready = poll(&fd, 1, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      open_ = false;
      return false;
    }
    if (ready == 0) continue;  // deadline check at the top
    ssize_t count = read(read_fd_, buffer_, sizeof(buffer_));
    if (count > 0) {
      begin_ = 0;
      end_ = size_t(count);
      return true;
    }
    if (count < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (kind_ == Kind::kPty) {
      // No client has the pty open (EIO / hang-up): wait for one instead of closing.
      usleep(10000);
      continue;
    }
    open_ = false;
  }
  return false;
}

bool FdTransport::ReadByte(uint8_t* out, uint32_t timeout_us) {
  if (begin_ == end_ && !Fill(timeout_us)) return false;
  *out = buffer_[begin_++];
  return true;
}

Status FdTransport::Write(ByteSpan bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t count = kind_ == Kind::kSocket
                        ? send(write_fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL)
                        : write(write_fd_, bytes.data() + done, bytes.size() - done);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      open_ = false;
      return Aborted("peer closed the link");
    }
    done += size_t(count);
  }
  return OkStatus();
}

void FdTransport::Log(const char* text) { fprintf(stderr, "%s\n", text); }

}  // namespace bmrt::host
