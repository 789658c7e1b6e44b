#include "runtime/elf/elf_module.h"

#include <elf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "runtime/elf/testing/host_code_memory.h"

namespace bmrt::elf {
namespace {

using testing::HostCodeMemory;
using testing::ReadSample;

constexpr const char* kQuery = "iree_hal_executable_library_query";

class ElfModuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(testing::SamplesDirectory().empty()) << "BMRT_HAL_SAMPLES is not set";
    x86_ = ReadSample("elementwise_x86_64.so");
    rv32_ = ReadSample("elementwise_riscv_32.so");
    ASSERT_GT(x86_.size(), 64u);
    ASSERT_GT(rv32_.size(), 52u);
    ASSERT_TRUE(memory_.ok());
  }

  Status Load(ElfModule& module, const std::vector<uint8_t>& file, uint16_t machine,
              LoadMode mode = LoadMode::kInspect) {
    return module.Load(ByteSpan(file.data(), file.size()), machine, memory_.code_memory(), error_,
                       mode);
  }

  HostCodeMemory memory_;
  ErrorText error_;
  std::vector<uint8_t> x86_;
  std::vector<uint8_t> rv32_;
};

// Independent reading of the RELA table with <elf.h>, to check what the loader wrote.
template <typename Ehdr, typename Phdr, typename Dyn, typename Rela>
std::vector<Rela> ReadRelocations(const std::vector<uint8_t>& file, uint64_t* min_vaddr) {
  Ehdr header;
  memcpy(&header, file.data(), sizeof(header));
  std::vector<Rela> result;
  uint64_t rela = 0, rela_size = 0;
  *min_vaddr = ~uint64_t{0};
  for (int i = 0; i < header.e_phnum; ++i) {
    Phdr segment;
    memcpy(&segment, file.data() + header.e_phoff + i * sizeof(Phdr), sizeof(segment));
    if (segment.p_type == PT_LOAD) *min_vaddr = std::min<uint64_t>(*min_vaddr, segment.p_vaddr);
    if (segment.p_type != PT_DYNAMIC) continue;
    for (size_t j = 0; j < segment.p_filesz / sizeof(Dyn); ++j) {
      Dyn entry;
      memcpy(&entry, file.data() + segment.p_offset + j * sizeof(Dyn), sizeof(entry));
      if (entry.d_tag == DT_RELA) rela = entry.d_un.d_ptr;
      if (entry.d_tag == DT_RELASZ) rela_size = entry.d_un.d_val;
    }
  }
  // In these libraries the first PT_LOAD maps file offset 0 at vaddr 0.
  for (uint64_t offset = 0; offset < rela_size; offset += sizeof(Rela)) {
    Rela entry;
    memcpy(&entry, file.data() + rela + offset, sizeof(entry));
    result.push_back(entry);
  }
  return result;
}

TEST_F(ElfModuleTest, LoadsAndRunsX86Library) {
  ElfModule module;
  ASSERT_TRUE(Load(module, x86_, kMachineX86_64, LoadMode::kRun).ok()) << error_.text;
  EXPECT_TRUE(module.runnable());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(module.image()) % kPageSize, 0u);
  Result<uintptr_t> query = module.FindSymbol(kQuery);
  ASSERT_TRUE(query.ok());
  EXPECT_TRUE(module.Contains(query.value(), 1));
  EXPECT_FALSE(module.FindSymbol("missing_symbol").ok());
  EXPECT_FALSE(module.FindSymbol("iree_hal_executable_library_quer").ok());
}

TEST_F(ElfModuleTest, X86RelativeRelocationsHoldBasePlusAddend) {
  ElfModule module;
  ASSERT_TRUE(Load(module, x86_, kMachineX86_64).ok()) << error_.text;
  uint64_t min_vaddr = 0;
  auto relocations = ReadRelocations<Elf64_Ehdr, Elf64_Phdr, Elf64_Dyn, Elf64_Rela>(x86_, &min_vaddr);
  ASSERT_FALSE(relocations.empty());
  uint64_t bias = reinterpret_cast<uintptr_t>(module.image()) - min_vaddr;
  for (const Elf64_Rela& r : relocations) {
    ASSERT_EQ(ELF64_R_TYPE(r.r_info), unsigned(R_X86_64_RELATIVE));
    uint64_t stored;
    memcpy(&stored, module.image() + (r.r_offset - min_vaddr), sizeof(stored));
    EXPECT_EQ(stored, bias + r.r_addend);
  }
}

