// Wraps the firmware's Engine so that every inference runs inside a profiling window
// (profile_marker.h): the QEMU instruction-profile plugin then counts exactly the inferences.
// It also logs where the uploaded model bytes are ("model-bytes 0x<base> 0x<size>"), so that
// the host can tell reads of the weights from other memory traffic.
#pragma once

#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/profile_marker.h"
#include "runtime/server/engine.h"

namespace bmrt::platform {

class ProfiledEngine final : public server::Engine {
 public:
  explicit ProfiledEngine(server::Engine& engine) : engine_(engine) {}

  Status LoadModel(ByteSpan module_bytes, const protocol::ModelSpec& spec) override {
    Log("model-bytes 0x%x 0x%zx", unsigned(uintptr_t(module_bytes.data())), module_bytes.size());
    return engine_.LoadModel(module_bytes, spec);
  }
  void UnloadModel() override { engine_.UnloadModel(); }
  Status Run(ByteSpan inputs, MutableByteSpan outputs) override {
    ProfileWindowBegin();
    Status status = engine_.Run(inputs, outputs);
    ProfileWindowEnd();
    return status;
  }
  void CollectStats(protocol::StatsSink& sink) override { engine_.CollectStats(sink); }

 private:
  server::Engine& engine_;
};

}  // namespace bmrt::platform
