#include "runtime/hal/device.h"

#include <string.h>

#include "runtime/base/utility.h"
#include "runtime/hal/executable.h"

namespace bmrt::hal {

bool MatchPattern(StringView text, StringView pattern) {
  size_t t = 0, p = 0;
  size_t star = ~size_t{0}, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != ~size_t{0}) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<Device*> Device::Create(Arena& arena, const elf::CodeMemory& code) {
  BMRT_ASSIGN_OR_RETURN(Allocator * allocator, Allocator::Create(arena));
  void* memory = arena.Allocate(sizeof(Device), alignof(Device));
  if (memory == nullptr) {
    allocator->Release();
    return ResourceExhausted("hal.device: out of memory");
  }
  Device* device = new (memory) Device(arena, code);
  device->allocator_ = vm::Ref::Adopt(allocator);
  return device;
}

void Device::Destroy(vm::RefObject* object) {
  Device* device = static_cast<Device*>(object);
  Arena* arena = device->arena_;
  device->~Device();
  arena->Free(device);
}

bool Device::Query(StringView category, StringView key, int64_t* value) const {
  *value = 0;
  if (category == StringView("hal.device.id")) {
    *value = MatchPattern(kIdentifier, key) ? 1 : 0;
    return true;
  }
  if (category == StringView("hal.executable.format")) {
    *value = !Executable::NativeFormat().empty() && key == Executable::NativeFormat() ? 1 : 0;
    return true;
  }
  if ((category == StringView("hal.device") || category == StringView("hal.dispatch")) &&
      key == StringView("concurrency")) {
    *value = 1;
    return true;
  }
  if (category == StringView("hal.cpu")) return true;  // no CPU feature bits are reported
  return false;
}

Result<Buffer*> Device::QueueAlloca(uint32_t memory_types, uint32_t usage, uint64_t length) {
  return allocator().Allocate(memory_types, usage, length);
}

Status Device::QueueFill(Buffer& target, uint64_t offset, uint64_t length, uint64_t pattern,
                         uint32_t pattern_length) {
  if (pattern_length != 1 && pattern_length != 2 && pattern_length != 4 && pattern_length != 8) {
    return InvalidArgument("hal.device.queue.fill: pattern must be 1, 2, 4 or 8 bytes");
  }
  BMRT_ASSIGN_OR_RETURN(MutableByteSpan range, target.Range(offset, length));
  return FillBuffer(range, pattern, pattern_length);
}

Status Device::QueueUpdate(ByteSpan source, Buffer& target, uint64_t offset) {
  BMRT_ASSIGN_OR_RETURN(MutableByteSpan range, target.Range(offset, source.size()));
  if (!source.empty()) memmove(range.data(), source.data(), source.size());
  return OkStatus();
}

Status Device::QueueCopy(Buffer& source, uint64_t source_offset, Buffer& target,
                         uint64_t target_offset, uint64_t length) {
  BMRT_ASSIGN_OR_RETURN(MutableByteSpan from, source.Range(source_offset, length));
  BMRT_ASSIGN_OR_RETURN(MutableByteSpan to, target.Range(target_offset, from.size()));
  if (!to.empty()) memmove(to.data(), from.data(), to.size());
  return OkStatus();
}

Status Device::QueueRead(const File& source, uint64_t source_offset, Buffer& target,
                         uint64_t target_offset, uint64_t length) {
  if (!RangeFits(source_offset, length, source.contents().size())) {
    return OutOfRange("hal.device.queue.read: range runs past the end of the file");
  }
  return QueueUpdate(source.contents().subspan(size_t(source_offset), size_t(length)), target,
                     target_offset);
}

Status Device::QueueExecute(const CommandBuffer& command_buffer,
                            Span<const BindingTableEntry> binding_table, elf::ErrorText& error) {
  return command_buffer.Execute(binding_table, *arena_, error);
}

}  // namespace bmrt::hal
