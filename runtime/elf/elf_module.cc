#include "runtime/elf/elf_module.h"

#include <string.h>

#include "runtime/base/utility.h"

namespace bmrt::elf {

namespace {

constexpr uint8_t kMagic[4] = {0x7F, 'E', 'L', 'F'};
constexpr uint16_t kMaxSegments = 64;
constexpr uint64_t kMaxAlignment = 64 * 1024;

// True when [offset, offset + count * entry) lies inside a file of `total` bytes.
bool TableFits(uint64_t offset, uint64_t count, uint64_t entry, uint64_t total) {
  uint64_t bytes = 0;
  return CheckedMul(count, entry, &bytes) && RangeFits(offset, bytes, total);
}

}  // namespace

Status ElfModule::CheckHeaders(ByteSpan file, uint16_t machine, ErrorText& error) {
  if (file.size() < 16 || memcmp(file.data(), kMagic, 4) != 0) {
    return DataLoss("ELF: not an ELF file (bad magic)");
  }
  if (file[5] != 1) return DataLoss("ELF: not little-endian");
  if (file[6] != 1) return DataLoss("ELF: unsupported identification version");
  ElfClass expected_class;
  if (machine == kMachineX86_64) {
    expected_class = ElfClass::kElf64;
  } else if (machine == kMachineRiscv) {
    expected_class = ElfClass::kElf32;
  } else {
    return InvalidArgument("ELF: unsupported target machine requested");
  }
  if (file[4] != uint8_t(expected_class)) {
    return {StatusCode::kDataLoss, error.Set("ELF: class %u does not match machine %u",
                                             unsigned(file[4]), unsigned(machine))};
  }
  layout_ = expected_class == ElfClass::kElf64 ? &kLayout64 : &kLayout32;
  if (file.size() < layout_->header_size) return DataLoss("ELF: truncated file header");
  header_ = DecodeFileHeader(*layout_, file);
  if (header_.machine != machine) {
    return {StatusCode::kDataLoss, error.Set("ELF: machine %u, expected %u",
                                             unsigned(header_.machine), unsigned(machine))};
  }
  machine_ = machine;
  if (header_.type != kTypeDyn) return DataLoss("ELF: not a shared object (ET_DYN)");
  if (header_.version != 1) return DataLoss("ELF: unsupported version");
  if (header_.ehsize != layout_->header_size || header_.phentsize != layout_->phdr_size) {
    return DataLoss("ELF: header or program header entry size does not match the class");
  }
  if (header_.phnum == 0 || header_.phnum > kMaxSegments) {
    return {StatusCode::kDataLoss,
            error.Set("ELF: %u program headers (1..%u allowed)", unsigned(header_.phnum),
                      unsigned(kMaxSegments))};
  }
  if (!TableFits(header_.phoff, header_.phnum, header_.phentsize, file.size())) {
    return {StatusCode::kDataLoss,
            error.Set("ELF: program headers at offset %llu run past the file end (%zu bytes)",
                      (unsigned long long)header_.phoff, file.size())};
  }
  if (header_.shnum != 0) {
    if (header_.shentsize != layout_->shdr_size) {
      return DataLoss("ELF: section header entry size does not match the class");
    }
    if (!TableFits(header_.shoff, header_.shnum, header_.shentsize, file.size())) {
      return DataLoss("ELF: section headers run past the file end");
    }
  }
  return OkStatus();
}

Status ElfModule::PlanImage(ByteSpan file, ErrorText& error) {
  uint64_t min_vaddr = ~uint64_t{0};
  uint64_t max_end = 0;
  bool has_dynamic = false;
  alignment_ = kPageSize;
  for (uint16_t i = 0; i < header_.phnum; ++i) {
    ProgramHeader segment = DecodeProgramHeader(
        *layout_, file.subspan(header_.phoff + uint64_t(i) * header_.phentsize));
    if (segment.type == kSegmentDynamic) {
      if (has_dynamic) return DataLoss("ELF: more than one PT_DYNAMIC segment");
      has_dynamic = true;
      dynamic_vaddr_ = segment.vaddr;
      dynamic_size_ = segment.memsz;
      continue;
    }
    if (segment.type != kSegmentLoad) continue;
    uint64_t end = 0;
    if (segment.filesz > segment.memsz || !RangeFits(segment.offset, segment.filesz, file.size()) ||
        !CheckedAdd(segment.vaddr, segment.memsz, &end)) {
      return {StatusCode::kDataLoss,
              error.Set("ELF: PT_LOAD #%u (offset %llu, file size %llu) does not fit the file",
                        unsigned(i), (unsigned long long)segment.offset,
                        (unsigned long long)segment.filesz)};
    }
    if (segment.align > 1) {
      if (!IsPowerOfTwo(size_t(segment.align)) || segment.align > kMaxAlignment) {
        return {StatusCode::kDataLoss,
                error.Set("ELF: PT_LOAD #%u has unsupported alignment %llu", unsigned(i),
                          (unsigned long long)segment.align)};
      }
      alignment_ = Max(alignment_, size_t(segment.align));
    }
    min_vaddr = Min(min_vaddr, segment.vaddr);
    max_end = Max(max_end, end);
  }
  if (max_end == 0) return DataLoss("ELF: no loadable segment");
  if (!has_dynamic) return DataLoss("ELF: no PT_DYNAMIC segment");
  min_vaddr_ = min_vaddr & ~uint64_t(kPageSize - 1);
  uint64_t image_size = max_end - min_vaddr_;
  if (image_size > kMaxImageSize) {
    return {StatusCode::kDataLoss, error.Set("ELF: image spans %llu bytes (limit %llu)",
                                             (unsigned long long)image_size,
                                             (unsigned long long)kMaxImageSize)};
  }
  image_size_ = size_t(image_size);
  return OkStatus();
}

bool ElfModule::ImageOffset(uint64_t vaddr, uint64_t size, uint64_t* offset) const {
  if (vaddr < min_vaddr_) return false;
  *offset = vaddr - min_vaddr_;
  return RangeFits(*offset, size, image_size_);
}

Status ElfModule::Load(ByteSpan file, uint16_t machine, const CodeMemory& memory,
                       ErrorText& error, LoadMode mode) {
  Unload();
  if (memory.arena == nullptr) return InvalidArgument("ELF: no code memory provided");
  BMRT_RETURN_IF_ERROR(CheckHeaders(file, machine, error));
  BMRT_RETURN_IF_ERROR(PlanImage(file, error));

  base_ = static_cast<uint8_t*>(memory.arena->Allocate(image_size_, alignment_));
  if (base_ == nullptr) {
    return {StatusCode::kResourceExhausted,
            error.Set("ELF: no room for a %zu-byte image", image_size_)};
  }
  arena_ = memory.arena;
  memset(base_, 0, image_size_);
  for (uint16_t i = 0; i < header_.phnum; ++i) {
    ProgramHeader segment = DecodeProgramHeader(
        *layout_, file.subspan(header_.phoff + uint64_t(i) * header_.phentsize));
    if (segment.type != kSegmentLoad || segment.filesz == 0) continue;
    memcpy(base_ + (segment.vaddr - min_vaddr_), file.data() + segment.offset,
           size_t(segment.filesz));
  }

  DynamicInfo info;
  Status status = ReadDynamic(info, error);
  if (status.ok()) status = ApplyRelocations(info, info.rela, info.rela_size, error);
  if (status.ok()) status = ApplyRelocations(info, info.jmprel, info.jmprel_size, error);
  if (!status.ok()) {
    Unload();
    return status;
  }
  if (memory.sync_instructions) memory.sync_instructions(memory.context, base_, image_size_);
  runnable_ = mode == LoadMode::kRun && machine_ == kNativeMachine;
  if (runnable_) {
    status = RunInitializers(info, error);
    if (!status.ok()) {
      Unload();
      return status;
    }
  }
  return OkStatus();
}

void ElfModule::Unload() {
  if (base_ != nullptr && arena_ != nullptr) arena_->Free(base_);
  base_ = nullptr;
  arena_ = nullptr;
  image_size_ = 0;
  symbol_count_ = 0;
  runnable_ = false;
}

bool ElfModule::Contains(uintptr_t address, size_t size) const {
  uintptr_t start = reinterpret_cast<uintptr_t>(base_);
  return loaded() && address >= start && RangeFits(address - start, size, image_size_);
}

Result<uintptr_t> ElfModule::FindSymbol(StringView name) const {
  if (!loaded()) return FailedPrecondition("ELF: no module loaded");
  ByteSpan image(base_, image_size_);
  for (uint32_t i = 1; i < symbol_count_; ++i) {
    Symbol symbol = DecodeSymbol(*layout_, image.subspan(symtab_ + uint64_t(i) * layout_->sym_size));
    uint8_t binding = symbol.info >> 4;
    if ((binding != 1 && binding != 2) || symbol.shndx == 0) continue;
    if (symbol.name >= strtab_size_) continue;
    const char* text = reinterpret_cast<const char*>(base_ + strtab_ + symbol.name);
    size_t length = StringView::BoundedLength(text, size_t(strtab_size_ - symbol.name));
    if (!(StringView(text, length) == name)) continue;
    uint64_t offset = 0;
    if (!ImageOffset(symbol.value, 1, &offset)) return DataLoss("ELF: symbol outside the image");
    return reinterpret_cast<uintptr_t>(base_) + uintptr_t(offset);
  }
  return NotFound("ELF: symbol not found in dynsym");
}

}  // namespace bmrt::elf
