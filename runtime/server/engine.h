// The narrow interface between the inference server and the runtime that executes models.
// Implemented by the IREE glue (runtime/engine/) and by TestEngine (test_engine.h).
#pragma once

#include "runtime/base/span.h"
#include "runtime/base/status.h"
#include "runtime/protocol/model_spec.h"
#include "runtime/protocol/stats.h"

namespace bmrt::server {

class Engine {
 public:
  // `module_bytes` stay alive and unmoved until UnloadModel(); `spec` is copied if needed.
  // Called only with no model loaded; on failure nothing may stay loaded (the server frees the
  // bytes right away). The engine may allocate from the server's arena: the module bytes are
  // already shrunk to their size when LoadModel runs.
  virtual Status LoadModel(ByteSpan module_bytes, const protocol::ModelSpec& spec) = 0;
  // Releases everything LoadModel acquired. Safe to call with no model loaded.
  virtual void UnloadModel() = 0;
  // `inputs` / `outputs` hold the tensors back to back in spec order, with exactly
  // TotalInputBytes / TotalOutputBytes bytes (16-byte aligned).
  virtual Status Run(ByteSpan inputs, MutableByteSpan outputs) = 0;
  // Adds the engine's own named statistics (room for 24 records after the server's 8; names
  // of up to 31 characters).
  virtual void CollectStats(protocol::StatsSink& sink) = 0;

 protected:
  ~Engine() = default;
};

}  // namespace bmrt::server
