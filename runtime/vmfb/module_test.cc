// Modules compiled by the pinned iree-compile from tests/vm/modules/*.mlir (the ctest fixture
// vmfb_compile_modules writes them to $BMRT_VM_MODULES): they load and verify in place, and
// every truncation or corruption of them fails cleanly.
#include "runtime/vmfb/module.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "runtime/vmfb/archive.h"
#include "runtime/vmfb/verifier.h"

namespace bmrt::vmfb {
namespace {

std::filesystem::path ModulesDir() {
  const char* dir = getenv("BMRT_VM_MODULES");
  return dir ? std::filesystem::path(dir) : std::filesystem::path();
}

std::vector<uint8_t> ReadModule(const std::string& name) {
  std::ifstream file(ModulesDir() / (name + ".vmfb"), std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

#define REQUIRE_MODULE(bytes, name)                                              \
  std::vector<uint8_t> bytes = ReadModule(name);                                 \
  if (bytes.empty()) GTEST_SKIP() << name << ".vmfb not built (BMRT_VM_MODULES)"

class Loaded {
 public:
  explicit Loaded(const std::vector<uint8_t>& bytes) : region_(8 << 20) {
    arena_.Initialize(MutableByteSpan(region_.data(), region_.size()));
    auto module = LoadVerifiedModule(ByteSpan(bytes.data(), bytes.size()), arena_, message_);
    if (module.ok()) module_ = module.value();
    error_ = module.ok() ? "" : module.status().message();
  }
  ~Loaded() {
    if (module_) FreeModule(arena_, module_);
    EXPECT_EQ(arena_.stats().live_allocations, 0u);
  }
  const Module* operator->() const { return module_; }
  const Module* get() const { return module_; }
  const std::string& error() const { return error_; }

 private:
  std::vector<uint8_t> region_;
  Arena arena_;
  ErrorMessage message_;
  Module* module_ = nullptr;
  std::string error_;
};

bool Inside(ByteSpan part, const std::vector<uint8_t>& whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}
bool Inside(StringView part, const std::vector<uint8_t>& whole) {
  return Inside(ByteSpan(reinterpret_cast<const uint8_t*>(part.data()), part.size()), whole);
}

TEST(Module, EveryCompiledModuleLoadsAndVerifiesInPlace) {
  if (ModulesDir().empty()) GTEST_SKIP() << "BMRT_VM_MODULES not set";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(ModulesDir())) {
    if (entry.path().extension() != ".vmfb") continue;
    std::vector<uint8_t> bytes = ReadModule(entry.path().stem().string());
    Loaded module(bytes);
    ASSERT_TRUE(module.get()) << entry.path() << ": " << module.error();
    ++count;
    // Nothing was copied: every name, rodata segment and the bytecode view the input.
    EXPECT_TRUE(Inside(module->name(), bytes));
    EXPECT_TRUE(Inside(module->bytecode_data(), bytes));
    for (const auto& type : module->types()) EXPECT_TRUE(Inside(type.name, bytes));
    for (const auto& import : module->imports()) EXPECT_TRUE(Inside(import.full_name, bytes));
    for (const auto& segment : module->rodata()) EXPECT_TRUE(Inside(segment, bytes));
    for (const auto& function : module->functions()) {
      EXPECT_TRUE(Inside(function.bytecode, bytes));
      EXPECT_EQ(function.bytecode[0], 0x79) << "functions start with a block marker";
    }
  }
  EXPECT_GT(count, 0);
}

TEST(Module, ImportsAndExportsAsDeclared) {
  REQUIRE_MODULE(bytes, "imports");
  Loaded module(bytes);
  ASSERT_TRUE(module.get()) << module.error();
  EXPECT_TRUE(module->name() == StringView("imports"));
  ASSERT_EQ(module->imports().size(), 5u);
  const char* names[] = {"native.add", "native.sum", "native.pairs", "native.maybe", "native.wait"};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_TRUE(module->imports()[i].full_name == StringView(names[i])) << i;
    EXPECT_TRUE(module->imports()[i].module_name() == StringView("native"));
    EXPECT_EQ(module->imports()[i].optional, i == 3);
  }
  EXPECT_TRUE(module->imports()[1].local_name() == StringView("sum"));
  const ExportInfo* tuples = module->FindExport("tuples");
  ASSERT_NE(tuples, nullptr);
  EXPECT_TRUE(module->functions()[tuples->function_ordinal].name == StringView("tuples"));
  EXPECT_EQ(module->FindExport("missing"), nullptr);
  ASSERT_EQ(module->dependencies().size(), 1u);
  EXPECT_TRUE(module->dependencies()[0].name == StringView("native"));
}

TEST(Module, GlobalsAndTypes) {
  REQUIRE_MODULE(bytes, "globals");
  Loaded module(bytes);
  ASSERT_TRUE(module.get()) << module.error();
  // i32 + f32 + i64 + f64 globals, one ref global (see globals.mlir).
  EXPECT_GE(module->global_bytes_capacity(), 24u);
  EXPECT_EQ(module->global_ref_count(), 1u);
  EXPECT_NE(module->FindExport("__init"), nullptr);
  bool found_buffer = false;
  for (const auto& type : module->types()) {
    if (type.name == StringView("!vm.buffer")) {
      found_buffer = true;
      EXPECT_EQ(type.ref_type, vm::RefType::kBuffer);
      EXPECT_EQ(type.value_type, ValueType::kRef);
    }
    if (type.name == StringView("i64")) EXPECT_EQ(type.value_type, ValueType::kI64);
  }
  EXPECT_TRUE(found_buffer);
}

TEST(Module, HalProgramCarriesItsKernelAsExternalRodata) {
  REQUIRE_MODULE(bytes, "hal_elementwise");
  Loaded module(bytes);
  ASSERT_TRUE(module.get()) << module.error();
  bool found_elf = false;
  for (const auto& segment : module->rodata()) {
    if (segment.size() > 4 && memcmp(segment.data(), "\x7f" "ELF", 4) == 0) found_elf = true;
  }
  EXPECT_TRUE(found_elf);
  ASSERT_EQ(module->dependencies().size(), 1u);
  EXPECT_TRUE(module->dependencies()[0].name == StringView("hal"));
  const ExportInfo* entry = module->FindExport("add_mul");
  ASSERT_NE(entry, nullptr);
  StringView declaration = module->FunctionAttr(entry->function_ordinal, "iree.abi.declaration");
  EXPECT_NE(std::string(declaration.data(), declaration.size()).find("add_mul"), std::string::npos);
  EXPECT_TRUE(module->FunctionAttr(entry->function_ordinal, "no.such.attr").empty());
}

TEST(Module, BareFlatBufferFormLoadsTheSame) {
  REQUIRE_MODULE(zip, "hal_elementwise");
  Archive archive;
  ASSERT_TRUE(ParseArchive(ByteSpan(zip.data(), zip.size()), &archive).ok());
  ASSERT_TRUE(archive.zip);
  size_t header = size_t(archive.flatbuffer.data() - zip.data()) - 4;
  ASSERT_EQ(header % 64, 0u) << "the writer aligns the ZIP payload to 64 bytes";
  std::vector<uint8_t> bare(zip.begin() + header, zip.end());
  Loaded from_zip(zip), from_bare(bare);
  ASSERT_TRUE(from_zip.get() && from_bare.get()) << from_bare.error();
  ASSERT_EQ(from_zip->rodata().size(), from_bare->rodata().size());
  for (size_t i = 0; i < from_zip->rodata().size(); ++i) {
    ByteSpan a = from_zip->rodata()[i], b = from_bare->rodata()[i];
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(memcmp(a.data(), b.data(), a.size()), 0) << "rodata " << i;
  }
}

void ExpectCleanFailures(const std::vector<uint8_t>& bytes, size_t flatbuffer_end) {
  std::vector<uint8_t> region(8 << 20);
  Arena arena(MutableByteSpan(region.data(), region.size()));
  ErrorMessage message;
  auto attempt = [&](const std::vector<uint8_t>& input) {
    auto module = LoadVerifiedModule(ByteSpan(input.data(), input.size()), arena, message);
    if (module.ok()) FreeModule(arena, module.value());
    else EXPECT_GT(strlen(module.status().message()), 0u);
    return module.ok();
  };
  for (size_t length = 0; length < bytes.size(); ++length) {
    bool loaded = attempt(std::vector<uint8_t>(bytes.begin(), bytes.begin() + length));
    // Cutting into the FlatBuffer always fails; the ZIP directory after it is not needed.
    if (length < flatbuffer_end) EXPECT_FALSE(loaded) << "truncated to " << length;
  }
  int rejected = 0;
  for (size_t i = 0; i < flatbuffer_end; ++i) {
    for (uint8_t flip : {0x01, 0x10, 0xFF}) {
      std::vector<uint8_t> corrupt = bytes;
      corrupt[i] ^= flip;
      rejected += attempt(corrupt) ? 0 : 1;
    }
  }
  EXPECT_GT(rejected, 0);
  EXPECT_EQ(arena.stats().live_allocations, 0u);
}

TEST(Module, CompiledModulesSurviveTruncationAndCorruption) {
  for (const char* name : {"control_flow", "imports", "calls"}) {
    REQUIRE_MODULE(bytes, name);
    Archive archive;
    ASSERT_TRUE(ParseArchive(ByteSpan(bytes.data(), bytes.size()), &archive).ok());
    ExpectCleanFailures(bytes, size_t(archive.flatbuffer.data() - bytes.data()) +
                                   archive.flatbuffer.size());
  }
}

}  // namespace
}  // namespace bmrt::vmfb
