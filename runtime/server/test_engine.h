// TestEngine: a stand-in Engine for protocol tests, with a documented behaviour that a test
// can recompute independently:
//   - LoadModel accepts module bytes that start with "BMRTTEST" and are at least 9 bytes long;
//     anything else fails with InvalidArgument. The model's seed is the sum of every byte after
//     the magic, modulo 256 (so the whole upload is verified).
//   - If the byte right after the magic is 'F', every Run fails with Aborted.
//   - Run writes output byte j (over all outputs back to back) as
//       (seed + sum(all input bytes) + j) mod 256.
//   - CollectStats adds "test_engine_seed" and "test_engine_runs".
#pragma once

#include "runtime/server/engine.h"

namespace bmrt::server {

class TestEngine final : public Engine {
 public:
  static constexpr char kMagic[] = "BMRTTEST";
  static constexpr size_t kMagicSize = 8;

  Status LoadModel(ByteSpan module_bytes, const protocol::ModelSpec& spec) override;
  void UnloadModel() override;
  Status Run(ByteSpan inputs, MutableByteSpan outputs) override;
  void CollectStats(protocol::StatsSink& sink) override;

  bool loaded() const { return loaded_; }

 private:
  bool loaded_ = false;
  bool fail_runs_ = false;
  uint8_t seed_ = 0;
  uint64_t runs_ = 0;
  uint64_t expected_inputs_ = 0;
  uint64_t expected_outputs_ = 0;
};

}  // namespace bmrt::server