TEST_F(ElfModuleTest, Riscv32LoadsAndRelocatesWithoutRunning) {
  ElfModule module;
  ASSERT_TRUE(Load(module, rv32_, kMachineRiscv, LoadMode::kRun).ok()) << error_.text;
  EXPECT_FALSE(module.runnable());
  EXPECT_TRUE(module.FindSymbol(kQuery).ok());
  uint64_t min_vaddr = 0;
  auto relocations = ReadRelocations<Elf32_Ehdr, Elf32_Phdr, Elf32_Dyn, Elf32_Rela>(rv32_, &min_vaddr);
  ASSERT_FALSE(relocations.empty());
  uint32_t bias = uint32_t(reinterpret_cast<uintptr_t>(module.image()) - min_vaddr);
  for (const Elf32_Rela& r : relocations) {
    ASSERT_EQ(ELF32_R_TYPE(r.r_info), 3u);  // R_RISCV_RELATIVE
    uint32_t stored;
    memcpy(&stored, module.image() + (r.r_offset - min_vaddr), sizeof(stored));
    EXPECT_EQ(stored, uint32_t(bias + r.r_addend));
  }
}

TEST_F(ElfModuleTest, ReleasesImageOnUnload) {
  size_t before = memory_.arena().stats().bytes_in_use;
  {
    ElfModule module;
    ASSERT_TRUE(Load(module, x86_, kMachineX86_64).ok());
    EXPECT_GT(memory_.arena().stats().bytes_in_use, before);
  }
  EXPECT_EQ(memory_.arena().stats().bytes_in_use, before);
}

TEST_F(ElfModuleTest, RejectsWrongMachineAndClass) {
  ElfModule module;
  Status status = Load(module, x86_, kMachineRiscv);
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_NE(std::string(status.message()).find("class"), std::string::npos) << status.message();
  std::vector<uint8_t> wrong = x86_;
  wrong[18] = 40;  // e_machine = ARM, class still 64-bit
  status = Load(module, wrong, kMachineX86_64);
  EXPECT_NE(std::string(status.message()).find("machine 40"), std::string::npos);
  EXPECT_FALSE(module.loaded());
}

TEST_F(ElfModuleTest, RejectsEveryTruncation) {
  for (const auto* file : {&x86_, &rv32_}) {
    uint16_t machine = file == &x86_ ? kMachineX86_64 : kMachineRiscv;
    for (size_t length = 0; length < file->size(); ++length) {
      ElfModule module;
      std::vector<uint8_t> truncated(file->begin(), file->begin() + length);
      EXPECT_FALSE(Load(module, truncated, machine).ok()) << "length " << length;
    }
  }
  EXPECT_EQ(memory_.arena().stats().live_allocations, 0u);
}

TEST_F(ElfModuleTest, SurvivesEveryFlippedByte) {
  for (const auto* file : {&x86_, &rv32_}) {
    uint16_t machine = file == &x86_ ? kMachineX86_64 : kMachineRiscv;
    for (size_t i = 0; i < file->size(); ++i) {
      std::vector<uint8_t> flipped = *file;
      flipped[i] ^= 0xFF;
      ElfModule module;
      Status status = Load(module, flipped, machine);
      if (status.ok()) module.FindSymbol(kQuery).status().IgnoreError();
    }
  }
}

TEST_F(ElfModuleTest, RejectsProgramHeadersOutsideTheFile) {
  std::vector<uint8_t> bad = x86_;
  uint64_t phoff = bad.size() - 8;
  memcpy(&bad[0x20], &phoff, 8);
  ElfModule module;
  Status status = Load(module, bad, kMachineX86_64);
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_NE(std::string(status.message()).find("program headers"), std::string::npos);
}

// Locates the first RELA entry of the x86_64 sample in the file.
size_t FirstRelaOffset(const std::vector<uint8_t>& file) {
  uint64_t min_vaddr = 0;
  auto relocations = ReadRelocations<Elf64_Ehdr, Elf64_Phdr, Elf64_Dyn, Elf64_Rela>(file, &min_vaddr);
  Elf64_Rela first = relocations.at(0);
  for (size_t offset = 0; offset + sizeof(first) <= file.size(); offset += 8) {
    if (memcmp(file.data() + offset, &first, sizeof(first)) == 0) return offset;
  }
  return 0;
}

TEST_F(ElfModuleTest, RejectsRelocationTargetOutsideTheImage) {
  std::vector<uint8_t> bad = x86_;
  size_t rela = FirstRelaOffset(bad);
  ASSERT_NE(rela, 0u);
  uint64_t target = 0x7FFFFFF0;
  memcpy(&bad[rela], &target, 8);
  ElfModule module;
  Status status = Load(module, bad, kMachineX86_64);
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_NE(std::string(status.message()).find("outside the image"), std::string::npos)
      << status.message();
}

