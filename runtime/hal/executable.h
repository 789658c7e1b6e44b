// hal.executable: an embedded-ELF executable library loaded into code memory, queried through
// the library ABI (version 6) and dispatched workgroup by workgroup on the calling thread.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/base/string_view.h"
#include "runtime/elf/elf_module.h"
#include "runtime/hal/executable_library.h"
#include "runtime/vm/ref.h"

namespace bmrt::hal {

struct DispatchParams {
  uint32_t workgroup_count[3] = {1, 1, 1};
  Span<const uint32_t> constants;
  Span<void* const> binding_ptrs;
  Span<const size_t> binding_lengths;
};

class Executable : public vm::RefObject {
 public:
  static constexpr vm::RefType kRefType = vm::RefType::kHalExecutable;

  // The executable format this build can run ("embedded-elf-x86_64" on the host,
  // "embedded-elf-riscv_32" on the board); empty when none.
  static StringView NativeFormat();

  // Loads `library` (an ELF image; copied into code memory) whose executable-level constants
  // are `constants` (u32 values, copied). Errors name the problem in `error`.
  static Result<Executable*> Create(Arena& arena, const elf::CodeMemory& code, StringView format,
                                    ByteSpan library, ByteSpan constants, elf::ErrorText& error);

  uint32_t export_count() const { return library_->exports.count; }
  StringView export_name(uint32_t ordinal) const;
  // Ordinal of the export called `name`.
  Result<uint32_t> LookupFunction(StringView name) const;
  // The export's attributes (defaults when the library has no attribute table).
  abi::DispatchAttrs attrs(uint32_t ordinal) const;

  // Runs every workgroup of export `ordinal`. Local memory, if the export needs any, is taken
  // from `scratch` for the duration of the call.
  Status Dispatch(uint32_t ordinal, const DispatchParams& params, Arena& scratch,
                  elf::ErrorText& error) const;

 private:
  Executable(Arena& arena) : RefObject(kRefType, &Destroy), arena_(&arena) {}
  ~Executable() = default;
  static void Destroy(vm::RefObject* object);
  Status Initialize(const elf::CodeMemory& code, ByteSpan library, ByteSpan constants,
                    elf::ErrorText& error);
  Status CheckExports(elf::ErrorText& error) const;
  void ReportLoad(const elf::LoadObserver& observer) const;

  Arena* arena_;
  elf::ElfModule module_;
  uint32_t* constants_ = nullptr;
  abi::Environment environment_ = {};
  const abi::LibraryV0* library_ = nullptr;
  elf::KernelCounter* kernel_counter_ = nullptr;
};

}  // namespace bmrt::hal
