// hal.device: one synchronous, single-threaded CPU device. Every queue operation runs to
// completion before it returns (waits are already satisfied, signals happen immediately), and
// dispatches run on the calling thread through embedded-ELF executables.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/base/string_view.h"
#include "runtime/elf/code_memory.h"
#include "runtime/elf/elf_module.h"
#include "runtime/hal/allocator.h"
#include "runtime/hal/buffer.h"
#include "runtime/hal/command_buffer.h"
#include "runtime/hal/fence.h"
#include "runtime/vm/ref.h"

namespace bmrt::hal {

class Device : public vm::RefObject {
 public:
  static constexpr vm::RefType kRefType = vm::RefType::kHalDevice;
  // Matched by compiled modules against patterns such as "local*".
  static constexpr const char* kIdentifier = "local-sync";

  // `code` is where executables are loaded (see elf::CodeMemory).
  static Result<Device*> Create(Arena& arena, const elf::CodeMemory& code);

  Arena& arena() const { return *arena_; }
  Allocator& allocator() const { return *static_cast<Allocator*>(allocator_.get()); }
  const elf::CodeMemory& code_memory() const { return code_; }

  // hal.device.query.i64: false when the (category, key) pair is unknown.
  bool Query(StringView category, StringView key, int64_t* value) const;

  // Queue operations, all complete on return.
  Result<Buffer*> QueueAlloca(uint32_t memory_types, uint32_t usage, uint64_t length);
  Status QueueFill(Buffer& target, uint64_t offset, uint64_t length, uint64_t pattern,
                   uint32_t pattern_length);
  Status QueueUpdate(ByteSpan source, Buffer& target, uint64_t offset);
  Status QueueCopy(Buffer& source, uint64_t source_offset, Buffer& target, uint64_t target_offset,
                   uint64_t length);
  Status QueueRead(const File& source, uint64_t source_offset, Buffer& target,
                   uint64_t target_offset, uint64_t length);
  Status QueueExecute(const CommandBuffer& command_buffer,
                      Span<const BindingTableEntry> binding_table, elf::ErrorText& error);

 private:
  Device(Arena& arena, const elf::CodeMemory& code)
      : RefObject(kRefType, &Destroy), arena_(&arena), code_(code) {}
  ~Device() = default;
  static void Destroy(vm::RefObject* object);

  Arena* arena_;
  elf::CodeMemory code_;
  vm::Ref allocator_;
};

// Glob match with '*' (any run) and '?' (any one character), as used by hal.device.id queries.
bool MatchPattern(StringView text, StringView pattern);

}  // namespace bmrt::hal
