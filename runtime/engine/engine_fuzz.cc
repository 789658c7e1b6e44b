// libFuzzer target: the engine behind the server. Byte 0 picks the mode:
//   even: the rest is an `iree.abi.declaration` string for ParseAbiDeclaration;
//   odd:  a compact model spec (below), then a module for LoadModel, then one Run with zeroed
//         inputs when the model loads, then UnloadModel.
// Compact spec: entry selector, input count, output count, then per tensor a type byte, a rank
// byte and rank dimension bytes (each taken modulo small bounds, so every input is a spec).
// The code memory is too small for any executable, so fuzzed machine code never runs.
// Invariants: no memory error, no hang (step budget), parsed signatures within their limits,
// and both arenas back at their baseline after UnloadModel or a failed LoadModel.
// Seeds: tests/corpus/engine/ (tests/corpus/make_engine_seeds.py).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/engine/iree_engine.h"

using namespace bmrt;

namespace {

constexpr size_t kMaxRunBytes = 64 * 1024;
// BMRT_FUZZ_TRACE=1 prints what LoadModel and Run answered (for triage and seed checks).
const bool kTrace = getenv("BMRT_FUZZ_TRACE") != nullptr;

class SpecReader {
 public:
  SpecReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Next() { return position_ < size_ ? data_[position_++] : 0; }
  size_t position() const { return position_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
};

protocol::TensorSpec ReadTensor(SpecReader& reader) {
  static constexpr protocol::ElementType kTypes[] = {
      {protocol::ElementCode::kFloat, 32}, {protocol::ElementCode::kInt, 8},
      {protocol::ElementCode::kInt, 32},   {protocol::ElementCode::kUint, 8},
      {protocol::ElementCode::kFloat, 16}, {protocol::ElementCode::kFloat, 64},
      {protocol::ElementCode::kInt, 64},   {protocol::ElementCode::kInt, 16}};
  protocol::TensorSpec tensor;
  tensor.type = kTypes[reader.Next() % (sizeof(kTypes) / sizeof(kTypes[0]))];
  tensor.rank = reader.Next() % (protocol::kMaxRank + 1);
  for (uint32_t i = 0; i < tensor.rank; ++i) tensor.dims[i] = 1 + reader.Next() % 160;
  return tensor;
}

protocol::ModelSpec ReadSpec(SpecReader& reader) {
  static constexpr const char* kEntries[] = {"", "main", "module.main", "module.missing"};
  protocol::ModelSpec spec;
  strcpy(spec.entry_function, kEntries[reader.Next() % 4]);
  spec.num_inputs = 1 + reader.Next() % protocol::kMaxInputs;
  spec.num_outputs = 1 + reader.Next() % 4;
  for (uint32_t i = 0; i < spec.num_inputs; ++i) spec.inputs[i] = ReadTensor(reader);
  for (uint32_t i = 0; i < spec.num_outputs; ++i) spec.outputs[i] = ReadTensor(reader);
  return spec;
}

void CheckSignature(const engine::DeclaredSignature& signature) {
  if (signature.num_inputs > engine::DeclaredSignature::kMaxTensors ||
      signature.num_outputs > engine::DeclaredSignature::kMaxTensors) {
    abort();
  }
  for (uint32_t i = 0; i < signature.num_inputs; ++i) {
    if (signature.inputs[i].rank > engine::DeclaredTensor::kMaxRank) abort();
  }
  for (uint32_t i = 0; i < signature.num_outputs; ++i) {
    if (signature.outputs[i].rank > engine::DeclaredTensor::kMaxRank) abort();
  }
}

void FuzzDeclaration(const uint8_t* data, size_t size) {
  // An exact-size heap copy so that reads past the end trip the address sanitizer.
  char* text = static_cast<char*>(malloc(size ? size : 1));
  if (size) memcpy(text, data, size);
  engine::DeclaredSignature signature;
  if (engine::ParseAbiDeclaration(StringView(text, size), &signature)) CheckSignature(signature);
  free(text);
}

void FuzzLoadAndRun(const uint8_t* data, size_t size) {
  static uint8_t region[8 << 20];
  static uint8_t no_code[256];
  static uint8_t run_bytes[2 * kMaxRunBytes];
  Arena arena(MutableByteSpan(region, sizeof(region)));
  Arena code_arena(MutableByteSpan(no_code, sizeof(no_code)));
  SpecReader reader(data, size);
  protocol::ModelSpec spec = ReadSpec(reader);
  if (!protocol::ValidateModelSpec(spec).ok()) return;
  size_t module_size = size - (reader.position() < size ? reader.position() : size);
  // The server keeps uploads in its arena, 16-byte aligned; so does this target.
  uint8_t* module = static_cast<uint8_t*>(arena.Allocate(module_size ? module_size : 1));
  if (module == nullptr) return;
  if (module_size) memcpy(module, data + reader.position(), module_size);
  size_t baseline = arena.stats().bytes_in_use;
  {
    engine::IreeEngineOptions options;
    options.code.arena = &code_arena;
    options.max_steps = 20000;
    options.stack_bytes = 16 * 1024;
    engine::IreeEngine engine(arena, options);
    Status loaded = engine.LoadModel(ByteSpan(module, module_size), spec);
    if (kTrace) fprintf(stderr, "load: %s\n", loaded.ok() ? "ok" : loaded.message());
    if (loaded.ok()) {
      uint64_t in = protocol::TotalInputBytes(spec), out = protocol::TotalOutputBytes(spec);
      if (in <= kMaxRunBytes && out <= kMaxRunBytes) {
        memset(run_bytes, 0, size_t(in));
        Status ran = engine.Run(ByteSpan(run_bytes, size_t(in)),
                                MutableByteSpan(run_bytes + kMaxRunBytes, size_t(out)));
        if (kTrace) fprintf(stderr, "run: %s\n", ran.ok() ? "ok" : ran.message());
      }
      engine.UnloadModel();
    }
    if (arena.stats().bytes_in_use != baseline) abort();
  }
  if (code_arena.stats().live_allocations != 0) abort();
  arena.Free(module);
  if (arena.stats().live_allocations != 0) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    FuzzDeclaration(data + 1, size - 1);
  } else {
    FuzzLoadAndRun(data + 1, size - 1);
  }
  return 0;
}
