// Request side of the server: uploads (IO spec, model, input), the state machine, statistics.
#include "runtime/base/byte_reader.h"
#include "runtime/server/server.h"

namespace bmrt::server {

using protocol::FrameHeader;
using protocol::Generation;
using protocol::MessageKind;
namespace flags = protocol::flags;

namespace {
constexpr size_t kModelAlignment = 64;
}  // namespace

bool InferenceServer::IsUploadKind(MessageKind kind) {
  return kind == MessageKind::kIoSpec || kind == MessageKind::kModel || kind == MessageKind::kData;
}

// Called by the decoder once per header: uploads go straight to their final buffer.
MutableByteSpan InferenceServer::RoutePayload(const FrameHeader& header,
                                              MutableByteSpan default_buffer) {
  if (!IsUploadKind(header.kind)) return default_buffer;
  if (generation_ == Generation::kG1) {
    BeginUpload(header.kind, header.payload_size);
    return UploadDestination();
  }
  if (header.flow != protocol::FlowControl::kRequest) return default_buffer;
  bool continues = upload_.active && upload_.kind == header.kind && !header.Has(flags::kFirst);
  if (!continues) {
    if (upload_.active) AbortUpload();  // a new transmission replaces an unfinished one
    BeginUpload(header.kind, 0);
    if (!header.Has(flags::kFirst)) FailUpload(FailedPrecondition("chunk without a FIRST chunk"));
  }
  MutableByteSpan destination = UploadDestination();
  if (destination.size() < header.payload_size) {
    FailUpload(ResourceExhausted(header.kind == MessageKind::kModel ? "model does not fit in the arena"
                                 : header.kind == MessageKind::kData ? "input larger than the IO spec"
                                                                     : "IO spec too long"));
  }
  return UploadDestination();
}

void InferenceServer::BeginUpload(MessageKind kind, uint32_t announced_size) {
  upload_ = Upload();
  upload_.active = true;
  upload_.kind = kind;
  bool g1 = generation_ == Generation::kG1;
  switch (kind) {
    case MessageKind::kIoSpec:
      upload_.base = spec_buffer_;
      upload_.capacity = g1 ? protocol::kIoSpecG1Size : protocol::kIoSpecG2Size;
      if (g1 && announced_size != protocol::kIoSpecG1Size) {
        FailUpload(InvalidArgument("G1 IO spec must be 160 bytes"));
      }
      return;
    case MessageKind::kModel: {
      if (state_ < ServerState::kSpecLoaded) return FailUpload(FailedPrecondition("MODEL before IO spec"));
      UnloadModel();
      if (g1 && announced_size == 0) return FailUpload(InvalidArgument("model is empty"));
      // Chunked uploads do not announce their size: take the largest block, shrink at the end.
      size_t request = announced_size;
      if (g1) {
        model_ = static_cast<uint8_t*>(arena_.Allocate(request, kModelAlignment));
      } else {
        model_ = static_cast<uint8_t*>(arena_.ReserveLargest(kModelAlignment, &request));
      }
      if (model_ == nullptr || request == 0) {
        arena_.Free(model_);
        model_ = nullptr;
        return FailUpload(ResourceExhausted("model does not fit in the arena"));
      }
      upload_.base = model_;
      upload_.capacity = request;
      return;
    }
    case MessageKind::kData:
      if (state_ < ServerState::kModelLoaded) return FailUpload(FailedPrecondition("DATA before MODEL"));
      state_ = ServerState::kModelLoaded;  // the previous input is being overwritten
      upload_.base = inputs_;
      upload_.capacity = input_bytes_;
      if (g1 && announced_size != input_bytes_) {
        FailUpload(InvalidArgument("input size differs from the IO spec"));
      }
      return;
    default:
      FailUpload(Internal("not an upload"));
  }
}

MutableByteSpan InferenceServer::UploadDestination() {
  if (!upload_.active || upload_.failed) return MutableByteSpan();
  return MutableByteSpan(upload_.base + upload_.filled, upload_.capacity - upload_.filled);
}

void InferenceServer::FailUpload(Status status) {
  if (upload_.failed) return;  // keep the first reason
  upload_.failed = true;
  upload_.error = status;
}

Status InferenceServer::FinishUpload() {
  upload_.active = false;
  ByteSpan bytes(upload_.base, upload_.filled);
  switch (upload_.kind) {
    case MessageKind::kIoSpec: {
      protocol::ModelSpec spec;
      BMRT_RETURN_IF_ERROR(generation_ == Generation::kG1 ? protocol::DecodeIoSpecG1(bytes, &spec)
                                                          : protocol::DecodeIoSpecG2(bytes, &spec));
      return CommitSpec(spec);
    }
    case MessageKind::kModel: {
      if (upload_.filled == 0) return InvalidArgument("model is empty");
      arena_.Shrink(model_, upload_.filled);
      model_size_ = upload_.filled;
      Status status = engine_.LoadModel(bytes, spec_);
      if (!status.ok()) {
        arena_.Free(model_);
        model_ = nullptr;
        model_size_ = 0;
        return status;
      }
      state_ = ServerState::kModelLoaded;
      return OkStatus();
    }
    case MessageKind::kData:
      if (upload_.filled != input_bytes_) return InvalidArgument("input size differs from the IO spec");
      state_ = ServerState::kInputLoaded;
      return OkStatus();
    default:
      return Internal("not an upload");
  }
}

void InferenceServer::AbortUpload() {
  if (upload_.kind == MessageKind::kModel && state_ < ServerState::kModelLoaded && model_) {
    arena_.Free(model_);
    model_ = nullptr;
    model_size_ = 0;
  }
  upload_ = Upload();
}

Status InferenceServer::CommitSpec(const protocol::ModelSpec& spec) {
  UnloadModel();
  ReleaseTensors();
  state_ = ServerState::kIdle;
  size_t input_bytes = size_t(protocol::TotalInputBytes(spec));
  size_t output_bytes = size_t(protocol::TotalOutputBytes(spec));
  inputs_ = static_cast<uint8_t*>(arena_.Allocate(input_bytes));
  outputs_ = static_cast<uint8_t*>(arena_.Allocate(output_bytes));
  if (inputs_ == nullptr || outputs_ == nullptr) {
    ReleaseTensors();
    return ResourceExhausted("tensors do not fit in the arena");
  }
  spec_ = spec;
  input_bytes_ = input_bytes;
  output_bytes_ = output_bytes;
  state_ = ServerState::kSpecLoaded;
  return OkStatus();
}

void InferenceServer::UnloadModel() {
  if (state_ >= ServerState::kModelLoaded) engine_.UnloadModel();
  arena_.Free(model_);
  model_ = nullptr;
  model_size_ = 0;
  if (state_ > ServerState::kSpecLoaded) state_ = ServerState::kSpecLoaded;
}

void InferenceServer::ReleaseTensors() {
  arena_.Free(inputs_);
  arena_.Free(outputs_);
  inputs_ = outputs_ = nullptr;
  input_bytes_ = output_bytes_ = 0;
}

Status InferenceServer::HandleRequest(MessageKind kind, ByteSpan* reply) {
  switch (kind) {
    case MessageKind::kProcess:
      if (state_ < ServerState::kInputLoaded) return FailedPrecondition("PROCESS before DATA");
      return RunInference();
    case MessageKind::kOutput:
      if (state_ != ServerState::kInferenceDone) return FailedPrecondition("OUTPUT before PROCESS");
      *reply = ByteSpan(outputs_, output_bytes_);
      return OkStatus();
    case MessageKind::kStats:
      if (state_ < ServerState::kModelLoaded) return FailedPrecondition("STATS before MODEL");
      *reply = BuildStats();
      return OkStatus();
    default:
      return Unimplemented("message type not supported");
  }
}

Status InferenceServer::RunInference() {
  state_ = ServerState::kInputLoaded;  // outputs are invalid until the run succeeds
  uint64_t instructions_before = transport_.RetiredInstructions();
  uint64_t start_us = transport_.NowMicros();
  Status status = engine_.Run(ByteSpan(inputs_, input_bytes_), MutableByteSpan(outputs_, output_bytes_));
  uint64_t end_us = transport_.NowMicros();
  uint64_t instructions = transport_.RetiredInstructions() - instructions_before;
  if (!status.ok()) return status;
  ++inference_count_;
  last_instructions_ = instructions;
  total_instructions_ += instructions;
  last_inference_us_ = end_us - start_us;
  state_ = ServerState::kInferenceDone;
  return OkStatus();
}

ByteSpan InferenceServer::BuildStats() {
  const ArenaStats& arena = arena_.stats();
  if (generation_ == Generation::kG1) {
    // One pool serves host and device buffers alike: both halves report the arena.
    protocol::G1Stats stats;
    stats.host_bytes_peak = stats.device_bytes_peak = arena.peak_bytes_in_use;
    stats.host_bytes_allocated = stats.device_bytes_allocated = arena.bytes_allocated;
    stats.host_bytes_freed = stats.device_bytes_freed = arena.bytes_freed;
    protocol::EncodeG1Stats(stats, stats_buffer_).IgnoreError();  // the buffer always fits
    return ByteSpan(stats_buffer_, protocol::kG1StatsSize);
  }
  using protocol::StatType;
  protocol::StatRecordWriter writer(stats_buffer_);
  writer.Add("arena_capacity_bytes", arena.capacity, StatType::kAllocation);
  writer.Add("arena_peak_bytes", arena.peak_bytes_in_use, StatType::kAllocation);
  writer.Add("arena_in_use_bytes", arena.bytes_in_use, StatType::kAllocation);
  writer.Add("model_bytes", model_size_, StatType::kAllocation);
  writer.Add("inference_count", inference_count_);
  writer.Add("last_inference_instructions", last_instructions_);
  writer.Add("total_inference_instructions", total_instructions_);
  writer.Add("target_inference_step", last_inference_us_ * 1000, StatType::kInferenceTime);
  engine_.CollectStats(writer);
  return writer.written();
}

}  // namespace bmrt::server
