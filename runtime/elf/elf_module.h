// Loads an embedded-ELF shared object (what iree-compile's llvm-cpu backend emits for riscv32
// and x86_64) into code memory: validates every header, segment, dynamic entry and relocation
// against the file, copies the PT_LOAD segments into one zero-filled reservation, applies the
// relocations and, when the code is for this machine, runs its initializers.
//
// Objects for another machine (an rv32 library on the x86_64 host) can still be loaded and
// relocated for inspection; they are never run.
#pragma once

#include "runtime/base/format.h"
#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/base/string_view.h"
#include "runtime/elf/code_memory.h"
#include "runtime/elf/elf_format.h"

namespace bmrt::elf {

// Holds the "what and where" text of a load error; the returned Status points into it.
using ErrorText = MessageBuffer<128>;

// Upper bound on the reserved image, a guard against absurd segment addresses.
inline constexpr uint64_t kMaxImageSize = uint64_t(64) << 20;
inline constexpr size_t kPageSize = 4096;

enum class LoadMode : uint8_t {
  kRun,      // native code: initializers run and the code may be called
  kInspect,  // load and relocate only; nothing in the image is ever executed
};

class ElfModule {
 public:
  ElfModule() = default;
  ElfModule(const ElfModule&) = delete;
  ElfModule& operator=(const ElfModule&) = delete;
  ~ElfModule() { Unload(); }

  // `machine` is the machine the caller expects (kMachineRiscv or kMachineX86_64). Code for
  // another machine than this build's is always loaded as kInspect.
  Status Load(ByteSpan file, uint16_t machine, const CodeMemory& memory, ErrorText& error,
              LoadMode mode = LoadMode::kRun);
  void Unload();

  bool loaded() const { return base_ != nullptr; }
  // True when the code is for the machine this build runs on (and initializers have run).
  bool runnable() const { return loaded() && runnable_; }
  uint16_t machine() const { return machine_; }
  uint8_t* image() const { return base_; }
  size_t image_size() const { return image_size_; }

  // Absolute address of a defined GLOBAL or WEAK dynamic symbol.
  Result<uintptr_t> FindSymbol(StringView name) const;
  // True when [address, address + size) lies inside the loaded image.
  bool Contains(uintptr_t address, size_t size) const;

 private:
  // Image offsets and sizes taken from the dynamic section.
  struct DynamicInfo {
    uint64_t rela = 0;
    uint64_t rela_size = 0;
    uint64_t jmprel = 0;
    uint64_t jmprel_size = 0;
    bool has_init = false;
    uint64_t init = 0;
    uint64_t init_array = 0;
    uint64_t init_array_size = 0;
  };

  Status CheckHeaders(ByteSpan file, uint16_t machine, ErrorText& error);
  Status PlanImage(ByteSpan file, ErrorText& error);
  Status ReadDynamic(DynamicInfo& info, ErrorText& error);
  Status ApplyRelocations(const DynamicInfo& info, uint64_t table, uint64_t size,
                          ErrorText& error);
  Status RunInitializers(const DynamicInfo& info, ErrorText& error);
  // Image offset of a virtual address range, or false when it is outside the image.
  bool ImageOffset(uint64_t vaddr, uint64_t size, uint64_t* offset) const;

  const ElfLayout* layout_ = &kLayout32;
  uint16_t machine_ = 0;
  bool runnable_ = false;
  FileHeader header_ = {};
  uint64_t min_vaddr_ = 0;
  uint64_t dynamic_vaddr_ = 0;
  uint64_t dynamic_size_ = 0;
  size_t alignment_ = kPageSize;
  Arena* arena_ = nullptr;
  uint8_t* base_ = nullptr;
  size_t image_size_ = 0;
  // Dynamic symbol table (image offsets), valid after a successful Load.
  uint64_t symtab_ = 0;
  uint32_t symbol_count_ = 0;
  uint64_t strtab_ = 0;
  uint64_t strtab_size_ = 0;
};

}  // namespace bmrt::elf
