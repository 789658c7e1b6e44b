#include "runtime/vmfb/module.h"

#include "runtime/base/byte_reader.h"
#include "runtime/base/utility.h"
#include "runtime/vmfb/archive.h"
#include "runtime/vmfb/flatbuffer.h"
#include "runtime/vmfb/op_table.h"

namespace bmrt::vmfb {

namespace {

// Field ids of the bytecode_module_def schema (vtable entry = 4 + 2 * id).
namespace module_def {
constexpr int kName = 0, kVersion = 1, kRequirements = 2, kTypes = 4, kDependencies = 5,
              kImports = 6, kExports = 7, kSignatures = 8, kRodata = 9, kModuleState = 11,
              kDescriptors = 12, kBytecodeVersion = 13, kBytecodeData = 14;
}
constexpr int kTypeFullName = 0;
constexpr int kSignatureCconv = 0, kSignatureAttrs = 1;
constexpr int kAttrKey = 0, kAttrValue = 1;
constexpr int kDependencyName = 0, kDependencyMinimumVersion = 1, kDependencyFlags = 2;
constexpr int kImportFullName = 0, kImportSignature = 1, kImportFlags = 2;
constexpr int kExportLocalName = 0, kExportInternalOrdinal = 1;
constexpr int kRodataCompressionType = 0, kRodataEmbedded = 2, kRodataExternalOffset = 3,
              kRodataExternalLength = 4;
constexpr int kStateGlobalBytes = 0, kStateGlobalRefs = 1;

constexpr uint32_t kFlagRequired = 1, kFlagOptional = 2;
constexpr uint32_t kDescriptorSize = 20;
constexpr uint8_t kCompressionNone = 0, kCompressionUncompressed = 1;
constexpr uint16_t kMaxI32Registers = 0x7FFF;
constexpr uint16_t kMaxRefRegisters = 0x3FFF;

ValueType ValueTypeFromName(StringView name) {
  struct Entry {
    const char* name;
    ValueType type;
  };
  static constexpr Entry kValueTypes[] = {
      {"i8", ValueType::kI8},   {"i16", ValueType::kI16}, {"i32", ValueType::kI32},
      {"i64", ValueType::kI64}, {"f32", ValueType::kF32}, {"f64", ValueType::kF64},
      {"!vm.opaque", ValueType::kOpaque},
  };
  for (const Entry& entry : kValueTypes) {
    if (name == StringView(entry.name)) return entry.type;
  }
  return ValueType::kRef;
}

template <typename T>
T* ConstructArray(uint8_t* memory, size_t count) {
  T* array = reinterpret_cast<T*>(memory);
  for (size_t i = 0; i < count; ++i) new (&array[i]) T();
  return array;
}

bool IsCconvType(char c) {
  return c == 'i' || c == 'I' || c == 'f' || c == 'F' || c == 'r';
}

// Checks one side of a cconv: value characters and C...D tuples, not nested, not empty.
bool ValidCconvPart(StringView part, bool allow_variadic) {
  bool in_tuple = false;
  size_t tuple_length = 0;
  for (size_t i = 0; i < part.size(); ++i) {
    char c = part[i];
    if (c == 'C') {
      if (!allow_variadic || in_tuple) return false;
      in_tuple = true;
      tuple_length = 0;
    } else if (c == 'D') {
      if (!in_tuple || tuple_length == 0) return false;
      in_tuple = false;
    } else if (IsCconvType(c)) {
      ++tuple_length;
    } else {
      return false;
    }
  }
  return !in_tuple;
}

}  // namespace

bool ParseCconv(StringView text, Cconv* out) {
  if (text.empty() || text[0] != '0') return false;
  StringView body = text.substr(1);
  size_t split = 0;
  while (split < body.size() && body[split] != '_') ++split;
  StringView arguments = body.substr(0, split);
  StringView results = split < body.size() ? body.substr(split + 1) : StringView();
  if (arguments == StringView("v")) arguments = StringView();
  if (results == StringView("v")) results = StringView();
  if (!ValidCconvPart(arguments, true) || !ValidCconvPart(results, false)) return false;
  out->text = text;
  out->arguments = arguments;
  out->results = results;
  return true;
}

StringView ImportInfo::module_name() const {
  size_t dot = 0;
  while (dot < full_name.size() && full_name[dot] != '.') ++dot;
  return full_name.substr(0, dot);
}

StringView ImportInfo::local_name() const {
  size_t dot = module_name().size();
  return dot < full_name.size() ? full_name.substr(dot + 1) : StringView();
}

const ExportInfo* Module::FindExport(StringView name) const {
  for (const ExportInfo& entry : exports_) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

StringView Module::FunctionAttr(uint32_t function_ordinal, StringView key) const {
  FbVector signatures, attrs;
  FbTable signature, attr;
  if (function_ordinal >= functions_.size() ||
      !FbVectorAt(flatbuffer_, signatures_vector_, 4, &signatures) ||
      !signatures.TableAt(function_ordinal, &signature) ||
      !signature.Vector(kSignatureAttrs, 4, &attrs)) {
    return StringView();
  }
  for (uint32_t i = 0; i < attrs.size(); ++i) {
    StringView attr_key, value;
    if (attrs.TableAt(i, &attr) && attr.String(kAttrKey, &attr_key) && attr_key == key &&
        attr.String(kAttrValue, &value)) {
      return value;
    }
  }
  return StringView();
}

// Builds a Module from a parsed archive; every failure formats `message`.
class ModuleBuilder {
 public:
  ModuleBuilder(const Archive& archive, ErrorMessage& message)
      : archive_(archive), message_(message) {}

  Result<Module*> Build(Arena& arena);

 private:
  Status Fail(const char* text) { return DataLoss(message_.Set("%s", text)); }
  Status ReadHeader();
  Status ReadTypes();
  Status ReadDependencies();
  Status ReadImports();
  Status ReadExports();
  Status ReadFunctions();
  Status ReadRodata();
  Status Allocate(Arena& arena);

  const Archive& archive_;
  ErrorMessage& message_;
  FbTable root_;
  FbVector types_, dependencies_, imports_, exports_, signatures_, descriptors_, rodata_;
  Module* module_ = nullptr;
  TypeInfo* type_array_ = nullptr;
  Dependency* dependency_array_ = nullptr;
  ImportInfo* import_array_ = nullptr;
  ExportInfo* export_array_ = nullptr;
  FunctionInfo* function_array_ = nullptr;
  ByteSpan* rodata_array_ = nullptr;
};

Status ModuleBuilder::ReadHeader() {
  if (!FbTable::Root(archive_.flatbuffer, &root_)) return Fail("malformed FlatBuffer root table");
  StringView name;
  uint32_t version = 0, requirements = 0, bytecode_version = 0;
  if (!root_.String(module_def::kName, &name) || !root_.U32(module_def::kVersion, 0, &version) ||
      !root_.U32(module_def::kRequirements, 0, &requirements) ||
      !root_.U32(module_def::kBytecodeVersion, 0, &bytecode_version)) {
    return Fail("malformed module header fields");
  }
  if (name.empty()) return Fail("module has no name");
  uint32_t major = bytecode_version >> 16, minor = bytecode_version & 0xFFFF;
  if (major != kBytecodeVersionMajor || minor > kBytecodeVersionMinor) {
    return Unimplemented(message_.Set("bytecode version %u.%u not supported (runtime: %u.%u)",
                                      major, minor, kBytecodeVersionMajor,
                                      kBytecodeVersionMinor));
  }
  if (requirements & ~kSupportedFeatures) {
    return Unimplemented(message_.Set("module requires features 0x%x; supported 0x%x",
                                      requirements, kSupportedFeatures));
  }
  if (!root_.Vector(module_def::kTypes, 4, &types_) ||
      !root_.Vector(module_def::kDependencies, 4, &dependencies_) ||
      !root_.Vector(module_def::kImports, 4, &imports_) ||
      !root_.Vector(module_def::kExports, 4, &exports_) ||
      !root_.Vector(module_def::kSignatures, 4, &signatures_) ||
      !root_.Vector(module_def::kDescriptors, kDescriptorSize, &descriptors_) ||
      !root_.Vector(module_def::kRodata, 4, &rodata_)) {
    return Fail("malformed module table vectors");
  }
  if (signatures_.size() != descriptors_.size()) {
    return DataLoss(message_.Set("%u function signatures but %u function descriptors",
                                 signatures_.size(), descriptors_.size()));
  }
  FbVector bytecode;
  FbTable state;
  int32_t global_bytes = 0, global_refs = 0;
  if (!root_.Vector(module_def::kBytecodeData, 1, &bytecode) ||
      !root_.Table(module_def::kModuleState, &state) ||
      !state.I32(kStateGlobalBytes, 0, &global_bytes) ||
      !state.I32(kStateGlobalRefs, 0, &global_refs)) {
    return Fail("malformed bytecode data or module state");
  }
  if (global_bytes < 0 || global_refs < 0) return Fail("negative module state size");
  module_->name_ = name;
  module_->version_ = version;
  module_->requirements_ = requirements;
  module_->bytecode_version_ = bytecode_version;
  module_->bytecode_data_ = bytecode.bytes();
  module_->global_bytes_capacity_ = uint32_t(global_bytes);
  module_->global_ref_count_ = uint32_t(global_refs);
  module_->archive_ = archive_.bytes;
  module_->flatbuffer_ = archive_.flatbuffer;
  // Remember where the signature vector sits for lazy attribute lookups.
  module_->signatures_vector_ = signatures_.header_position();
  return OkStatus();
}

Status ModuleBuilder::ReadTypes() {
  for (uint32_t i = 0; i < types_.size(); ++i) {
    FbTable type;
    StringView name;
    if (!types_.TableAt(i, &type) || !type.String(kTypeFullName, &name)) {
      return DataLoss(message_.Set("type %u: malformed entry", i));
    }
    if (name.empty()) return DataLoss(message_.Set("type %u has no name", i));
    TypeInfo& info = type_array_[i];
    info.name = name;
    info.value_type = ValueTypeFromName(name);
    info.ref_type = info.value_type == ValueType::kRef ? vm::RefTypeFromName(name)
                                                       : vm::RefType::kNull;
  }
  return OkStatus();
}

Status ModuleBuilder::ReadDependencies() {
  for (uint32_t i = 0; i < dependencies_.size(); ++i) {
    FbTable entry;
    Dependency& dependency = dependency_array_[i];
    uint32_t flags = 0;
    if (!dependencies_.TableAt(i, &entry) ||
        !entry.String(kDependencyName, &dependency.name) ||
        !entry.U32(kDependencyMinimumVersion, 0, &dependency.minimum_version) ||
        !entry.U32(kDependencyFlags, kFlagRequired, &flags)) {
      return DataLoss(message_.Set("dependency %u: malformed entry", i));
    }
    if (dependency.name.empty()) return DataLoss(message_.Set("dependency %u has no name", i));
    dependency.optional = (flags & kFlagOptional) != 0;
  }
  return OkStatus();
}

Status ModuleBuilder::ReadImports() {
  for (uint32_t i = 0; i < imports_.size(); ++i) {
    FbTable entry, signature;
    ImportInfo& import = import_array_[i];
    StringView cconv;
    uint32_t flags = 0;
    if (!imports_.TableAt(i, &entry) || !entry.String(kImportFullName, &import.full_name) ||
        !entry.Table(kImportSignature, &signature) ||
        !signature.String(kSignatureCconv, &cconv) ||
        !entry.U32(kImportFlags, kFlagRequired, &flags)) {
      return DataLoss(message_.Set("import %u: malformed entry", i));
    }
    if (import.full_name.empty()) return DataLoss(message_.Set("import %u has no name", i));
    if (!ParseCconv(cconv, &import.cconv)) {
      return DataLoss(message_.Set("import %u (%.*s): bad calling convention '%.*s'", i,
                                   int(import.full_name.size()), import.full_name.data(),
                                   int(cconv.size()), cconv.data()));
    }
    import.optional = (flags & kFlagOptional) != 0;
  }
  return OkStatus();
}

Status ModuleBuilder::ReadExports() {
  for (uint32_t i = 0; i < exports_.size(); ++i) {
    FbTable entry;
    ExportInfo& info = export_array_[i];
    int32_t ordinal = 0;
    if (!exports_.TableAt(i, &entry) || !entry.String(kExportLocalName, &info.name) ||
        !entry.I32(kExportInternalOrdinal, 0, &ordinal)) {
      return DataLoss(message_.Set("export %u: malformed entry", i));
    }
    if (info.name.empty()) return DataLoss(message_.Set("export %u has no name", i));
    if (ordinal < 0 || uint32_t(ordinal) >= descriptors_.size()) {
      return DataLoss(message_.Set("export %u (%.*s): function ordinal %d out of range (%u)", i,
                                   int(info.name.size()), info.name.data(), ordinal,
                                   descriptors_.size()));
    }
    info.function_ordinal = uint32_t(ordinal);
  }
  return OkStatus();
}

Status ModuleBuilder::ReadFunctions() {
  ByteSpan descriptors = descriptors_.bytes();
  ByteSpan bytecode = module_->bytecode_data_;
  for (uint32_t i = 0; i < descriptors_.size(); ++i) {
    const uint8_t* d = &descriptors[size_t(i) * kDescriptorSize];
    FunctionInfo& function = function_array_[i];
    int32_t offset = int32_t(LoadLe32(d)), length = int32_t(LoadLe32(d + 4));
    function.requirements = LoadLe32(d + 8);
    uint16_t reserved = LoadLe16(d + 12);
    function.block_count = LoadLe16(d + 14);
    function.i32_register_count = LoadLe16(d + 16);
    function.ref_register_count = LoadLe16(d + 18);
    function.name = StringView();
    const char* problem = nullptr;
    if (offset < 0 || length <= 0 ||
        !RangeFits(uint32_t(offset), uint32_t(length), bytecode.size())) {
      problem = "bytecode range outside bytecode_data";
    } else if (reserved != 0) {
      problem = "reserved descriptor field is not zero";
    } else if (function.block_count == 0) {
      problem = "no blocks";
    } else if (function.i32_register_count > kMaxI32Registers) {
      problem = "too many i32 registers";
    } else if (function.ref_register_count > kMaxRefRegisters) {
      problem = "too many ref registers";
    } else if (function.requirements & ~kSupportedFeatures) {
      problem = "requires unsupported features";
    }
    if (problem) return DataLoss(message_.Set("function %u: %s", i, problem));
    function.bytecode_offset = uint32_t(offset);
    function.bytecode = bytecode.subspan(uint32_t(offset), uint32_t(length));

    FbTable signature;
    StringView cconv;
    if (!signatures_.TableAt(i, &signature) || !signature.String(kSignatureCconv, &cconv)) {
      return DataLoss(message_.Set("function %u: malformed signature", i));
    }
    if (!ParseCconv(cconv, &function.cconv)) {
      return DataLoss(message_.Set("function %u: bad calling convention '%.*s'", i,
                                   int(cconv.size()), cconv.data()));
    }
  }
  // Name each function after its first export, for diagnostics and lookups.
  for (uint32_t i = exports_.size(); i-- > 0;) {
    function_array_[export_array_[i].function_ordinal].name = export_array_[i].name;
  }
  return OkStatus();
}

Status ModuleBuilder::ReadRodata() {
  for (uint32_t i = 0; i < rodata_.size(); ++i) {
    FbTable segment;
    uint8_t compression = 0;
    FbVector embedded;
    uint64_t offset = 0, length = 0;
    if (!rodata_.TableAt(i, &segment) ||
        !segment.U8(kRodataCompressionType, kCompressionNone, &compression) ||
        !segment.Vector(kRodataEmbedded, 1, &embedded) ||
        !segment.U64(kRodataExternalOffset, 0, &offset) ||
        !segment.U64(kRodataExternalLength, 0, &length)) {
      return DataLoss(message_.Set("rodata %u: malformed entry", i));
    }
    if (compression != kCompressionNone && compression != kCompressionUncompressed) {
      return Unimplemented(message_.Set("rodata %u: unsupported compression %u", i, compression));
    }
    if (segment.Has(kRodataEmbedded)) {
      rodata_array_[i] = embedded.bytes();
    } else if (!ExternalSegment(archive_, offset, length, &rodata_array_[i])) {
      return DataLoss(message_.Set("rodata %u: external range 0x%llx+0x%llx outside the archive",
                                   i, (unsigned long long)offset, (unsigned long long)length));
    }
  }
  return OkStatus();
}

Status ModuleBuilder::Allocate(Arena& arena) {
  // One block: the Module, then each table, each 8-byte aligned.
  size_t sizes[] = {
      sizeof(Module),
      size_t(types_.size()) * sizeof(TypeInfo),
      size_t(dependencies_.size()) * sizeof(Dependency),
      size_t(imports_.size()) * sizeof(ImportInfo),
      size_t(exports_.size()) * sizeof(ExportInfo),
      size_t(descriptors_.size()) * sizeof(FunctionInfo),
      size_t(rodata_.size()) * sizeof(ByteSpan),
  };
  size_t offsets[7] = {};
  size_t total = 0;
  for (size_t i = 0; i < 7; ++i) {
    offsets[i] = total;
    if (!CheckedAdd(total, AlignUp(sizes[i], 8), &total)) {
      return ResourceExhausted("module too large");
    }
  }
  uint8_t* block = static_cast<uint8_t*>(arena.Allocate(total));
  if (!block) {
    return ResourceExhausted(
        message_.Set("no arena memory for the module tables (%zu bytes)", total));
  }
  module_ = new (block) Module();
  type_array_ = ConstructArray<TypeInfo>(block + offsets[1], types_.size());
  dependency_array_ = ConstructArray<Dependency>(block + offsets[2], dependencies_.size());
  import_array_ = ConstructArray<ImportInfo>(block + offsets[3], imports_.size());
  export_array_ = ConstructArray<ExportInfo>(block + offsets[4], exports_.size());
  function_array_ = ConstructArray<FunctionInfo>(block + offsets[5], descriptors_.size());
  rodata_array_ = ConstructArray<ByteSpan>(block + offsets[6], rodata_.size());
  module_->types_ = Span<const TypeInfo>(type_array_, types_.size());
  module_->dependencies_ = Span<const Dependency>(dependency_array_, dependencies_.size());
  module_->imports_ = Span<const ImportInfo>(import_array_, imports_.size());
  module_->exports_ = Span<const ExportInfo>(export_array_, exports_.size());
  module_->functions_ = Span<const FunctionInfo>(function_array_, descriptors_.size());
  module_->rodata_ = Span<const ByteSpan>(rodata_array_, rodata_.size());
  return OkStatus();
}

Result<Module*> ModuleBuilder::Build(Arena& arena) {
  // The header pass sizes the tables; it runs into a scratch module first so that nothing is
  // allocated for a module that fails early, then again into the allocated one (cheap).
  Module scratch;
  module_ = &scratch;
  BMRT_RETURN_IF_ERROR(ReadHeader());
  BMRT_RETURN_IF_ERROR(Allocate(arena));
  Status status = ReadHeader();
  if (status.ok()) status = ReadTypes();
  if (status.ok()) status = ReadDependencies();
  if (status.ok()) status = ReadImports();
  if (status.ok()) status = ReadExports();
  if (status.ok()) status = ReadFunctions();
  if (status.ok()) status = ReadRodata();
  if (!status.ok()) {
    FreeModule(arena, module_);
    return status;
  }
  return module_;
}

Result<Module*> LoadModule(ByteSpan archive, Arena& arena, ErrorMessage& message) {
  Archive parsed;
  Status status = ParseArchive(archive, &parsed);
  if (!status.ok()) return Status(status.code(), message.Set("%s", status.message()));
  ModuleBuilder builder(parsed, message);
  return builder.Build(arena);
}

void FreeModule(Arena& arena, Module* module) {
  // Every member is trivially destructible; the tables share the module's block.
  arena.Free(module);
}

}  // namespace bmrt::vmfb
