#include "runtime/server/test_engine.h"

#include <string.h>

namespace bmrt::server {

Status TestEngine::LoadModel(ByteSpan module_bytes, const protocol::ModelSpec& spec) {
  if (loaded_) return FailedPrecondition("a model is already loaded");
  if (module_bytes.size() <= kMagicSize || memcmp(module_bytes.data(), kMagic, kMagicSize) != 0) {
    return InvalidArgument("not a test-engine model (magic BMRTTEST)");
  }
  uint32_t sum = 0;
  for (size_t i = kMagicSize; i < module_bytes.size(); ++i) sum += module_bytes[i];
  seed_ = uint8_t(sum);
  fail_runs_ = module_bytes[kMagicSize] == 'F';
  expected_inputs_ = protocol::TotalInputBytes(spec);
  expected_outputs_ = protocol::TotalOutputBytes(spec);
  loaded_ = true;
  return OkStatus();
}

void TestEngine::UnloadModel() { loaded_ = false; }

Status TestEngine::Run(ByteSpan inputs, MutableByteSpan outputs) {
  if (!loaded_) return FailedPrecondition("no model loaded");
  if (inputs.size() != expected_inputs_ || outputs.size() != expected_outputs_) {
    return InvalidArgument("tensor sizes differ from the IO spec");
  }
  if (fail_runs_) return Aborted("test model asks every run to fail");
  uint32_t sum = seed_;
  for (uint8_t byte : inputs) sum += byte;
  for (size_t j = 0; j < outputs.size(); ++j) outputs[j] = uint8_t(sum + j);
  ++runs_;
  return OkStatus();
}

void TestEngine::CollectStats(protocol::StatsSink& sink) {
  sink.Add("test_engine_seed", seed_);
  sink.Add("test_engine_runs", runs_);
}

}  // namespace bmrt::server
