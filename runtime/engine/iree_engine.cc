#include "runtime/engine/iree_engine.h"

#include <string.h>

#include "runtime/hal/buffer_view.h"
#include "runtime/hal/hal_types.h"
#include "runtime/vmfb/verifier.h"

namespace bmrt::engine {
namespace {

using protocol::ElementCode;
using protocol::ElementType;

constexpr uint32_t kNumericalInt = 0x10, kNumericalSint = 0x11, kNumericalUint = 0x12,
                   kNumericalFloat = 0x21, kNumericalBool = 0x01;

// The HAL element type of a spec type when the module does not declare one.
uint32_t DefaultElementType(ElementType type) {
  uint32_t numerical = type.code == ElementCode::kFloat  ? kNumericalFloat
                       : type.code == ElementCode::kUint ? kNumericalUint
                                                         : kNumericalInt;
  return (numerical << 24) | type.bits;
}

// True when a HAL element type holds values of the spec's type (same width and kind; signless
// integers serve both signed and unsigned specs).
bool Compatible(uint32_t element_type, ElementType type) {
  if ((element_type & 0xFF) != type.bits) return false;
  uint32_t numerical = element_type >> 24;
  switch (type.code) {
    case ElementCode::kFloat: return numerical == kNumericalFloat;
    case ElementCode::kInt:
      return numerical == kNumericalInt || numerical == kNumericalSint || numerical == kNumericalBool;
    case ElementCode::kUint:
      return numerical == kNumericalInt || numerical == kNumericalUint || numerical == kNumericalBool;
  }
  return false;
}

bool AllRefs(StringView text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != 'r') return false;
  }
  return true;
}

}  // namespace

IreeEngine::IreeEngine(Arena& arena, const IreeEngineOptions& options)
    : arena_(arena), options_(options) {
  if (options_.code.arena == nullptr) options_.code.arena = &arena_;
  if (options_.read_counter != nullptr) {
    kernel_counter_.read = options_.read_counter;
    options_.code.kernel_counter = &kernel_counter_;
  }
}

StringView IreeEngine::EntryName(const char* entry_function) {
  StringView name(entry_function, StringView::BoundedLength(entry_function,
                                                            protocol::kMaxNameLength + 1));
  if (name.empty()) return "main";
  if (name.StartsWith("module.") && name.size() > 7) return name.substr(7);
  return name;
}

Status IreeEngine::Fail(StatusCode code, const char* what, const char* detail) {
  return Status(code, message_.Set("%s: %s", what, detail));
}

Status IreeEngine::LoadModel(ByteSpan module_bytes, const protocol::ModelSpec& spec) {
  UnloadModel();
  const size_t baseline = arena_.stats().bytes_in_use;
  const size_t code_baseline = options_.code.arena->stats().bytes_in_use;
  spec_ = spec;
  Status status = OkStatus();
  Result<vmfb::Module*> module = vmfb::LoadVerifiedModule(module_bytes, arena_, load_message_);
  if (!module.ok()) {
    return Fail(module.status().code(), "model rejected", module.status().message());
  }
  module_ = module.value();
  status = hal_.Initialize(arena_, options_.code);
  hal_initialized_ = status.ok();
  if (!status.ok()) {
    status = Fail(status.code(), "hal device", status.message());
  } else {
    vm::ContextOptions context_options;
    context_options.max_steps = options_.max_steps;
    context_options.stack_bytes = options_.stack_bytes;
    Result<vm::Context*> context = vm::Context::Create(arena_, context_options);
    if (!context.ok()) {
      status = Fail(context.status().code(), "vm context", context.status().message());
    } else {
      context_ = context.value();
      status = context_->RegisterNativeModule(hal::HalModule::Definition(), &hal_);
      if (status.ok()) status = context_->LoadModule(*module_);
      // The initializer creates the executables: a malformed kernel ELF is reported here.
      if (!status.ok()) status = Fail(status.code(), "model initialization failed", status.message());
    }
  }
  if (status.ok()) status = CheckSignature(spec);
  if (!status.ok()) {
    UnloadModel();
    return status;
  }
  module_bytes_ = module_bytes.size();
  loaded_bytes_ = arena_.stats().bytes_in_use - baseline;
  code_bytes_ = options_.code.arena == &arena_
                    ? 0 : options_.code.arena->stats().bytes_in_use - code_baseline;
  runs_ = last_dispatches_ = last_workgroups_ = last_kernel_count_ = total_kernel_count_ = 0;
  return OkStatus();
}

