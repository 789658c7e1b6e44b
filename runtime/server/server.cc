// Framing side of the server: generation detection, decoding, timeouts, replies.
#include "runtime/server/server.h"

#include "runtime/base/format.h"
#include "runtime/protocol/frame.h"

namespace bmrt::server {

using protocol::DecodeError;
using protocol::DecodeStatus;
using protocol::FlowControl;
using protocol::FrameHeader;
using protocol::Generation;
using protocol::MessageKind;
namespace flags = protocol::flags;

const char* ServerStateName(ServerState state) {
  switch (state) {
    case ServerState::kIdle: return "idle";
    case ServerState::kSpecLoaded: return "spec-loaded";
    case ServerState::kModelLoaded: return "model-loaded";
    case ServerState::kInputLoaded: return "input-loaded";
    case ServerState::kInferenceDone: return "inference-done";
  }
  return "?";
}

InferenceServer::InferenceServer(Transport& transport, Engine& engine, Arena& arena,
                                 const ServerOptions& options)
    : transport_(transport),
      engine_(engine),
      arena_(arena),
      options_(options),
      decoder_(Generation::kG1, control_buffer_, this) {
  if (options_.generation != Generation::kAuto) SelectGeneration(options_.generation);
}

InferenceServer::~InferenceServer() {
  AbortUpload();
  UnloadModel();
  ReleaseTensors();
}

void InferenceServer::Serve() {
  while (ServeOne()) {
  }
}

bool InferenceServer::ServeOne() {
  uint8_t byte = 0;
  if (!transport_.ReadByte(&byte, kWaitForever)) return transport_.IsOpen();
  for (;;) {
    DecodeStatus status = Feed(byte);
    if (status != DecodeStatus::kNeedMore) {
      OnFrameEnd(status);
      return true;
    }
    if (!transport_.ReadByte(&byte, options_.inter_byte_timeout_us)) {
      if (!transport_.IsOpen()) return false;
      OnTimeout();
      return true;
    }
  }
}

void InferenceServer::SelectGeneration(Generation generation) {
  generation_ = generation;
  decoder_ = protocol::FrameDecoder(generation, control_buffer_, this);
}

DecodeStatus InferenceServer::Feed(uint8_t byte) {
  if (generation_ != Generation::kAuto) return decoder_.Feed(byte);
  Generation detected = detector_.Feed(byte);
  if (detected == Generation::kAuto) return DecodeStatus::kNeedMore;
  SelectGeneration(detected);
  DecodeStatus status = DecodeStatus::kNeedMore;
  for (size_t i = 0; i < detector_.probe_size() && status == DecodeStatus::kNeedMore; ++i) {
    status = decoder_.Feed(detector_.probe()[i]);
  }
  detector_.Reset();
  return status;
}

void InferenceServer::OnFrameEnd(DecodeStatus status) {
  const FrameHeader& header = decoder_.header();
  bool g1 = generation_ == Generation::kG1;
  switch (status) {
    case DecodeStatus::kFrameReady:
      generation_locked_ = true;
      if (g1) {
        HandleG1(header, decoder_.payload(), false);
      } else {
        HandleHeaderBased(header, decoder_.payload(), OkStatus());
      }
      break;
    case DecodeStatus::kTooLarge:
      if (g1) {
        HandleG1(header, ByteSpan(), true);
      } else {
        HandleHeaderBased(header, ByteSpan(), ResourceExhausted("frame payload too large"));
      }
      break;
    case DecodeStatus::kBadFrame:
      if (decoder_.error() == DecodeError::kBadChecksum) {
        HandleHeaderBased(header, ByteSpan(), DataLoss("checksum mismatch"));
        break;
      }
      // The frame length is unknown: skip everything until the host pauses.
      DiscardUntilIdle();
      if (g1) {
        ReplyError(header.kind, DataLoss("malformed frame header"));
      } else {
        ReplyDeny(header.code, DataLoss("malformed frame header"));
      }
      break;
    case DecodeStatus::kNeedMore:
      break;
  }
  if (!generation_locked_ && options_.generation == Generation::kAuto) {
    generation_ = Generation::kAuto;
  }
}

void InferenceServer::OnTimeout() {
  bool header_complete = decoder_.HeaderComplete();
  FrameHeader header = decoder_.header();
  decoder_.Reset();
  detector_.Reset();
  if (generation_ == Generation::kAuto) return;  // nothing recognisable arrived
  Status timeout = DeadlineExceeded("inter-byte timeout inside a frame");
  if (generation_ == Generation::kG1) {
    if (header_complete && upload_.active) AbortUpload();
    ReplyError(header_complete ? header.kind : MessageKind::kUnknown, timeout);
  } else if (header_complete) {
    if (upload_.active && upload_.kind == header.kind) AbortUpload();
    bool answerable = header.flow == FlowControl::kRequest &&
                      (IsUploadKind(header.kind) || header.kind == MessageKind::kPing ||
                       header.kind == MessageKind::kProcess || header.kind == MessageKind::kOutput ||
                       header.kind == MessageKind::kStats);
    if (answerable) {
      ReplyFail(header.kind, timeout);
    } else {
      ReplyDeny(header.code, timeout);
    }
  } else {
    NoteError(MessageKind::kUnknown, timeout);  // no header, nobody to answer
  }
  if (!generation_locked_ && options_.generation == Generation::kAuto) {
    generation_ = Generation::kAuto;
  }
}

void InferenceServer::DiscardUntilIdle() {
  uint8_t byte = 0;
  while (transport_.ReadByte(&byte, options_.inter_byte_timeout_us)) {
  }
}

void InferenceServer::HandleG1(const FrameHeader& header, ByteSpan payload, bool too_large) {
  MessageKind kind = header.kind;
  if (IsUploadKind(kind)) {
    if (too_large) FailUpload(ResourceExhausted("frame payload too large"));
    if (!upload_.failed) upload_.filled += payload.size();
    Status status = upload_.failed ? upload_.error : FinishUpload();
    if (!status.ok()) {
      AbortUpload();
      ReplyError(kind, status);
    } else {
      ReplyOk(ByteSpan());
    }
    return;
  }
  if (too_large) return ReplyError(kind, ResourceExhausted("frame payload too large"));
  if (kind == MessageKind::kOk || kind == MessageKind::kError || kind == MessageKind::kUnknown) {
    return ReplyError(kind, InvalidArgument("not a request type"));
  }
  if (!payload.empty()) return ReplyError(kind, InvalidArgument("unexpected payload"));
  ByteSpan reply;
  Status status = HandleRequest(kind, &reply);
  if (status.ok()) {
    ReplyOk(reply);
  } else {
    ReplyError(kind, status);
  }
}

void InferenceServer::HandleHeaderBased(const FrameHeader& header, ByteSpan payload,
                                        Status frame_status) {
  MessageKind kind = header.kind;
  bool supported = IsUploadKind(kind) || kind == MessageKind::kPing ||
                   kind == MessageKind::kProcess || kind == MessageKind::kOutput ||
                   kind == MessageKind::kStats;
  if (header.flow != FlowControl::kRequest || !supported) {
    Status status = header.flow != FlowControl::kRequest ? InvalidArgument("only requests are accepted")
                                                         : Unimplemented("message type not supported");
    // One answer per transmission: the chunks before LAST are dropped.
    if (!header.Has(flags::kLast)) return NoteError(kind, status);
    return ReplyDeny(header.code, status);
  }
  if (IsUploadKind(kind)) {
    if (!frame_status.ok()) {
      FailUpload(frame_status);
    } else if (!upload_.failed) {
      upload_.filled += payload.size();
    }
    if (!header.Has(flags::kLast)) return;  // the answer follows the LAST chunk
    Status status = upload_.failed ? upload_.error : FinishUpload();
    if (!status.ok()) {
      AbortUpload();
      ReplyFail(kind, status);
    } else {
      ReplyTransmission(kind, ByteSpan());
    }
    return;
  }
  // One answer per transmission, on its LAST message; earlier chunks of these requests carry
  // nothing the server uses.
  Status status = !frame_status.ok() ? frame_status
                  : payload.empty()  ? OkStatus()
                                     : InvalidArgument("unexpected payload");
  if (header.Has(flags::kFirst)) request_error_ = OkStatus();
  if (!status.ok() && request_error_.ok()) request_error_ = status;
  if (!header.Has(flags::kLast)) {
    if (!status.ok()) NoteError(kind, status);
    return;
  }
  Status failure = request_error_;
  request_error_ = OkStatus();
  if (!failure.ok()) return ReplyFail(kind, failure);
  if (kind == MessageKind::kPing) {
    if (header.Has(flags::kFail) && upload_.active) AbortUpload();  // host disconnects
    return ReplyTransmission(kind, ByteSpan());
  }
  ByteSpan reply;
  status = HandleRequest(kind, &reply);
  if (status.ok()) {
    ReplyTransmission(kind, reply);
  } else {
    ReplyFail(kind, status);
  }
}

void InferenceServer::NoteError(MessageKind kind, Status status) {
  last_error_ = status.message();
  Format(log_text_, sizeof(log_text_), "bmrt: %s: %s", protocol::MessageKindName(kind),
         status.message());
  transport_.Log(log_text_);
}

void InferenceServer::WriteFrame(MessageKind kind, FlowControl flow, uint16_t flag_bits,
                                 uint64_t raw_code, ByteSpan payload) {
  uint8_t header[protocol::kMaxHeaderSize];
  uint64_t code = raw_code;
  if (kind != MessageKind::kUnknown && !protocol::CodeOf(generation_, kind, &code)) return;
  auto size = protocol::EncodeHeaderCode(generation_, code, flow, flag_bits, payload, header);
  if (!size.ok()) {
    NoteError(kind, size.status());
    return;
  }
  Status status = transport_.Write(ByteSpan(header, size.value()));
  if (status.ok() && !payload.empty()) status = transport_.Write(payload);
  if (!status.ok()) NoteError(kind, status);
}

void InferenceServer::ReplyOk(ByteSpan payload) {
  WriteFrame(MessageKind::kOk, FlowControl::kRequest, 0, 0, payload);
}

void InferenceServer::ReplyError(MessageKind kind, Status status) {
  NoteError(kind, status);
  WriteFrame(MessageKind::kError, FlowControl::kRequest, 0, 0, ByteSpan());
}

void InferenceServer::ReplyTransmission(MessageKind kind, ByteSpan payload) {
  constexpr uint16_t kBase = flags::kSuccess | flags::kIsZephyr;
  size_t chunk = protocol::ChunkSize(generation_);
  size_t offset = 0;
  do {
    size_t size = payload.size() - offset < chunk ? payload.size() - offset : chunk;
    uint16_t bits = kBase | (offset == 0 ? flags::kFirst : 0) |
                    (offset + size == payload.size() ? flags::kLast : 0);
    WriteFrame(kind, FlowControl::kTransmission, bits, 0, payload.subspan(offset, size));
    offset += size;
  } while (offset < payload.size());
}

// A failed request is answered by a TRANSMISSION with FAIL; its payload is the reason (ASCII),
// which Kenning ignores and the bmrt client shows.
void InferenceServer::ReplyFail(MessageKind kind, Status status) {
  NoteError(kind, status);
  const char* text = status.message();
  size_t length = 0;
  while (text[length] != '\0' && length < protocol::ChunkSize(generation_)) ++length;
  WriteFrame(kind, FlowControl::kTransmission,
             flags::kFail | flags::kFirst | flags::kLast | flags::kIsZephyr, 0,
             ByteSpan(reinterpret_cast<const uint8_t*>(text), length));
}

// Requests the server cannot take at all (unknown or unsupported type, not a REQUEST,
// malformed header) are denied with ACKNOWLEDGE + FAIL, Kenning's negative acknowledgement.
void InferenceServer::ReplyDeny(uint64_t code, Status status) {
  NoteError(protocol::KindOf(generation_, code), status);
  WriteFrame(MessageKind::kUnknown, FlowControl::kAcknowledge,
             flags::kFail | flags::kFirst | flags::kLast | flags::kIsZephyr, code, ByteSpan());
}

}  // namespace bmrt::server
