// Host-only test support: an arena over an RWX mapping, so loaded x86_64 code can run, and
// helpers that read the compiled sample libraries named by $BMRT_HAL_SAMPLES.
#pragma once

#include <sys/mman.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "runtime/base/arena.h"
#include "runtime/elf/code_memory.h"

namespace bmrt::elf::testing {

class HostCodeMemory {
 public:
  explicit HostCodeMemory(size_t size = size_t(16) << 20) : size_(size) {
    void* region = mmap(nullptr, size_, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region != MAP_FAILED) {
      region_ = static_cast<uint8_t*>(region);
      arena_.Initialize(MutableByteSpan(region_, size_));
    }
  }
  ~HostCodeMemory() {
    if (region_ != nullptr) munmap(region_, size_);
  }
  bool ok() const { return region_ != nullptr; }
  Arena& arena() { return arena_; }
  CodeMemory code_memory() {
    CodeMemory memory;
    memory.arena = &arena_;
    return memory;
  }

 private:
  size_t size_;
  uint8_t* region_ = nullptr;
  Arena arena_;
};

// Directory with the sample libraries and vectors (tests/models/build_samples.py --out).
inline std::string SamplesDirectory() {
  const char* directory = std::getenv("BMRT_HAL_SAMPLES");
  return directory ? directory : "";
}

inline std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(stream), {});
}

inline std::vector<uint8_t> ReadSample(const std::string& name) {
  return ReadFile(SamplesDirectory() + "/" + name);
}

inline std::vector<float> ReadFloats(const std::string& name) {
  std::vector<uint8_t> bytes = ReadSample(name);
  std::vector<float> values(bytes.size() / sizeof(float));
  if (!values.empty()) memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

}  // namespace bmrt::elf::testing