TEST_F(ElfModuleTest, RejectsUnsupportedRelocationType) {
  std::vector<uint8_t> bad = x86_;
  size_t rela = FirstRelaOffset(bad);
  uint64_t info = R_X86_64_TPOFF64;
  memcpy(&bad[rela + 8], &info, 8);
  ElfModule module;
  Status status = Load(module, bad, kMachineX86_64);
  EXPECT_EQ(status.code(), StatusCode::kUnimplemented);
  EXPECT_NE(std::string(status.message()).find("type 18"), std::string::npos) << status.message();
}

// Offset in the file of the first RELA entry and the value of dynamic symbol 1 (the query
// function), for rewriting relocations into other types.
template <typename Ehdr, typename Phdr, typename Dyn, typename Rela, typename Sym>
void FindRelaAndSymbol(const std::vector<uint8_t>& file, size_t* rela_offset,
                       size_t* symbol_offset, uint64_t* symbol_value) {
  uint64_t min_vaddr = 0;
  auto relocations = ReadRelocations<Ehdr, Phdr, Dyn, Rela>(file, &min_vaddr);
  Rela first = relocations.at(0);
  *rela_offset = 0;
  for (size_t offset = 0; offset + sizeof(first) <= file.size(); offset += 4) {
    if (memcmp(file.data() + offset, &first, sizeof(first)) == 0) {
      *rela_offset = offset;
      break;
    }
  }
  Ehdr header;
  memcpy(&header, file.data(), sizeof(header));
  for (int i = 0; i < header.e_phnum; ++i) {
    Phdr segment;
    memcpy(&segment, file.data() + header.e_phoff + i * sizeof(Phdr), sizeof(segment));
    if (segment.p_type != PT_DYNAMIC) continue;
    for (size_t j = 0; j < segment.p_filesz / sizeof(Dyn); ++j) {
      Dyn entry;
      memcpy(&entry, file.data() + segment.p_offset + j * sizeof(Dyn), sizeof(entry));
      if (entry.d_tag == DT_SYMTAB) *symbol_offset = size_t(entry.d_un.d_ptr) + sizeof(Sym);
    }
  }
  Sym symbol;
  memcpy(&symbol, file.data() + *symbol_offset, sizeof(symbol));
  *symbol_value = symbol.st_value;
}

// Rewrites the first relocation of the x86_64 sample to `type` against symbol 1 and returns
// the 64-bit or 32-bit value stored at its target after loading.
struct X86Rewrite {
  Status status;
  uint64_t stored = 0;
  uint64_t bias = 0, symbol = 0, target = 0;
  int64_t addend = 0;
};

TEST_F(ElfModuleTest, AppliesEveryX86RelocationFormula) {
  size_t rela = 0, symbol_offset = 0;
  uint64_t symbol_value = 0;
  FindRelaAndSymbol<Elf64_Ehdr, Elf64_Phdr, Elf64_Dyn, Elf64_Rela, Elf64_Sym>(
      x86_, &rela, &symbol_offset, &symbol_value);
  ASSERT_NE(rela, 0u);
  ASSERT_NE(symbol_value, 0u);
  auto load = [&](uint32_t type, size_t width) {
    std::vector<uint8_t> file = x86_;
    Elf64_Rela entry;
    memcpy(&entry, &file[rela], sizeof(entry));
    entry.r_info = ELF64_R_INFO(1, type);
    memcpy(&file[rela], &entry, sizeof(entry));
    X86Rewrite result;
    ElfModule module;
    result.status = Load(module, file, kMachineX86_64);
    if (result.status.ok()) {
      result.bias = reinterpret_cast<uintptr_t>(module.image());  // min vaddr is 0
      memcpy(&result.stored, module.image() + entry.r_offset, width);
    }
    result.symbol = result.bias + symbol_value;
    result.target = result.bias + entry.r_offset;
    result.addend = entry.r_addend;
    return result;
  };
  X86Rewrite r = load(R_X86_64_64, 8);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.stored, r.symbol + r.addend);
  r = load(R_X86_64_GLOB_DAT, 8);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.stored, r.symbol);
  r = load(R_X86_64_JUMP_SLOT, 8);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.stored, r.symbol);
  r = load(R_X86_64_PC32, 4);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(uint32_t(r.stored), uint32_t(r.symbol + r.addend - r.target));
  r = load(R_X86_64_NONE, 8);
  ASSERT_TRUE(r.status.ok());
  // Absolute 32-bit forms only fit when the image lies in the low 4 GiB.
  r = load(R_X86_64_32, 4);
  if (r.status.ok()) {
    EXPECT_EQ(uint32_t(r.stored), uint32_t(r.symbol + r.addend));
  } else {
    EXPECT_NE(std::string(r.status.message()).find("does not fit 32 bits"), std::string::npos);
  }
}

