#include "runtime/elf/elf_format.h"

namespace bmrt::elf {

namespace {
// Reads an address-sized field (4 or 8 bytes) as 64 bits.
uint64_t ReadAddress(const ElfLayout& layout, ByteReader& reader) {
  return layout.address_size == 8 ? reader.ReadU64() : reader.ReadU32();
}
}  // namespace

FileHeader DecodeFileHeader(const ElfLayout& layout, ByteSpan bytes) {
  ByteReader reader(bytes);
  reader.Skip(16);
  FileHeader header = {};
  header.type = reader.ReadU16();
  header.machine = reader.ReadU16();
  header.version = reader.ReadU32();
  ReadAddress(layout, reader);  // e_entry
  header.phoff = ReadAddress(layout, reader);
  header.shoff = ReadAddress(layout, reader);
  reader.ReadU32();  // e_flags
  header.ehsize = reader.ReadU16();
  header.phentsize = reader.ReadU16();
  header.phnum = reader.ReadU16();
  header.shentsize = reader.ReadU16();
  header.shnum = reader.ReadU16();
  return header;
}

ProgramHeader DecodeProgramHeader(const ElfLayout& layout, ByteSpan bytes) {
  ByteReader reader(bytes);
  ProgramHeader header = {};
  header.type = reader.ReadU32();
  if (layout.elf_class == ElfClass::kElf64) {
    header.flags = reader.ReadU32();
    header.offset = reader.ReadU64();
    header.vaddr = reader.ReadU64();
    reader.ReadU64();  // p_paddr
    header.filesz = reader.ReadU64();
    header.memsz = reader.ReadU64();
    header.align = reader.ReadU64();
  } else {
    header.offset = reader.ReadU32();
    header.vaddr = reader.ReadU32();
    reader.ReadU32();  // p_paddr
    header.filesz = reader.ReadU32();
    header.memsz = reader.ReadU32();
    header.flags = reader.ReadU32();
    header.align = reader.ReadU32();
  }
  return header;
}

Symbol DecodeSymbol(const ElfLayout& layout, ByteSpan bytes) {
  ByteReader reader(bytes);
  Symbol symbol = {};
  symbol.name = reader.ReadU32();
  if (layout.elf_class == ElfClass::kElf64) {
    symbol.info = reader.ReadU8();
    reader.ReadU8();  // st_other
    symbol.shndx = reader.ReadU16();
    symbol.value = reader.ReadU64();
  } else {
    symbol.value = reader.ReadU32();
    reader.ReadU32();  // st_size
    symbol.info = reader.ReadU8();
    reader.ReadU8();  // st_other
    symbol.shndx = reader.ReadU16();
  }
  return symbol;
}

Relocation DecodeRelocation(const ElfLayout& layout, ByteSpan bytes) {
  ByteReader reader(bytes);
  Relocation relocation = {};
  if (layout.elf_class == ElfClass::kElf64) {
    relocation.offset = reader.ReadU64();
    uint64_t info = reader.ReadU64();
    relocation.type = uint32_t(info);
    relocation.symbol = uint32_t(info >> 32);
    relocation.addend = int64_t(reader.ReadU64());
  } else {
    relocation.offset = reader.ReadU32();
    uint32_t info = reader.ReadU32();
    relocation.type = info & 0xFF;
    relocation.symbol = info >> 8;
    relocation.addend = int32_t(reader.ReadU32());
  }
  return relocation;
}

void DecodeDynamic(const ElfLayout& layout, ByteSpan bytes, int64_t* tag, uint64_t* value) {
  ByteReader reader(bytes);
  if (layout.elf_class == ElfClass::kElf64) {
    *tag = int64_t(reader.ReadU64());
    *value = reader.ReadU64();
  } else {
    *tag = int32_t(reader.ReadU32());
    *value = reader.ReadU32();
  }
}

}  // namespace bmrt::elf
