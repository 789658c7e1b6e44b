// bmrt-host-server: the inference server on the host, over TCP (127.0.0.1), a pty or
// stdin/stdout, for protocol tests and host-side runs. Each TCP connection gets a fresh server
// (like a target reset): new arena, new engine, generation detected again.
//
//   bmrt-host-server --port 0            # prints "listening on 127.0.0.1:<port>"
//   bmrt-host-server --pty               # prints "pty /dev/pts/N"
//   bmrt-host-server --stdio
// Options: --generation auto|g1|g2|g3|g4, --arena-mib N, --inter-byte-timeout-ms N,
//          --engine test|iree, --once (exit after the first connection).
// The iree engine runs compiled x86_64 .vmfb models; its kernels load into an executable
// mapping of its own (--code-mib N, default 16).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "platform/host/fd_transport.h"
#include "runtime/engine/iree_engine.h"
#include "runtime/server/server.h"
#include "runtime/server/test_engine.h"

namespace {

using bmrt::protocol::Generation;

struct Options {
  enum class Link { kTcp, kPty, kStdio } link = Link::kTcp;
  int port = -1;
  std::string engine = "test";
  size_t arena_bytes = 16u << 20;
  size_t code_bytes = 16u << 20;
  bmrt::server::ServerOptions server;
  bool once = false;
};

// Owns an engine of any type; new engines (e.g. the IREE engine) add a branch in MakeEngine.
class EngineHolder {
 public:
  virtual ~EngineHolder() = default;
  virtual bmrt::server::Engine& engine() = 0;
};

template <typename T>
class HeldEngine final : public EngineHolder {
 public:
  template <typename... Args>
  explicit HeldEngine(Args&&... args) : engine_(std::forward<Args>(args)...) {}
  bmrt::server::Engine& engine() override { return engine_; }

 private:
  T engine_;
};

// The IREE engine with its code memory: an arena over a read-write-execute mapping, since the
// embedded-ELF kernels (x86_64 here) are copied and relocated there before they run.
class IreeHostEngine final : public EngineHolder {
 public:
  IreeHostEngine(bmrt::Arena& arena, size_t code_bytes) : size_(code_bytes) {
    void* region = mmap(nullptr, size_, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) {
      perror("bmrt-host-server: mmap of the code memory");
      exit(1);
    }
    region_ = static_cast<uint8_t*>(region);
    code_arena_.Initialize(bmrt::MutableByteSpan(region_, size_));
    bmrt::engine::IreeEngineOptions options;
    options.code.arena = &code_arena_;
    engine_ = std::make_unique<bmrt::engine::IreeEngine>(arena, options);
  }
  ~IreeHostEngine() override {
    engine_.reset();
    munmap(region_, size_);
  }
  bmrt::server::Engine& engine() override { return *engine_; }

 private:
  size_t size_;
  uint8_t* region_ = nullptr;
  bmrt::Arena code_arena_;
  std::unique_ptr<bmrt::engine::IreeEngine> engine_;
};

std::unique_ptr<EngineHolder> MakeEngine(const std::string& name, bmrt::Arena& arena,
                                         size_t code_bytes) {
  if (name == "test") return std::make_unique<HeldEngine<bmrt::server::TestEngine>>();
  if (name == "iree") return std::make_unique<IreeHostEngine>(arena, code_bytes);
  return nullptr;
}

bool ParseGeneration(const std::string& text, Generation* out) {
  const char* names[] = {"auto", "g1", "g2", "g3", "g4"};
  for (int i = 0; i < 5; ++i) {
    if (text == names[i]) {
      *out = Generation(i);
      return true;
    }
  }
  return false;
}

int Usage(const char* problem) {
  fprintf(stderr,
          "bmrt-host-server: %s\nusage: bmrt-host-server (--port N | --pty | --stdio) "
          "[--generation auto|g1|g2|g3|g4] [--arena-mib N] [--inter-byte-timeout-ms N] "
          "[--engine test|iree] [--code-mib N] [--once]\n",
          problem);
  return 2;
}

void ServeLink(const Options& options, std::vector<uint8_t>& memory, int read_fd, int write_fd,
               bmrt::host::FdTransport::Kind kind) {
  bmrt::Arena arena(bmrt::MutableByteSpan(memory.data(), memory.size()));
  std::unique_ptr<EngineHolder> engine = MakeEngine(options.engine, arena, options.code_bytes);
  bmrt::host::FdTransport transport(read_fd, write_fd, kind);
  auto server = std::make_unique<bmrt::server::InferenceServer>(transport, engine->engine(), arena,
                                                                options.server);
  server->Serve();
}

int ServeTcp(const Options& options, std::vector<uint8_t>& memory) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(uint16_t(options.port));
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(listener, 1) != 0) {
    perror("bmrt-host-server: bind/listen");
    return 1;
  }
  socklen_t length = sizeof(address);
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  printf("listening on 127.0.0.1:%d\n", ntohs(address.sin_port));
  fflush(stdout);
  do {
    int connection = accept(listener, nullptr, nullptr);
    if (connection < 0) continue;
    setsockopt(connection, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
    ServeLink(options, memory, connection, connection, bmrt::host::FdTransport::Kind::kSocket);
    close(connection);
  } while (!options.once);
  close(listener);
  return 0;
}

int ServePty(const Options& options, std::vector<uint8_t>& memory) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    perror("bmrt-host-server: pty");
    return 1;
  }
  termios mode{};
  tcgetattr(master, &mode);
  cfmakeraw(&mode);
  tcsetattr(master, TCSANOW, &mode);
  printf("pty %s\n", ptsname(master));
  fflush(stdout);
  ServeLink(options, memory, master, master, bmrt::host::FdTransport::Kind::kPty);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--port") {
      options.port = atoi(value().c_str());
    } else if (arg == "--pty") {
      options.link = Options::Link::kPty;
    } else if (arg == "--stdio") {
      options.link = Options::Link::kStdio;
    } else if (arg == "--generation") {
      if (!ParseGeneration(value(), &options.server.generation)) return Usage("bad --generation");
    } else if (arg == "--arena-mib") {
      options.arena_bytes = size_t(atoi(value().c_str())) << 20;
    } else if (arg == "--inter-byte-timeout-ms") {
      options.server.inter_byte_timeout_us = uint32_t(atoi(value().c_str())) * 1000u;
    } else if (arg == "--code-mib") {
      options.code_bytes = size_t(atoi(value().c_str())) << 20;
      if (options.code_bytes == 0) return Usage("--code-mib must be positive");
    } else if (arg == "--engine") {
      options.engine = value();
    } else if (arg == "--once") {
      options.once = true;
    } else {
      return Usage(("unknown argument " + arg).c_str());
    }
  }
  if (options.link == Options::Link::kTcp && (options.port < 0 || options.port > 65535)) {
    return Usage("give --port N (0 picks a free port), --pty or --stdio");
  }
  if (options.arena_bytes == 0) return Usage("--arena-mib must be positive");
  std::vector<uint8_t> memory(options.arena_bytes);
  {
    bmrt::Arena probe(bmrt::MutableByteSpan(memory.data(), memory.size()));
    if (!MakeEngine(options.engine, probe, options.code_bytes)) {
      return Usage("unknown --engine (available: test, iree)");
    }
  }
  switch (options.link) {
    case Options::Link::kTcp: return ServeTcp(options, memory);
    case Options::Link::kPty: return ServePty(options, memory);
    case Options::Link::kStdio:
      ServeLink(options, memory, 0, 1, bmrt::host::FdTransport::Kind::kStdio);
      return 0;
  }
  return 0;
}