TEST_F(ElfModuleTest, RejectsRelocationAgainstUndefinedSymbol) {
  size_t rela = 0, symbol_offset = 0;
  uint64_t symbol_value = 0;
  FindRelaAndSymbol<Elf64_Ehdr, Elf64_Phdr, Elf64_Dyn, Elf64_Rela, Elf64_Sym>(
      x86_, &rela, &symbol_offset, &symbol_value);
  std::vector<uint8_t> file = x86_;
  Elf64_Rela entry;
  memcpy(&entry, &file[rela], sizeof(entry));
  entry.r_info = ELF64_R_INFO(1, R_X86_64_GLOB_DAT);
  memcpy(&file[rela], &entry, sizeof(entry));
  Elf64_Sym symbol;
  memcpy(&symbol, &file[symbol_offset], sizeof(symbol));
  symbol.st_shndx = SHN_UNDEF;
  memcpy(&file[symbol_offset], &symbol, sizeof(symbol));
  ElfModule module;
  Status status = Load(module, file, kMachineX86_64);
  EXPECT_NE(std::string(status.message()).find("undefined symbol"), std::string::npos)
      << status.message();
  entry.r_info = ELF64_R_INFO(99, R_X86_64_GLOB_DAT);
  memcpy(&file[rela], &entry, sizeof(entry));
  status = Load(module, file, kMachineX86_64);
  EXPECT_NE(std::string(status.message()).find("names symbol 99"), std::string::npos)
      << status.message();
}

TEST_F(ElfModuleTest, AppliesEveryRiscv32RelocationFormula) {
  size_t rela = 0, symbol_offset = 0;
  uint64_t symbol_value = 0;
  FindRelaAndSymbol<Elf32_Ehdr, Elf32_Phdr, Elf32_Dyn, Elf32_Rela, Elf32_Sym>(
      rv32_, &rela, &symbol_offset, &symbol_value);
  ASSERT_NE(rela, 0u);
  ASSERT_NE(symbol_value, 0u);
  for (uint32_t type : {1u /* R_RISCV_32 */, 5u /* R_RISCV_JUMP_SLOT */}) {
    std::vector<uint8_t> file = rv32_;
    Elf32_Rela entry;
    memcpy(&entry, &file[rela], sizeof(entry));
    entry.r_info = ELF32_R_INFO(1, type);
    memcpy(&file[rela], &entry, sizeof(entry));
    ElfModule module;
    ASSERT_TRUE(Load(module, file, kMachineRiscv).ok()) << error_.text;
    uint32_t stored;
    memcpy(&stored, module.image() + entry.r_offset, 4);
    uint32_t symbol = uint32_t(reinterpret_cast<uintptr_t>(module.image()) + symbol_value);
    EXPECT_EQ(stored, type == 1 ? uint32_t(symbol + entry.r_addend) : symbol) << "type " << type;
  }
}

TEST_F(ElfModuleTest, RejectsRelWithoutAddends) {
  std::vector<uint8_t> bad = x86_;
  Elf64_Ehdr header;
  memcpy(&header, bad.data(), sizeof(header));
  bool patched = false;
  for (int i = 0; i < header.e_phnum && !patched; ++i) {
    Elf64_Phdr segment;
    memcpy(&segment, bad.data() + header.e_phoff + i * sizeof(segment), sizeof(segment));
    if (segment.p_type != PT_DYNAMIC) continue;
    for (size_t j = 0; j < segment.p_filesz / sizeof(Elf64_Dyn); ++j) {
      Elf64_Dyn* entry = reinterpret_cast<Elf64_Dyn*>(bad.data() + segment.p_offset) + j;
      if (entry->d_tag == DT_RELA) {
        entry->d_tag = DT_REL;
        patched = true;
      }
    }
  }
  ASSERT_TRUE(patched);
  ElfModule module;
  Status status = Load(module, bad, kMachineX86_64);
  EXPECT_NE(std::string(status.message()).find("DT_REL"), std::string::npos) << status.message();
}

TEST_F(ElfModuleTest, RejectsNonElfAndMissingArena) {
  ElfModule module;
  std::vector<uint8_t> text(100, 'x');
  EXPECT_EQ(Load(module, text, kMachineX86_64).code(), StatusCode::kDataLoss);
  CodeMemory none;
  EXPECT_FALSE(module.Load(ByteSpan(x86_.data(), x86_.size()), kMachineX86_64, none, error_).ok());
}

}  // namespace
}  // namespace bmrt::elf
