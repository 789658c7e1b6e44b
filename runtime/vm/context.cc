#include "runtime/vm/context.h"

#include <string.h>

#include "runtime/vm/buffer.h"
#include "runtime/vm/interpreter.h"
#include "runtime/vm/stack_bound.h"

namespace bmrt::vm {

Result<Context*> Context::Create(Arena& arena, const ContextOptions& options) {
  void* memory = arena.Allocate(sizeof(Context), alignof(Context));
  if (!memory) return ResourceExhausted("out of memory creating a VM context");
  return new (memory) Context(arena, options);
}

void Context::Destroy(Context* context) {
  if (!context) return;
  if (context->initialized_) {
    if (const vmfb::ExportInfo* deinit = context->module_->FindExport("__deinit")) {
      size_t count = 0;
      context->InvokeFunction(deinit->function_ordinal, {}, {}, &count).IgnoreError();
    }
  }
  context->ReleaseState();
  Arena& arena = context->arena_;
  arena.Free(context->stack_);
  context->~Context();
  arena.Free(context);
}

Status Context::RegisterNativeModule(const NativeModuleDef& def, void* state) {
  if (module_) return FailedPrecondition("native modules must be registered before the module");
  if (native_count_ >= kMaxNativeModules) return ResourceExhausted("too many native modules");
  if (!def.IsSorted()) {
    return Fail(InvalidArgument("native module exports are not sorted"), def.name);
  }
  for (size_t i = 0; i < native_count_; ++i) {
    if (StringView(natives_[i].def->name) == StringView(def.name)) {
      return Fail(InvalidArgument("native module registered twice"), def.name);
    }
  }
  natives_[native_count_++] = {&def, state};
  return OkStatus();
}

Status Context::Fail(Status status, const char* detail) {
  return Status(status.code(), message_.Set("%s: %s", status.message(), detail));
}

Status Context::Link() {
  const vmfb::Module& module = *module_;
  for (const vmfb::Dependency& dependency : module.dependencies()) {
    const NativeEntry* found = nullptr;
    for (size_t i = 0; i < native_count_; ++i) {
      if (StringView(natives_[i].def->name) == dependency.name) found = &natives_[i];
    }
    if (!found) {
      if (dependency.optional) continue;
      return Status(StatusCode::kNotFound,
                    message_.Set("module '%.*s' requires module '%.*s', which is not registered",
                                 int(module.name().size()), module.name().data(),
                                 int(dependency.name.size()), dependency.name.data()));
    }
    if (found->def->version < dependency.minimum_version) {
      return Status(StatusCode::kFailedPrecondition,
                    message_.Set("module '%.*s' needs '%s' version >= %u, have %u",
                                 int(module.name().size()), module.name().data(),
                                 found->def->name, dependency.minimum_version,
                                 found->def->version));
    }
  }

  size_t import_count = module.imports().size();
  imports_ = arena_.AllocateArray<ImportEntry>(import_count ? import_count : 1);
  if (!imports_) return ResourceExhausted("out of memory linking imports");
  for (size_t i = 0; i < import_count; ++i) {
    const vmfb::ImportInfo& import = module.imports()[i];
    imports_[i] = {nullptr, nullptr, import.cconv.results};
    StringView module_name = import.module_name();
    const NativeFunction* function = nullptr;
    void* state = nullptr;
    for (size_t m = 0; m < native_count_ && !function; ++m) {
      if (StringView(natives_[m].def->name) == module_name) {
        function = natives_[m].def->Find(import.local_name());
        state = natives_[m].state;
      }
    }
    if (function && !(StringView(function->cconv) == import.cconv.text)) {
      return Status(StatusCode::kInvalidArgument,
                    message_.Set("import '%.*s' has cconv %.*s but the native export has %s",
                                 int(import.full_name.size()), import.full_name.data(),
                                 int(import.cconv.text.size()), import.cconv.text.data(),
                                 function->cconv));
    }
    if (!function && !import.optional) {
      return Status(StatusCode::kNotFound,
                    message_.Set("required import '%.*s' (%.*s) is not provided by any "
                                 "registered module",
                                 int(import.full_name.size()), import.full_name.data(),
                                 int(import.cconv.text.size()), import.cconv.text.data()));
    }
    imports_[i].function = function;
    imports_[i].state = state;
  }
  return OkStatus();
}

Status Context::AllocateState() {
  const vmfb::Module& module = *module_;
  global_bytes_ = module.global_bytes_capacity();
  if (global_bytes_) {
    globals_ = static_cast<uint8_t*>(arena_.Allocate(global_bytes_, 16));
    if (!globals_) return ResourceExhausted("out of memory allocating globals");
    memset(globals_, 0, global_bytes_);
  }
  global_ref_count_ = module.global_ref_count();
  if (global_ref_count_) {
    global_refs_ = arena_.AllocateArray<Ref>(global_ref_count_);
    if (!global_refs_) {
      global_ref_count_ = 0;  // nothing for ReleaseState to destroy
      return ResourceExhausted("out of memory allocating ref globals");
    }
    for (uint32_t i = 0; i < global_ref_count_; ++i) new (&global_refs_[i]) Ref();
  }
  rodata_count_ = uint32_t(module.rodata().size());
  if (rodata_count_) {
    rodata_ = static_cast<Buffer*>(
        arena_.Allocate(sizeof(Buffer) * rodata_count_, alignof(Buffer)));
    if (!rodata_) return ResourceExhausted("out of memory allocating rodata views");
    for (uint32_t i = 0; i < rodata_count_; ++i) {
      Buffer::PlaceView(&rodata_[i], module.rodata()[i]);
    }
  }
  return OkStatus();
}

// The stack holds the deepest chain of internal calls the module can make, at most
// options_.stack_bytes; recursion (no static bound) gets options_.stack_bytes.
Status Context::AllocateStack() {
  vmfb::ErrorMessage message;
  Result<size_t> deepest = DeepestCallChainBytes(*module_, arena_, message);
  if (!deepest.ok()) return Fail(deepest.status(), "sizing the VM stack");
  stack_bytes_ = options_.stack_bytes;
  if (deepest.value() != 0 && deepest.value() < stack_bytes_) stack_bytes_ = deepest.value();
  stack_ = static_cast<uint8_t*>(arena_.Allocate(stack_bytes_ ? stack_bytes_ : 1, 16));
  if (!stack_) return ResourceExhausted("out of memory allocating the VM stack");
  return OkStatus();
}

void Context::ReleaseState() {
  for (uint32_t i = 0; i < global_ref_count_; ++i) global_refs_[i].~Ref();
  arena_.Free(global_refs_);
  global_refs_ = nullptr;
  global_ref_count_ = 0;
  arena_.Free(globals_);
  globals_ = nullptr;
  // Rodata views are never freed through their count; the storage goes with the context.
  arena_.Free(rodata_);
  rodata_ = nullptr;
  rodata_count_ = 0;
  arena_.Free(imports_);
  imports_ = nullptr;
}

Status Context::LoadModule(const vmfb::Module& module) {
  if (module_) return FailedPrecondition("a context holds one bytecode module");
  module_ = &module;
  BMRT_RETURN_IF_ERROR(Link());
  BMRT_RETURN_IF_ERROR(AllocateState());
  BMRT_RETURN_IF_ERROR(AllocateStack());
  if (const vmfb::ExportInfo* init = module.FindExport("__init")) {
    size_t count = 0;
    BMRT_RETURN_IF_ERROR(InvokeFunction(init->function_ordinal, {}, {}, &count));
  }
  initialized_ = true;
  return OkStatus();
}

bool Context::ImportResolved(uint32_t ordinal) const {
  return module_ && ordinal < module_->imports().size() && imports_[ordinal].function;
}

Status Context::Invoke(StringView export_name, Span<const Value> args, Span<Value> results,
                       size_t* result_count) {
  if (!module_) return FailedPrecondition("no module loaded");
  const vmfb::ExportInfo* function = module_->FindExport(export_name);
  if (!function) {
    return Status(StatusCode::kNotFound,
                  message_.Set("module '%.*s' has no exported function '%.*s'",
                               int(module_->name().size()), module_->name().data(),
                               int(export_name.size()), export_name.data()));
  }
  return InvokeFunction(function->function_ordinal, args, results, result_count);
}

Status Context::InvokeFunction(uint32_t function_ordinal, Span<const Value> args,
                               Span<Value> results, size_t* result_count) {
  *result_count = 0;
  if (!module_ || function_ordinal >= module_->functions().size()) {
    return InvalidArgument("function ordinal out of range");
  }
  Interpreter interpreter(*this);
  return interpreter.Run(function_ordinal, args, results, result_count);
}

}  // namespace bmrt::vm