void IreeEngine::UnloadModel() {
  if (context_ != nullptr) vm::Context::Destroy(context_);
  context_ = nullptr;
  if (module_ != nullptr) vmfb::FreeModule(arena_, module_);
  module_ = nullptr;
  if (hal_initialized_) hal_.Deinitialize();
  hal_initialized_ = false;
  module_bytes_ = loaded_bytes_ = code_bytes_ = 0;
}

Status IreeEngine::CheckSignature(const protocol::ModelSpec& spec) {
  StringView name = EntryName(spec.entry_function);
  const vmfb::ExportInfo* function = module_->FindExport(name);
  if (function == nullptr) {
    return Status(StatusCode::kNotFound, message_.Set("model has no exported function '%.*s'",
                                                      int(name.size()), name.data()));
  }
  function_ordinal_ = function->function_ordinal;
  const vmfb::Cconv& cconv = module_->functions()[function_ordinal_].cconv;
  if (!AllRefs(cconv.arguments) || !AllRefs(cconv.results) ||
      cconv.arguments.size() != spec.num_inputs || cconv.results.size() != spec.num_outputs) {
    return Status(StatusCode::kInvalidArgument,
                  message_.Set("function '%.*s' takes %zu and returns %zu values (%.*s); the IO "
                               "spec has %u inputs and %u outputs",
                               int(name.size()), name.data(), cconv.arguments.size(),
                               cconv.results.size(), int(cconv.text.size()), cconv.text.data(),
                               unsigned(spec.num_inputs), unsigned(spec.num_outputs)));
  }
  for (uint32_t i = 0; i < spec.num_inputs; ++i) input_types_[i] = DefaultElementType(spec.inputs[i].type);
  for (uint32_t i = 0; i < spec.num_outputs; ++i) output_types_[i] = DefaultElementType(spec.outputs[i].type);
  total_input_bytes_ = total_output_bytes_ = 0;
  for (uint32_t k = 0; k < spec.num_inputs + spec.num_outputs; ++k) {
    bool is_input = k < spec.num_inputs;
    uint64_t bytes = 0;
    if (!protocol::TensorByteSize(is_input ? spec.inputs[k] : spec.outputs[k - spec.num_inputs],
                                  &bytes) ||
        bytes > (~size_t(0)) / 2) {
      return InvalidArgument("a tensor of the IO spec is too large");
    }
    if (is_input) {
      input_bytes_[k] = size_t(bytes);
      total_input_bytes_ += size_t(bytes);
    } else {
      output_bytes_[k - spec.num_inputs] = size_t(bytes);
      total_output_bytes_ += size_t(bytes);
    }
  }

  DeclaredSignature declared;
  StringView declaration = module_->FunctionAttr(function_ordinal_, "iree.abi.declaration");
  if (!ParseAbiDeclaration(declaration, &declared)) return OkStatus();  // counts checked above
  if (declared.num_inputs != spec.num_inputs || declared.num_outputs != spec.num_outputs) {
    return InvalidArgument("the function's declared tensors differ from the IO spec's counts");
  }
  for (uint32_t k = 0; k < spec.num_inputs + spec.num_outputs; ++k) {
    bool is_input = k < spec.num_inputs;
    uint32_t i = is_input ? k : k - spec.num_inputs;
    const protocol::TensorSpec& tensor = is_input ? spec.inputs[i] : spec.outputs[i];
    const DeclaredTensor& expected = is_input ? declared.inputs[i] : declared.outputs[i];
    const char* kind = is_input ? "input" : "output";
    if (expected.element_type != 0 && !Compatible(expected.element_type, tensor.type)) {
      return Status(StatusCode::kInvalidArgument,
                    message_.Set("%s %u: the model declares element type 0x%08x, the IO spec "
                                 "gives code %u with %u bits", kind, unsigned(i),
                                 unsigned(expected.element_type), unsigned(tensor.type.code),
                                 unsigned(tensor.type.bits)));
    }
    bool shape_ok = expected.rank == tensor.rank;
    for (uint32_t d = 0; shape_ok && d < tensor.rank; ++d) {
      shape_ok = expected.dims[d] == DeclaredTensor::kDynamic || expected.dims[d] == tensor.dims[d];
    }
    if (!shape_ok) {
      return Status(StatusCode::kInvalidArgument,
                    message_.Set("%s %u: the IO spec's shape (rank %u) differs from the model's "
                                 "(rank %u)", kind, unsigned(i), unsigned(tensor.rank),
                                 unsigned(expected.rank)));
    }
    if (expected.element_type != 0) {
      (is_input ? input_types_ : output_types_)[i] = expected.element_type;
    }
  }
  return OkStatus();
}

