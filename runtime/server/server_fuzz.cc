// Fuzzes the inference server with the test engine: the first input byte picks the generation
// (0 auto, 1-4 pinned), the rest is the byte stream from the host; byte value 0xA5 followed by
// 0x5A stands for a pause longer than the inter-byte timeout. Invariants: no memory error, the
// engine holds a model exactly when the state says so, and the arena never leaks across requests.
#include "runtime/server/server.h"
#include "runtime/server/test_engine.h"

using namespace bmrt;

namespace {

class ScriptedTransport final : public server::Transport {
 public:
  explicit ScriptedTransport(ByteSpan script) : script_(script) {}
  bool ReadByte(uint8_t* out, uint32_t) override {
    if (position_ >= script_.size()) {
      open_ = false;
      return false;
    }
    if (script_[position_] == 0xA5 && position_ + 1 < script_.size() && script_[position_ + 1] == 0x5A) {
      position_ += 2;
      return false;
    }
    *out = script_[position_++];
    return true;
  }
  Status Write(ByteSpan) override { return OkStatus(); }
  uint64_t NowMicros() override { return ++clock_; }
  uint64_t RetiredInstructions() override { return clock_ * 3; }
  bool IsOpen() override { return open_; }

 private:
  ByteSpan script_;
  size_t position_ = 0;
  uint64_t clock_ = 0;
  bool open_ = true;
};

alignas(16) uint8_t g_memory[256 * 1024];

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Arena arena(MutableByteSpan(g_memory, sizeof(g_memory)));
  ScriptedTransport transport(ByteSpan(data + 1, size - 1));
  server::TestEngine engine;
  server::ServerOptions options;
  options.generation = protocol::Generation(data[0] % 5);
  {
    server::InferenceServer server(transport, engine, arena, options);
    while (server.ServeOne()) {
      bool model_state = server.state() >= server::ServerState::kModelLoaded;
      if (model_state != engine.loaded()) __builtin_trap();
    }
  }
  if (arena.stats().live_allocations != 0) __builtin_trap();
  return 0;
}
