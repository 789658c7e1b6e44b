// Test-only: a synthetic bytecode module described field by field and written with the schema's
// field ids, so tests can vary one thing (a register, a target, a version) at a time.
#pragma once

#include "runtime/vmfb/test_module_writer.h"

namespace bmrt::vmfb::testing {

struct FunctionSpec {
  std::string cconv = "0v_v";
  std::vector<uint8_t> code;
  uint16_t blocks = 1;
  uint16_t i32_registers = 0;
  uint16_t ref_registers = 0;
  uint32_t requirements = 0;
  int32_t offset_override = -1;  // descriptor bytecode_offset when >= 0
  int32_t length_override = -1;
};

struct ImportSpec {
  std::string name;
  std::string cconv;
  uint32_t flags = 1;
};

struct ModuleSpec {
  std::string name = "test";
  uint32_t bytecode_version = 17u << 16;
  uint32_t requirements = 0;
  std::vector<std::string> types = {"i32"};
  std::vector<ImportSpec> imports;
  std::vector<std::pair<std::string, int32_t>> exports = {{"main", 0}};
  std::vector<FunctionSpec> functions;
  std::vector<std::vector<uint8_t>> embedded_rodata;
  std::vector<std::pair<uint64_t, uint64_t>> external_rodata;  // offset, length
  std::vector<uint8_t> external_bytes;
  int32_t global_bytes = 0;
  int32_t global_refs = 0;
  bool drop_signature = false;  // one signature fewer than descriptors
};

inline std::vector<uint8_t> BuildModule(const ModuleSpec& spec) {
  std::vector<FbNodePtr> types, imports, exports, signatures, rodata;
  for (const auto& type : spec.types) types.push_back(Table({Child(0, String(type))}));
  for (const auto& import : spec.imports) {
    imports.push_back(Table({Child(0, String(import.name)),
                             Child(1, Table({Child(0, String(import.cconv))})),
                             U32(2, import.flags)}));
  }
  for (const auto& [name, ordinal] : spec.exports) {
    exports.push_back(Table({Child(0, String(name)), U32(1, uint32_t(ordinal))}));
  }
  std::vector<uint8_t> bytecode, descriptors;
  for (size_t i = 0; i < spec.functions.size(); ++i) {
    const FunctionSpec& function = spec.functions[i];
    while (bytecode.size() % 8) bytecode.push_back(0);
    int32_t offset = function.offset_override >= 0 ? function.offset_override : int32_t(bytecode.size());
    int32_t length = function.length_override >= 0 ? function.length_override : int32_t(function.code.size());
    bytecode.insert(bytecode.end(), function.code.begin(), function.code.end());
    for (auto part : {Le(uint32_t(offset), 4), Le(uint32_t(length), 4), Le(function.requirements, 4),
                      Le(0, 2), Le(function.blocks, 2), Le(function.i32_registers, 2),
                      Le(function.ref_registers, 2)}) {
      descriptors.insert(descriptors.end(), part.begin(), part.end());
    }
    if (!(spec.drop_signature && i + 1 == spec.functions.size())) {
      signatures.push_back(Table({Child(0, String(function.cconv))}));
    }
  }
  for (const auto& data : spec.embedded_rodata) rodata.push_back(Table({Child(2, Bytes(data))}));
  for (const auto& [offset, length] : spec.external_rodata) {
    rodata.push_back(Table({U64(3, offset), U64(4, length)}));
  }
  std::vector<FbField> root = {
      Child(0, String(spec.name)),
      U32(2, spec.requirements),
      Child(4, Offsets(types)),
      Child(6, Offsets(imports)),
      Child(7, Offsets(exports)),
      Child(8, Offsets(signatures)),
      Child(9, Offsets(rodata)),
      Child(11, Table({U32(0, uint32_t(spec.global_bytes)), U32(1, uint32_t(spec.global_refs))})),
      Child(12, Bytes(descriptors, 20)),
      U32(13, spec.bytecode_version),
      Child(14, Bytes(bytecode)),
  };
  if (!spec.imports.empty()) {
    root.push_back(Child(5, Offsets({Table({Child(0, String("native")), U32(1, 0), U32(2, 1)})})));
  }
  return BareArchive(FbWriter().Finish(Table(root)), spec.external_bytes);
}

// A module with one exported function "main".
inline ModuleSpec OneFunction(std::string cconv, std::vector<uint8_t> code,
                              uint16_t i32_registers = 4, uint16_t ref_registers = 0,
                              uint16_t blocks = 1) {
  ModuleSpec spec;
  FunctionSpec function;
  function.cconv = std::move(cconv);
  function.code = std::move(code);
  function.i32_registers = i32_registers;
  function.ref_registers = ref_registers;
  function.blocks = blocks;
  spec.functions.push_back(function);
  return spec;
}

}  // namespace bmrt::vmfb::testing
