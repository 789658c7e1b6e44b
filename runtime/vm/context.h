// A VM context: the native modules a bytecode module imports from, the linked bytecode module,
// its state (globals, rodata buffers) and the stack its functions run on.
//
//   vm::Context* context = vm::Context::Create(arena).value();
//   context->RegisterNativeModule(kHalModule, &hal_state);       // before LoadModule
//   context->LoadModule(*module);      // links imports, checks dependencies, runs __init
//   vm::Value args[] = {vm::Value::I32(5)}, results[4];
//   size_t count = 0;
//   context->Invoke("main", args, results, &count);
//   vm::Context::Destroy(context);     // runs __deinit, releases everything
//
// Errors with run-time detail (vm.fail messages, missing imports, where an op failed) carry a
// message held by the context; it stays valid until the next call into the context.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/vm/native_module.h"
#include "runtime/vm/value.h"
#include "runtime/vmfb/module.h"

namespace bmrt::vm {

class Buffer;
struct Frame;

struct ContextOptions {
  // Frames (headers + register banks) of one invocation, at most: the stack is sized from the
  // module's deepest chain of internal calls, or gets all of this when the module recurses.
  size_t stack_bytes = 32 * 1024;
  uint32_t max_depth = 256;        // nested calls
  // Control transfers (branches and calls) one invocation may make before it fails with
  // DEADLINE_EXCEEDED (0: no limit).
  // Untrusted modules cannot hang the caller when this is set.
  uint64_t max_steps = 0;
};

class Context {
 public:
  static constexpr size_t kMaxNativeModules = 8;

  static Result<Context*> Create(Arena& arena, const ContextOptions& options = {});
  // Runs __deinit (if the module was initialized), releases all state and frees the context.
  static void Destroy(Context* context);

  // The definition table must stay valid for the context's lifetime; so must `state`.
  Status RegisterNativeModule(const NativeModuleDef& def, void* state);
  // Links `module` (which must outlive the context) and runs its __init.
  Status LoadModule(const vmfb::Module& module);

  // Calls an exported function. Arguments must match its cconv ('i' I32, 'I' I64, 'f' F32,
  // 'F' F64, 'r' a ref or an empty kRef value). Results are written to `results[0..count)`.
  Status Invoke(StringView export_name, Span<const Value> args, Span<Value> results,
                size_t* result_count);
  Status InvokeFunction(uint32_t function_ordinal, Span<const Value> args, Span<Value> results,
                        size_t* result_count);

  const vmfb::Module* module() const { return module_; }
  Arena& arena() { return arena_; }
  // 1 when import `ordinal` resolved (optional imports may not).
  bool ImportResolved(uint32_t ordinal) const;
  // Bytes of the VM stack (allocated by LoadModule).
  size_t stack_bytes() const { return stack_bytes_; }

 private:
  friend class Interpreter;
  struct NativeEntry {
    const NativeModuleDef* def;
    void* state;
  };
  struct ImportEntry {
    const NativeFunction* function;  // null: an optional import that did not resolve
    void* state;
    StringView results;  // the import's cconv results
  };

  Context(Arena& arena, const ContextOptions& options) : arena_(arena), options_(options) {}
  Status Link();
  Status AllocateState();
  Status AllocateStack();
  void ReleaseState();
  Status Fail(Status status, const char* detail);

  Arena& arena_;
  ContextOptions options_;
  NativeEntry natives_[kMaxNativeModules] = {};
  size_t native_count_ = 0;
  const vmfb::Module* module_ = nullptr;
  ImportEntry* imports_ = nullptr;
  uint8_t* globals_ = nullptr;  // rwdata bytes
  uint32_t global_bytes_ = 0;
  Ref* global_refs_ = nullptr;
  uint32_t global_ref_count_ = 0;
  Buffer* rodata_ = nullptr;  // one read-only view per rodata segment
  uint32_t rodata_count_ = 0;
  uint8_t* stack_ = nullptr;
  size_t stack_bytes_ = 0;
  bool initialized_ = false;
  ErrorMessage message_;
};

}  // namespace bmrt::vm