// The server's input bytes outlive the call (every ref to them is dropped before Run returns), so
// an aligned input is imported in place; otherwise it is copied into a fresh buffer.
Result<hal::Buffer*> IreeEngine::InputBuffer(ByteSpan bytes) {
  hal::Allocator& allocator = hal_.device()->allocator();
  bool aligned =
      reinterpret_cast<uintptr_t>(bytes.data()) % hal::Allocator::kImportAlignment == 0;
  if (aligned && !bytes.empty()) {
    constexpr uint32_t kInputUsage =
        hal::buffer_usage::kTransferSource | hal::buffer_usage::kTransferTarget |
        hal::buffer_usage::kDispatchStorageRead | hal::buffer_usage::kDispatchStorageWrite |
        hal::buffer_usage::kDispatchUniformRead | hal::buffer_usage::kDispatchIndirectParameters |
        hal::buffer_usage::kMappingScoped | hal::buffer_usage::kMappingPersistent;
    return allocator.Import(0, kInputUsage, bytes, vm::Ref());
  }
  BMRT_ASSIGN_OR_RETURN(hal::Buffer * buffer, allocator.Allocate(0, 0, bytes.size()));
  if (!bytes.empty()) memcpy(buffer->data(), bytes.data(), bytes.size());
  return buffer;
}

Status IreeEngine::WrapInput(uint32_t index, ByteSpan bytes, vm::Value* value) {
  const protocol::TensorSpec& tensor = spec_.inputs[index];
  BMRT_ASSIGN_OR_RETURN(hal::Buffer * buffer, InputBuffer(bytes));
  int64_t shape[protocol::kMaxRank] = {};
  for (uint32_t d = 0; d < tensor.rank; ++d) shape[d] = tensor.dims[d];
  Result<hal::BufferView*> view =
      hal::BufferView::Create(arena_, *buffer, Span<const int64_t>(shape, tensor.rank),
                              input_types_[index], hal::kEncodingDenseRowMajor);
  buffer->Release();
  if (!view.ok()) return view.status();
  *value = vm::Value::FromRef(vm::Ref::Adopt(view.value()));
  return OkStatus();
}

