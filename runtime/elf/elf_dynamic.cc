// Dynamic section, relocations and initializers of a loaded ElfModule.
#include "runtime/base/utility.h"
#include "runtime/elf/elf_module.h"

namespace bmrt::elf {

namespace {

// Relocation types (psABI numbering).
enum : uint32_t {
  kRiscvNone = 0,
  kRiscv32 = 1,
  kRiscvRelative = 3,
  kRiscvJumpSlot = 5,
};
enum : uint32_t {
  kX86None = 0,
  kX86_64 = 1,
  kX86Pc32 = 2,
  kX86GlobDat = 6,
  kX86JumpSlot = 7,
  kX86Relative = 8,
  kX86_32 = 10,
  kX86_32S = 11,
};

struct RawDynamic {
  uint64_t value[28] = {};
  bool present[28] = {};
  uint64_t Get(int64_t tag) const { return value[tag]; }
  bool Has(int64_t tag) const { return present[tag]; }
};

bool FitsInt32(int64_t value) { return value >= INT32_MIN && value <= INT32_MAX; }

}  // namespace

Status ElfModule::ReadDynamic(DynamicInfo& info, ErrorText& error) {
  uint64_t offset = 0;
  if (!ImageOffset(dynamic_vaddr_, dynamic_size_, &offset)) {
    return DataLoss("ELF: PT_DYNAMIC lies outside the loaded image");
  }
  ByteSpan image(base_, image_size_);
  RawDynamic raw;
  uint64_t count = dynamic_size_ / layout_->dyn_size;
  for (uint64_t i = 0; i < count; ++i) {
    int64_t tag = 0;
    uint64_t value = 0;
    DecodeDynamic(*layout_, image.subspan(offset + i * layout_->dyn_size), &tag, &value);
    if (tag == kDtNull) break;
    if (tag == kDtNeeded) return DataLoss("ELF: DT_NEEDED (shared library dependencies) unsupported");
    if (tag == kDtRel || tag == kDtRelSz || tag == kDtRelEnt) {
      return DataLoss("ELF: DT_REL relocations are not supported (only DT_RELA)");
    }
    if (tag < 0 || tag >= 28) continue;  // OS/processor-specific tags carry nothing we need
    raw.value[tag] = value;
    raw.present[tag] = true;
  }

  if (!raw.Has(kDtStrTab) || !raw.Has(kDtStrSz) || !raw.Has(kDtSymTab) || !raw.Has(kDtHash)) {
    return DataLoss("ELF: dynamic section lacks DT_STRTAB, DT_STRSZ, DT_SYMTAB or DT_HASH");
  }
  if (raw.Get(kDtSymEnt) != layout_->sym_size) {
    return {StatusCode::kDataLoss, error.Set("ELF: DT_SYMENT %llu, expected %zu",
                                             (unsigned long long)raw.Get(kDtSymEnt),
                                             layout_->sym_size)};
  }
  strtab_size_ = raw.Get(kDtStrSz);
  if (!ImageOffset(raw.Get(kDtStrTab), strtab_size_, &strtab_)) {
    return DataLoss("ELF: DT_STRTAB lies outside the image");
  }
  uint64_t hash = 0;
  if (!ImageOffset(raw.Get(kDtHash), 8, &hash)) return DataLoss("ELF: DT_HASH outside the image");
  uint32_t bucket_count = LoadLe32(base_ + hash);
  uint32_t chain_count = LoadLe32(base_ + hash + 4);
  if (!ImageOffset(raw.Get(kDtHash), 8 + 4 * (uint64_t(bucket_count) + chain_count), &hash)) {
    return DataLoss("ELF: DT_HASH table runs past the image");
  }
  if (!ImageOffset(raw.Get(kDtSymTab), uint64_t(chain_count) * layout_->sym_size, &symtab_)) {
    return {StatusCode::kDataLoss,
            error.Set("ELF: %u dynamic symbols run past the image", unsigned(chain_count))};
  }
  symbol_count_ = chain_count;

  if (raw.Has(kDtRela)) {
    info.rela_size = raw.Get(kDtRelaSz);
    if (raw.Get(kDtRelaEnt) != layout_->rela_size || info.rela_size % layout_->rela_size != 0 ||
        !ImageOffset(raw.Get(kDtRela), info.rela_size, &info.rela)) {
      return DataLoss("ELF: DT_RELA table has a bad entry size or lies outside the image");
    }
  }
  if (raw.Has(kDtJmpRel)) {
    info.jmprel_size = raw.Get(kDtPltRelSz);
    if (raw.Get(kDtPltRel) != uint64_t(kDtRela) || info.jmprel_size % layout_->rela_size != 0 ||
        !ImageOffset(raw.Get(kDtJmpRel), info.jmprel_size, &info.jmprel)) {
      return DataLoss("ELF: DT_JMPREL table is not RELA or lies outside the image");
    }
  }
  if (raw.Has(kDtInit)) {
    info.has_init = true;
    if (!ImageOffset(raw.Get(kDtInit), 1, &info.init)) return DataLoss("ELF: DT_INIT outside image");
  }
  if (raw.Has(kDtInitArray)) {
    info.init_array_size = raw.Get(kDtInitArraySz);
    if (info.init_array_size % layout_->address_size != 0 ||
        !ImageOffset(raw.Get(kDtInitArray), info.init_array_size, &info.init_array)) {
      return DataLoss("ELF: DT_INIT_ARRAY lies outside the image");
    }
  }
  return OkStatus();
}

Status ElfModule::ApplyRelocations(const DynamicInfo& info, uint64_t table, uint64_t size,
                                   ErrorText& error) {
  const uint64_t bias = uint64_t(reinterpret_cast<uintptr_t>(base_)) - min_vaddr_;
  const uint64_t count = size / layout_->rela_size;
  for (uint64_t i = 0; i < count; ++i) {
    Relocation r = DecodeRelocation(
        *layout_, ByteSpan(base_, image_size_).subspan(table + i * layout_->rela_size));
    uint64_t symbol_value = 0;
    if (r.symbol != 0) {
      if (r.symbol >= symbol_count_) {
        return {StatusCode::kDataLoss, error.Set("ELF: relocation #%llu names symbol %u of %u",
                                                 (unsigned long long)i, unsigned(r.symbol),
                                                 unsigned(symbol_count_))};
      }
      Symbol symbol = DecodeSymbol(
          *layout_, ByteSpan(base_, image_size_).subspan(symtab_ + r.symbol * layout_->sym_size));
      if (symbol.shndx == 0 && (symbol.info >> 4) != 2) {
        return DataLoss("ELF: relocation against an undefined symbol (imports are not provided)");
      }
      symbol_value = symbol.shndx == 0 ? 0 : bias + symbol.value;
    }
    const uint64_t s = symbol_value;
    const uint64_t a = uint64_t(r.addend);
    uint64_t value = 0;
    size_t width = 0;
    bool known = true;
    if (machine_ == kMachineRiscv) {
      switch (r.type) {
        case kRiscvNone: continue;
        case kRiscv32: value = s + a; width = 4; break;
        case kRiscvRelative: value = bias + a; width = 4; break;
        case kRiscvJumpSlot: value = s; width = 4; break;
        default: known = false;
      }
    } else {
      switch (r.type) {
        case kX86None: continue;
        case kX86Relative: value = bias + a; width = 8; break;
        case kX86JumpSlot:
        case kX86GlobDat: value = s; width = 8; break;
        case kX86_64: value = s + a; width = 8; break;
        case kX86_32:
          value = s + a;
          width = 4;
          known = value <= UINT32_MAX;
          break;
        case kX86_32S:
          value = s + a;
          width = 4;
          known = FitsInt32(int64_t(value));
          break;
        case kX86Pc32:
          value = s + a - (bias + r.offset);
          width = 4;
          known = FitsInt32(int64_t(value));
          break;
        default: known = false;
      }
      if (!known && (r.type == kX86_32 || r.type == kX86_32S || r.type == kX86Pc32)) {
        return {StatusCode::kDataLoss,
                error.Set("ELF: relocation #%llu (type %u) value does not fit 32 bits",
                          (unsigned long long)i, unsigned(r.type))};
      }
    }
    if (!known) {
      return {StatusCode::kUnimplemented,
              error.Set("ELF: relocation #%llu has unsupported type %u", (unsigned long long)i,
                        unsigned(r.type))};
    }
    uint64_t target = 0;
    if (!ImageOffset(r.offset, width, &target)) {
      return {StatusCode::kDataLoss,
              error.Set("ELF: relocation #%llu targets 0x%llx, outside the image",
                        (unsigned long long)i, (unsigned long long)r.offset)};
    }
    if (width == 8) {
      StoreLe64(base_ + target, value);
    } else {
      StoreLe32(base_ + target, uint32_t(value));
    }
  }
  return OkStatus();
}

Status ElfModule::RunInitializers(const DynamicInfo& info, ErrorText& error) {
  using InitFunction = void (*)();
  if (info.has_init) reinterpret_cast<InitFunction>(base_ + info.init)();
  const uint64_t count = info.init_array_size / layout_->address_size;
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t* entry = base_ + info.init_array + i * layout_->address_size;
    uint64_t address = layout_->address_size == 8 ? LoadLe64(entry) : LoadLe32(entry);
    if (address == 0 || address == ~uint64_t{0} ||
        (layout_->address_size == 4 && address == UINT32_MAX)) {
      continue;
    }
    if (!Contains(uintptr_t(address), 1)) {
      return {StatusCode::kDataLoss,
              error.Set("ELF: initializer #%llu points outside the image", (unsigned long long)i)};
    }
    reinterpret_cast<InitFunction>(uintptr_t(address))();
  }
  return OkStatus();
}

}  // namespace bmrt::elf
