#include "runtime/hal/executable.h"

#include <string.h>

#include "runtime/base/utility.h"

namespace bmrt::hal {

StringView Executable::NativeFormat() {
  if constexpr (elf::kNativeMachine == elf::kMachineX86_64) return "embedded-elf-x86_64";
  if constexpr (elf::kNativeMachine == elf::kMachineRiscv) return "embedded-elf-riscv_32";
  return "";
}

void Executable::Destroy(vm::RefObject* object) {
  Executable* executable = static_cast<Executable*>(object);
  Arena* arena = executable->arena_;
  arena->Free(executable->constants_);
  executable->~Executable();
  arena->Free(executable);
}

Result<Executable*> Executable::Create(Arena& arena, const elf::CodeMemory& code,
                                       StringView format, ByteSpan library, ByteSpan constants,
                                       elf::ErrorText& error) {
  if (NativeFormat().empty() || !(format == NativeFormat())) {
    return Status(StatusCode::kUnimplemented,
                  error.Set("hal.executable: format '%.*s' cannot run here (supported: '%.*s')",
                            int(format.size()), format.data(), int(NativeFormat().size()),
                            NativeFormat().data()));
  }
  void* memory = arena.Allocate(sizeof(Executable), alignof(Executable));
  if (memory == nullptr) return ResourceExhausted("hal.executable: out of memory");
  Executable* executable = new (memory) Executable(arena);
  Status status = executable->Initialize(code, library, constants, error);
  if (!status.ok()) {
    executable->Release();
    return status;
  }
  return executable;
}

Status Executable::Initialize(const elf::CodeMemory& code, ByteSpan library, ByteSpan constants,
                              elf::ErrorText& error) {
  if (constants.size() % 4 != 0) return InvalidArgument("hal.executable: constants not u32s");
  size_t constant_count = constants.size() / 4;
  if (constant_count > 0) {
    constants_ = arena_->AllocateArray<uint32_t>(constant_count);
    if (constants_ == nullptr) return ResourceExhausted("hal.executable: out of memory");
    memcpy(constants_, constants.data(), constants.size());
  }
  kernel_counter_ = code.kernel_counter;
  BMRT_RETURN_IF_ERROR(module_.Load(library, elf::kNativeMachine, code, error));
  BMRT_ASSIGN_OR_RETURN(uintptr_t query_address, module_.FindSymbol(abi::kQuerySymbol));

  environment_.constants = constants_;
  // processor.data stays zero: no CPU feature bits are reported (none exist for RISC-V).
  auto query = reinterpret_cast<abi::QueryFunction>(query_address);
  const abi::LibraryHeader** header = query(abi::kLibraryVersion, &environment_);
  if (header == nullptr || !module_.Contains(uintptr_t(header), sizeof(abi::LibraryV0)) ||
      !module_.Contains(uintptr_t(*header), sizeof(abi::LibraryHeader))) {
    return FailedPrecondition("hal.executable: library does not support ABI version 6");
  }
  if ((*header)->version > abi::kLibraryVersion) {
    return {StatusCode::kFailedPrecondition,
            error.Set("hal.executable: library version %u is newer than 6",
                      unsigned((*header)->version))};
  }
  if ((*header)->sanitizer != abi::kSanitizerNone) {
    return FailedPrecondition("hal.executable: library built with a sanitizer");
  }
  library_ = reinterpret_cast<const abi::LibraryV0*>(header);
  if (library_->imports.count != 0) {
    return Unimplemented("hal.executable: libraries with imports are not supported");
  }
  if (library_->constants.count != constant_count) {
    return {StatusCode::kInvalidArgument,
            error.Set("hal.executable: library wants %u constants, %zu given",
                      unsigned(library_->constants.count), constant_count)};
  }
  BMRT_RETURN_IF_ERROR(CheckExports(error));
  if (code.load_observer != nullptr) ReportLoad(*code.load_observer);
  return OkStatus();
}

void Executable::ReportLoad(const elf::LoadObserver& observer) const {
  if (observer.image_loaded != nullptr) {
    observer.image_loaded(observer.context, module_.image(), module_.image_size());
  }
  if (observer.export_loaded == nullptr) return;
  for (uint32_t i = 0; i < export_count(); ++i) {
    observer.export_loaded(observer.context,
                           reinterpret_cast<const void*>(uintptr_t(library_->exports.ptrs[i])),
                           export_name(i));
  }
}

Status Executable::CheckExports(elf::ErrorText& error) const {
  const abi::ExportTable& exports = library_->exports;
  if (exports.count == 0) return OkStatus();
  size_t table_bytes = exports.count * sizeof(void*);
  if (exports.count > 4096 || !module_.Contains(uintptr_t(exports.ptrs), table_bytes) ||
      exports.names == nullptr || !module_.Contains(uintptr_t(exports.names), table_bytes)) {
    return DataLoss("hal.executable: export table missing or outside the library");
  }
  if (exports.attrs != nullptr &&
      !module_.Contains(uintptr_t(exports.attrs), exports.count * sizeof(abi::DispatchAttrs))) {
    return DataLoss("hal.executable: export attributes outside the library");
  }
  for (uint32_t i = 0; i < exports.count; ++i) {
    if (!module_.Contains(uintptr_t(exports.ptrs[i]), 1) ||
        !module_.Contains(uintptr_t(exports.names[i]), 1)) {
      return {StatusCode::kDataLoss,
              error.Set("hal.executable: export #%u points outside the library", unsigned(i))};
    }
    abi::DispatchAttrs a = attrs(i);
    if (a.binding_count > abi::kMaxBindings || a.constant_count > abi::kMaxConstants) {
      return DataLoss("hal.executable: export declares too many bindings or constants");
    }
  }
  return OkStatus();
}

StringView Executable::export_name(uint32_t ordinal) const {
  if (ordinal >= export_count()) return StringView();
  const char* name = library_->exports.names[ordinal];
  uintptr_t end = uintptr_t(module_.image()) + module_.image_size();
  return StringView(name, StringView::BoundedLength(name, size_t(end - uintptr_t(name))));
}

Result<uint32_t> Executable::LookupFunction(StringView name) const {
  for (uint32_t i = 0; i < export_count(); ++i) {
    if (export_name(i) == name) return i;
  }
  return NotFound("hal.executable: no export with that name");
}

abi::DispatchAttrs Executable::attrs(uint32_t ordinal) const {
  abi::DispatchAttrs result = {};
  if (library_->exports.attrs != nullptr && ordinal < export_count()) {
    result = library_->exports.attrs[ordinal];
  }
  if (result.workgroup_size_x == 0) result.workgroup_size_x = 1;
  if (result.workgroup_size_y == 0) result.workgroup_size_y = 1;
  if (result.workgroup_size_z == 0) result.workgroup_size_z = 1;
  return result;
}

Status Executable::Dispatch(uint32_t ordinal, const DispatchParams& params, Arena& scratch,
                            elf::ErrorText& error) const {
  if (ordinal >= export_count()) return OutOfRange("hal.executable: function id out of range");
  // Read in place: the attribute record is 64 bytes, of which a dispatch needs a few.
  const abi::DispatchAttrs* attributes =
      library_->exports.attrs != nullptr ? &library_->exports.attrs[ordinal] : nullptr;
  const bool has_attrs = attributes != nullptr;
  struct {
    uint32_t binding_count = 0, constant_count = 0, local_memory_pages = 0;
    uint32_t workgroup_size_x = 1, workgroup_size_y = 1, workgroup_size_z = 1;
  } a;
  if (has_attrs) {
    a.binding_count = attributes->binding_count;
    a.constant_count = attributes->constant_count;
    a.local_memory_pages = attributes->local_memory_pages;
    if (attributes->workgroup_size_x != 0) a.workgroup_size_x = attributes->workgroup_size_x;
    if (attributes->workgroup_size_y != 0) a.workgroup_size_y = attributes->workgroup_size_y;
    if (attributes->workgroup_size_z != 0) a.workgroup_size_z = attributes->workgroup_size_z;
  }
  if (params.binding_ptrs.size() != params.binding_lengths.size() ||
      params.binding_ptrs.size() > abi::kMaxBindings ||
      params.constants.size() > abi::kMaxConstants) {
    return InvalidArgument("hal.executable: too many bindings or constants");
  }
  if (has_attrs && (params.binding_ptrs.size() != a.binding_count ||
                    params.constants.size() != a.constant_count)) {
    return {StatusCode::kInvalidArgument,
            error.Set("hal.executable: '%.*s' takes %u bindings and %u constants, got %zu and %zu",
                      int(export_name(ordinal).size()), export_name(ordinal).data(),
                      unsigned(a.binding_count), unsigned(a.constant_count),
                      params.binding_ptrs.size(), params.constants.size())};
  }
  if (params.workgroup_count[2] > 0xFFFF) {
    return InvalidArgument("hal.executable: workgroup count z exceeds 65535");
  }

  abi::DispatchState state = {};
  state.workgroup_size_x = a.workgroup_size_x;
  state.workgroup_size_y = a.workgroup_size_y;
  state.workgroup_size_z = uint16_t(a.workgroup_size_z);
  state.constant_count = uint16_t(params.constants.size());
  state.workgroup_count_x = params.workgroup_count[0];
  state.workgroup_count_y = params.workgroup_count[1];
  state.workgroup_count_z = uint16_t(params.workgroup_count[2]);
  state.max_concurrency = 1;
  state.binding_count = uint8_t(params.binding_ptrs.size());
  state.constants = params.constants.data();
  state.binding_ptrs = params.binding_ptrs.data();
  state.binding_lengths = params.binding_lengths.data();

  abi::WorkgroupState workgroup = {};
  size_t local_memory_size = size_t(a.local_memory_pages) * abi::kLocalMemoryPageSize;
  if (local_memory_size > 0) {
    workgroup.local_memory = scratch.Allocate(local_memory_size, 64);
    if (workgroup.local_memory == nullptr) {
      return ResourceExhausted("hal.executable: no room for workgroup local memory");
    }
    workgroup.local_memory_size = uint32_t(local_memory_size);
  }
  abi::DispatchFunction function = library_->exports.ptrs[ordinal];
  Status status = OkStatus();
  elf::KernelCounter* counter = kernel_counter_ != nullptr && kernel_counter_->read != nullptr
                                    ? kernel_counter_ : nullptr;
  uint64_t counter_start = counter != nullptr ? counter->read() : 0;
  for (uint32_t z = 0; z < state.workgroup_count_z && status.ok(); ++z) {
    workgroup.workgroup_id_z = uint16_t(z);
    for (uint32_t y = 0; y < state.workgroup_count_y && status.ok(); ++y) {
      workgroup.workgroup_id_y = y;
      for (uint32_t x = 0; x < state.workgroup_count_x; ++x) {
        workgroup.workgroup_id_x = x;
        int result = function(&environment_, &state, &workgroup);
        if (result != 0) {
          status = Status(StatusCode::kAborted,
                          error.Set("hal.executable: '%.*s' workgroup (%u,%u,%u) failed: %d",
                                    int(export_name(ordinal).size()), export_name(ordinal).data(),
                                    unsigned(x), unsigned(y), unsigned(z), result));
          break;
        }
      }
    }
  }
  if (counter != nullptr) {
    counter->counted += counter->read() - counter_start;
    counter->dispatches += 1;
    counter->workgroups += uint64_t(state.workgroup_count_x) * state.workgroup_count_y *
                           state.workgroup_count_z;
  }
  if (workgroup.local_memory != nullptr) scratch.Free(workgroup.local_memory);
  return status;
}

}  // namespace bmrt::hal
