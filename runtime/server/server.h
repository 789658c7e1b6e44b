// InferenceServer: Kenning's inference protocol (G1, G2, G3 or G4) over a Transport, driving an
// Engine. See docs/protocol.md for the wire behaviour.
//
// Construction (e.g. in a firmware main):
//   bmrt::Arena arena(MutableByteSpan(pool, sizeof(pool)));  // model + tensors come from here
//   MyUartTransport uart;                                     // implements server::Transport
//   MyEngine engine(arena);                                   // implements server::Engine
//   bmrt::server::InferenceServer server(uart, engine, arena);  // options optional
//   server.Serve();                                           // returns only if the link closes
//
// The server owns no heap: its frame and reply buffers are members (a few KiB; place the object
// in static storage on small stacks), the model and the input/output tensors are allocated from
// the arena. ServerOptions::generation defaults to the build's BMRT_PROTOCOL_GENERATION
// (CMake cache variable: auto|g1|g2|g3|g4).
#pragma once

#include "runtime/base/arena.h"
#include "runtime/protocol/frame_decoder.h"
#include "runtime/protocol/generation_detector.h"
#include "runtime/protocol/io_spec.h"
#include "runtime/protocol/model_spec.h"
#include "runtime/protocol/stats.h"
#include "runtime/server/engine.h"
#include "runtime/server/transport.h"

#ifndef BMRT_PROTOCOL_GENERATION
#define BMRT_PROTOCOL_GENERATION 0
#endif

namespace bmrt::server {

inline constexpr protocol::Generation kBuildGeneration =
    protocol::Generation(BMRT_PROTOCOL_GENERATION);

struct ServerOptions {
  protocol::Generation generation = kBuildGeneration;  // kAuto: detect from the first frame
  uint32_t inter_byte_timeout_us = 100000;              // inside a frame only
};

// The seed runtime's gating: each state admits the requests of the states before it.
enum class ServerState : uint8_t {
  kIdle,           // nothing loaded: IO spec accepted
  kSpecLoaded,     // + MODEL
  kModelLoaded,    // + DATA, STATS
  kInputLoaded,    // + PROCESS
  kInferenceDone,  // + OUTPUT
};

const char* ServerStateName(ServerState state);

class InferenceServer final : private protocol::PayloadRouter {
 public:
  static constexpr size_t kControlBufferSize = 512;  // payload of any non-upload frame
  static constexpr size_t kMaxStatRecords = 32;

  InferenceServer(Transport& transport, Engine& engine, Arena& arena,
                  const ServerOptions& options = {});
  ~InferenceServer();
  InferenceServer(const InferenceServer&) = delete;
  InferenceServer& operator=(const InferenceServer&) = delete;

  // Serves requests until the transport closes.
  void Serve();
  // Receives and answers one frame (or recovers from one broken frame). Waits without limit
  // for its first byte. Returns false when the transport closed.
  bool ServeOne();

  ServerState state() const { return state_; }
  // The wire generation in use; kAuto until the first frame has been recognised.
  protocol::Generation generation() const { return generation_; }
  const protocol::ModelSpec& spec() const { return spec_; }
  // Reason for the last error reply (static text), or "" when none.
  const char* last_error() const { return last_error_; }
  uint64_t inference_count() const { return inference_count_; }

 private:
  struct Upload {
    bool active = false;
    bool failed = false;
    protocol::MessageKind kind = protocol::MessageKind::kUnknown;
    uint8_t* base = nullptr;
    size_t capacity = 0;
    size_t filled = 0;
    Status error;
  };

  // Framing (server.cc).
  protocol::DecodeStatus Feed(uint8_t byte);
  void SelectGeneration(protocol::Generation generation);
  void OnFrameEnd(protocol::DecodeStatus status);
  void OnTimeout();
  void DiscardUntilIdle();
  MutableByteSpan RoutePayload(const protocol::FrameHeader& header,
                               MutableByteSpan default_buffer) override;
  void HandleG1(const protocol::FrameHeader& header, ByteSpan payload, bool too_large);
  void HandleHeaderBased(const protocol::FrameHeader& header, ByteSpan payload, Status frame_status);
  void ReplyOk(ByteSpan payload);
  void ReplyError(protocol::MessageKind kind, Status status);
  void ReplyTransmission(protocol::MessageKind kind, ByteSpan payload);
  void ReplyFail(protocol::MessageKind kind, Status status);
  void ReplyDeny(uint64_t code, Status status);
  void WriteFrame(protocol::MessageKind kind, protocol::FlowControl flow, uint16_t flags,
                  uint64_t raw_code, ByteSpan payload);
  void NoteError(protocol::MessageKind kind, Status status);

  // Requests (requests.cc).
  static bool IsUploadKind(protocol::MessageKind kind);
  void BeginUpload(protocol::MessageKind kind, uint32_t announced_size);
  MutableByteSpan UploadDestination();
  void FailUpload(Status status);
  Status FinishUpload();
  void AbortUpload();
  Status CommitSpec(const protocol::ModelSpec& spec);
  void UnloadModel();
  void ReleaseTensors();
  // Handles a complete non-upload request; fills *reply on success.
  Status HandleRequest(protocol::MessageKind kind, ByteSpan* reply);
  Status RunInference();
  ByteSpan BuildStats();

  Transport& transport_;
  Engine& engine_;
  Arena& arena_;
  ServerOptions options_;

  protocol::Generation generation_ = protocol::Generation::kAuto;
  bool generation_locked_ = false;
  protocol::GenerationDetector detector_;
  uint8_t control_buffer_[kControlBufferSize] = {};
  protocol::FrameDecoder decoder_;

  ServerState state_ = ServerState::kIdle;
  protocol::ModelSpec spec_;
  uint8_t spec_buffer_[protocol::kIoSpecG2Size] = {};
  Upload upload_;
  Status request_error_;  // first error of the current non-upload transmission (G2+)
  uint8_t* model_ = nullptr;
  size_t model_size_ = 0;
  uint8_t* inputs_ = nullptr;
  size_t input_bytes_ = 0;
  uint8_t* outputs_ = nullptr;
  size_t output_bytes_ = 0;

  uint64_t inference_count_ = 0;
  uint64_t last_instructions_ = 0;
  uint64_t total_instructions_ = 0;
  uint64_t last_inference_us_ = 0;
  uint8_t stats_buffer_[kMaxStatRecords * protocol::kStatRecordSize] = {};
  const char* last_error_ = "";
  char log_text_[160] = {};
};

}  // namespace bmrt::server
