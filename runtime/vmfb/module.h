// The loaded form of an IREE bytecode module (.vmfb). Loading parses the archive wrapper and the
// FlatBuffer, checks every table, string and range, and builds flat arrays in arena memory for
// fast per-call access. Nothing is copied out of the archive: names, rodata and bytecode are
// views into the caller's bytes, which must stay resident (and unchanged) while the module lives.
//
// Loading performs the module-level checks (structure, names, ordinals, descriptor ranges,
// register limits, versions, requirements). The per-instruction bytecode pass lives in
// verifier.h; LoadVerifiedModule() there does both and is what a runtime should call.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/format.h"
#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/base/string_view.h"
#include "runtime/vm/ref.h"

namespace bmrt::vmfb {

// Diagnostics naming what failed and where, e.g.
// "function 3 (main) pc 0x2a: register r70 out of range (64 i32 registers)".
using ErrorMessage = MessageBuffer<200>;

// FeatureBits of a module or function (`requirements`).
enum Feature : uint32_t {
  kFeatureExtF32 = 1u << 0,
  kFeatureExtF64 = 1u << 1,
  kFeatureYield = 1u << 2,
  kFeatureUnwind = 1u << 3,
};

// How a type-table entry is held in registers.
enum class ValueType : uint8_t {
  kI8,
  kI16,
  kI32,
  kI64,
  kF32,
  kF64,
  kOpaque,  // !vm.opaque
  kRef,     // any "!..." reference type; ref_type says which (kNull when unknown to us)
};

struct TypeInfo {
  StringView name;  // as in the module: "i32", "!vm.list<i32>", "!hal.buffer_view"
  ValueType value_type;
  vm::RefType ref_type;  // vm::RefType::kNull unless value_type == kRef and the name is known
};

// A calling-convention string split into its parts. "0rIi_r" -> arguments "rIi", results "r".
// A 'v' part (void) becomes empty. Characters: i (i32) I (i64) f (f32) F (f64) r (ref),
// C...D a variadic list of tuples.
struct Cconv {
  StringView text;       // the full string
  StringView arguments;  // without the leading '0'
  StringView results;
};

struct Dependency {
  StringView name;  // "hal"
  uint32_t minimum_version;
  bool optional;
};

struct ImportInfo {
  StringView full_name;  // "hal.buffer_view.create"
  Cconv cconv;
  bool optional;
  // The part before the first '.' ("hal") and the rest ("buffer_view.create").
  StringView module_name() const;
  StringView local_name() const;
};

struct ExportInfo {
  StringView name;            // "main", "__init"
  uint32_t function_ordinal;  // index into Module::functions()
};

// One internal function: its descriptor, signature and bytecode.
struct FunctionInfo {
  ByteSpan bytecode;            // bytecode_data[offset, offset + length); never empty
  uint32_t bytecode_offset;     // within Module::bytecode_data()
  uint32_t requirements;        // FeatureBits
  uint16_t block_count;
  uint16_t i32_register_count;  // registers in the i32 bank (i64/f64 use pairs)
  uint16_t ref_register_count;
  Cconv cconv;
  StringView name;  // the first export naming this function, or empty when not exported
};

class Module {
 public:
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  StringView name() const { return name_; }
  uint32_t version() const { return version_; }                 // the module's own version
  uint32_t bytecode_version() const { return bytecode_version_; }  // (major << 16) | minor
  uint32_t requirements() const { return requirements_; }      // FeatureBits

  Span<const TypeInfo> types() const { return types_; }
  Span<const Dependency> dependencies() const { return dependencies_; }
  Span<const ImportInfo> imports() const { return imports_; }
  Span<const ExportInfo> exports() const { return exports_; }
  Span<const FunctionInfo> functions() const { return functions_; }
  // Rodata segment contents, embedded or external, by rodata ordinal.
  Span<const ByteSpan> rodata() const { return rodata_; }

  // Module state: bytes of primitive globals and the number of ref globals.
  uint32_t global_bytes_capacity() const { return global_bytes_capacity_; }
  uint32_t global_ref_count() const { return global_ref_count_; }

  ByteSpan bytecode_data() const { return bytecode_data_; }
  ByteSpan archive() const { return archive_; }        // the whole input
  ByteSpan flatbuffer() const { return flatbuffer_; }  // after the size prefix

  // The export with this name, or null.
  const ExportInfo* FindExport(StringView name) const;
  // The value of a reflection attribute of function `function_ordinal`'s signature (e.g.
  // "iree.abi.declaration"); empty when absent.
  StringView FunctionAttr(uint32_t function_ordinal, StringView key) const;

 private:
  friend class ModuleBuilder;
  Module() = default;

  StringView name_;
  uint32_t version_ = 0;
  uint32_t bytecode_version_ = 0;
  uint32_t requirements_ = 0;
  Span<const TypeInfo> types_;
  Span<const Dependency> dependencies_;
  Span<const ImportInfo> imports_;
  Span<const ExportInfo> exports_;
  Span<const FunctionInfo> functions_;
  Span<const ByteSpan> rodata_;
  uint32_t global_bytes_capacity_ = 0;
  uint32_t global_ref_count_ = 0;
  ByteSpan bytecode_data_;
  ByteSpan archive_;
  ByteSpan flatbuffer_;
  uint32_t signatures_vector_ = 0;  // FlatBuffer offset of function_signatures (for attrs)
};

// Parses `archive` (polyglot ZIP or bare size-prefixed FlatBuffer) and runs the module-level
// checks. The module and its tables live in one allocation from `arena`; release it with
// FreeModule. On failure returns an error whose message is `message.text`.
Result<Module*> LoadModule(ByteSpan archive, Arena& arena, ErrorMessage& message);
void FreeModule(Arena& arena, Module* module);

// Splits and checks a cconv string ("0" then arguments or 'v', '_', results or 'v').
bool ParseCconv(StringView text, Cconv* out);

}  // namespace bmrt::vmfb