Status IreeEngine::CopyOutput(uint32_t index, const vm::Value& value, MutableByteSpan out) {
  const protocol::TensorSpec& tensor = spec_.outputs[index];
  const hal::BufferView* view = value.ref.As<hal::BufferView>();
  if (view == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  message_.Set("output %u: the model returned no buffer view", unsigned(index)));
  }
  if (view->element_type() != output_types_[index] ||
      !Compatible(view->element_type(), tensor.type)) {
    return Status(StatusCode::kInvalidArgument,
                  message_.Set("output %u: element type 0x%08x, the IO spec expects 0x%08x",
                               unsigned(index), unsigned(view->element_type()),
                               unsigned(output_types_[index])));
  }
  bool shape_ok = view->rank() == tensor.rank;
  for (uint32_t d = 0; shape_ok && d < tensor.rank; ++d) {
    shape_ok = view->shape()[d] == int64_t(tensor.dims[d]);
  }
  if (!shape_ok) {
    return Status(StatusCode::kInvalidArgument,
                  message_.Set("output %u: shape (rank %zu) differs from the IO spec (rank %u)",
                               unsigned(index), view->rank(), unsigned(tensor.rank)));
  }
  if (view->byte_length() != out.size() || view->buffer() == nullptr ||
      view->buffer()->length() < out.size()) {
    return Status(StatusCode::kInvalidArgument,
                  message_.Set("output %u: %llu bytes, the IO spec expects %zu", unsigned(index),
                               (unsigned long long)view->byte_length(), out.size()));
  }
  if (!out.empty()) memcpy(out.data(), view->buffer()->data(), out.size());
  return OkStatus();
}

Status IreeEngine::Run(ByteSpan inputs, MutableByteSpan outputs) {
  if (context_ == nullptr) return FailedPrecondition("no model loaded");
  if (inputs.size() != total_input_bytes_ || outputs.size() != total_output_bytes_) {
    return InvalidArgument("tensor bytes differ from the IO spec");
  }
  vm::Value args[protocol::kMaxInputs];
  size_t offset = 0;
  for (uint32_t i = 0; i < spec_.num_inputs; ++i) {
    BMRT_RETURN_IF_ERROR(WrapInput(i, inputs.subspan(offset, input_bytes_[i]), &args[i]));
    offset += input_bytes_[i];
  }
  vm::Value results[protocol::kMaxOutputs];
  size_t count = 0;
  kernel_counter_.dispatches = kernel_counter_.workgroups = kernel_counter_.counted = 0;
  uint64_t invoke_start = options_.read_counter != nullptr ? options_.read_counter() : 0;
  Status status = context_->InvokeFunction(
      function_ordinal_, Span<const vm::Value>(args, spec_.num_inputs),
      Span<vm::Value>(results, spec_.num_outputs), &count);
  uint64_t invoke_count = options_.read_counter != nullptr ? options_.read_counter() - invoke_start : 0;
  if (!status.ok()) return Fail(status.code(), "inference failed", status.message());
  if (count != spec_.num_outputs) return Internal("the model returned fewer outputs than declared");
  offset = 0;
  for (uint32_t i = 0; i < spec_.num_outputs; ++i) {
    BMRT_RETURN_IF_ERROR(CopyOutput(i, results[i], outputs.subspan(offset, output_bytes_[i])));
    offset += output_bytes_[i];
  }
  ++runs_;
  last_dispatches_ = kernel_counter_.dispatches;
  last_workgroups_ = kernel_counter_.workgroups;
  last_kernel_count_ = kernel_counter_.counted;
  last_invoke_count_ = invoke_count;
  total_kernel_count_ += last_kernel_count_;
  return OkStatus();
}

void IreeEngine::CollectStats(protocol::StatsSink& sink) {
  using protocol::StatType;
  sink.Add("engine_module_bytes", module_bytes_, StatType::kAllocation);
  sink.Add("engine_loaded_bytes", loaded_bytes_, StatType::kAllocation);
  if (options_.code.arena != &arena_) sink.Add("engine_code_bytes", code_bytes_, StatType::kAllocation);
  sink.Add("engine_runs", runs_);
  if (options_.read_counter != nullptr) {
    sink.Add("last_dispatches", last_dispatches_);
    sink.Add("last_workgroups", last_workgroups_);
    sink.Add("last_invoke_instructions", last_invoke_count_);
    sink.Add("last_kernel_instructions", last_kernel_count_);
    sink.Add("total_kernel_instructions", total_kernel_count_);
  }
}

}  // namespace bmrt::engine
