// ELF constants and little-endian decoders for the subset an embedded executable uses. Fields
// are decoded from bytes (never by casting packed structs) into width-independent records.
#pragma once

#include "runtime/base/byte_reader.h"
#include "runtime/base/types.h"

namespace bmrt::elf {

enum class ElfClass : uint8_t { kElf32 = 1, kElf64 = 2 };

enum Machine : uint16_t {
  kMachineX86_64 = 62,
  kMachineRiscv = 243,
};

// The machine whose code this build can run (0 when none is supported).
#if defined(__x86_64__)
inline constexpr uint16_t kNativeMachine = kMachineX86_64;
inline constexpr ElfClass kNativeClass = ElfClass::kElf64;
#elif defined(__riscv) && __riscv_xlen == 32
inline constexpr uint16_t kNativeMachine = kMachineRiscv;
inline constexpr ElfClass kNativeClass = ElfClass::kElf32;
#else
inline constexpr uint16_t kNativeMachine = 0;
inline constexpr ElfClass kNativeClass = ElfClass::kElf32;
#endif

inline constexpr uint16_t kTypeDyn = 3;
inline constexpr uint32_t kSegmentLoad = 1;
inline constexpr uint32_t kSegmentDynamic = 2;

enum DynamicTag : int64_t {
  kDtNull = 0,
  kDtNeeded = 1,
  kDtPltRelSz = 2,
  kDtHash = 4,
  kDtStrTab = 5,
  kDtSymTab = 6,
  kDtRela = 7,
  kDtRelaSz = 8,
  kDtRelaEnt = 9,
  kDtStrSz = 10,
  kDtSymEnt = 11,
  kDtInit = 12,
  kDtRel = 17,
  kDtRelSz = 18,
  kDtRelEnt = 19,
  kDtPltRel = 20,
  kDtJmpRel = 23,
  kDtInitArray = 25,
  kDtInitArraySz = 27,
};

struct ElfLayout {
  ElfClass elf_class;
  size_t header_size;
  size_t phdr_size;
  size_t shdr_size;
  size_t dyn_size;
  size_t sym_size;
  size_t rela_size;
  size_t address_size;
};

inline constexpr ElfLayout kLayout32 = {ElfClass::kElf32, 52, 32, 40, 8, 16, 12, 4};
inline constexpr ElfLayout kLayout64 = {ElfClass::kElf64, 64, 56, 64, 16, 24, 24, 8};

struct FileHeader {
  uint16_t type;
  uint16_t machine;
  uint32_t version;
  uint64_t phoff;
  uint64_t shoff;
  uint16_t ehsize;
  uint16_t phentsize;
  uint16_t phnum;
  uint16_t shentsize;
  uint16_t shnum;
};

struct ProgramHeader {
  uint32_t type;
  uint32_t flags;
  uint64_t offset;
  uint64_t vaddr;
  uint64_t filesz;
  uint64_t memsz;
  uint64_t align;
};

struct Symbol {
  uint32_t name;
  uint8_t info;
  uint16_t shndx;
  uint64_t value;
};

struct Relocation {
  uint64_t offset;
  uint32_t type;
  uint32_t symbol;
  int64_t addend;
};

// Each decoder expects `bytes` to hold at least the record size of `layout` (checked by the
// caller); a short span yields zeros through the ByteReader.
FileHeader DecodeFileHeader(const ElfLayout& layout, ByteSpan bytes);
ProgramHeader DecodeProgramHeader(const ElfLayout& layout, ByteSpan bytes);
Symbol DecodeSymbol(const ElfLayout& layout, ByteSpan bytes);
Relocation DecodeRelocation(const ElfLayout& layout, ByteSpan bytes);
// Returns (tag, value) of one dynamic entry.
void DecodeDynamic(const ElfLayout& layout, ByteSpan bytes, int64_t* tag, uint64_t* value);

}  // namespace bmrt::elf
