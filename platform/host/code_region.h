// Host code memory: an arena over a read-write-execute mapping, where x86_64 kernels of loaded
// executables are relocated and run. Shared by the host tools.
#pragma once

#include <sys/mman.h>

#include "runtime/base/arena.h"
#include "runtime/elf/code_memory.h"

namespace bmrt::platform {

class CodeRegion {
 public:
  explicit CodeRegion(size_t size) : size_(size) {
    void* region = mmap(nullptr, size_, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    region_ = region == MAP_FAILED ? nullptr : region;
    if (region_) arena_.Initialize(MutableByteSpan(static_cast<uint8_t*>(region_), size_));
  }
  ~CodeRegion() {
    if (region_) munmap(region_, size_);
  }
  CodeRegion(const CodeRegion&) = delete;
  CodeRegion& operator=(const CodeRegion&) = delete;

  bool ok() const { return region_ != nullptr; }
  // Without a mapping the memory has no arena, and loading an executable fails cleanly.
  elf::CodeMemory memory() {
    elf::CodeMemory code;
    code.arena = region_ ? &arena_ : nullptr;
    return code;
  }

 private:
  size_t size_;
  void* region_ = nullptr;
  Arena arena_;
};

}  // namespace bmrt::platform
