// IreeEngine: the inference server's Engine backed by the IREE-compatible runtime (vmfb + vm +
// hal). A model is a compiled .vmfb used in place; its entry function takes the IO spec's
// inputs as hal.buffer_view refs and returns its outputs the same way.
//
//   elf::CodeMemory code{&arena, platform::SyncInstructions, nullptr};  // where kernels load
//   engine::IreeEngine engine(arena, {code});
//   server::InferenceServer server(transport, engine, arena);
//
// LoadModel verifies the module, creates the hal device and the VM context (running the
// module's initializer, which loads the executables), resolves the entry function and checks
// its signature against the IO spec. Everything comes from the arena (kernels from the code
// memory's arena); UnloadModel, and any failed LoadModel, return both to where they were.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/format.h"
#include "runtime/elf/code_memory.h"
#include "runtime/engine/abi_declaration.h"
#include "runtime/hal/hal_module.h"
#include "runtime/protocol/model_spec.h"
#include "runtime/server/engine.h"
#include "runtime/vm/context.h"
#include "runtime/vmfb/module.h"

namespace bmrt::engine {

struct IreeEngineOptions {
  elf::CodeMemory code;  // code.arena may be the engine's arena (the rv32 board does that)
  // Bytecode ops per invocation before the call fails (0: no limit); bounds hostile modules.
  uint64_t max_steps = 200u * 1000 * 1000;
  // VM stack limit; the stack itself is sized from the module's deepest call chain (this much
  // only when the module recurses).
  size_t stack_bytes = 32 * 1024;
  // When set (e.g. the retired-instruction counter), Run measures the part of each inference
  // spent in the entry function's call ("last_invoke_instructions") and inside kernel calls
  // ("last_kernel_instructions").
  uint64_t (*read_counter)() = nullptr;
};

class IreeEngine final : public server::Engine {
 public:
  IreeEngine(Arena& arena, const IreeEngineOptions& options);
  ~IreeEngine() { UnloadModel(); }
  IreeEngine(const IreeEngine&) = delete;
  IreeEngine& operator=(const IreeEngine&) = delete;

  Status LoadModel(ByteSpan module_bytes, const protocol::ModelSpec& spec) override;
  void UnloadModel() override;
  Status Run(ByteSpan inputs, MutableByteSpan outputs) override;
  void CollectStats(protocol::StatsSink& sink) override;

  bool loaded() const { return context_ != nullptr; }
  // The HAL element type given to input `i` / expected of output `i` (valid while loaded).
  uint32_t input_element_type(uint32_t i) const { return input_types_[i]; }
  uint32_t output_element_type(uint32_t i) const { return output_types_[i]; }
  // Counters of the last successful Run.
  uint64_t last_dispatches() const { return last_dispatches_; }
  uint64_t last_kernel_count() const { return last_kernel_count_; }

  // The export name an IO spec's entry function refers to: "" -> "main", "module.f" -> "f".
  static StringView EntryName(const char* entry_function);

 private:
  Status Fail(StatusCode code, const char* what, const char* detail);
  Status CheckSignature(const protocol::ModelSpec& spec);
  Result<hal::Buffer*> InputBuffer(ByteSpan bytes);
  Status WrapInput(uint32_t index, ByteSpan bytes, vm::Value* value);
  Status CopyOutput(uint32_t index, const vm::Value& value, MutableByteSpan out);

  Arena& arena_;
  IreeEngineOptions options_;
  elf::KernelCounter kernel_counter_;
  hal::HalModule hal_;
  bool hal_initialized_ = false;
  vmfb::Module* module_ = nullptr;
  vm::Context* context_ = nullptr;
  uint32_t function_ordinal_ = 0;
  protocol::ModelSpec spec_;
  uint32_t input_types_[protocol::kMaxInputs] = {};
  uint32_t output_types_[protocol::kMaxOutputs] = {};
  // Byte sizes from the IO spec, computed once per load (Run checks and splits by them).
  size_t input_bytes_[protocol::kMaxInputs] = {};
  size_t output_bytes_[protocol::kMaxOutputs] = {};
  size_t total_input_bytes_ = 0;
  size_t total_output_bytes_ = 0;

  size_t module_bytes_ = 0;
  size_t loaded_bytes_ = 0;  // arena bytes the loaded model holds (excluding its upload)
  size_t code_bytes_ = 0;    // code-memory bytes when that is a separate arena
  uint64_t runs_ = 0;
  uint64_t last_dispatches_ = 0;
  uint64_t last_workgroups_ = 0;
  uint64_t last_kernel_count_ = 0;
  uint64_t last_invoke_count_ = 0;  // the entry function's call, kernels included
  uint64_t total_kernel_count_ = 0;

  vmfb::ErrorMessage load_message_;
  MessageBuffer<240> message_;
};

}  // namespace bmrt::engine
