#include "runtime/vm/ref.h"

namespace bmrt::vm {

namespace {
constexpr const char* kNames[] = {
    "null",           "vm.buffer",        "vm.list",        "hal.allocator", "hal.buffer",
    "hal.buffer_view", "hal.channel",      "hal.command_buffer", "hal.device", "hal.event",
    "hal.executable",  "hal.fence",        "hal.file",       "hal.semaphore",
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == size_t(RefType::kCount));
}  // namespace

StringView RefTypeName(RefType type) {
  size_t index = size_t(type);
  return index < size_t(RefType::kCount) ? StringView(kNames[index]) : StringView("unknown");
}

RefType RefTypeFromName(StringView name) {
  if (name.empty() || name[0] != '!') return RefType::kNull;
  StringView bare = name.substr(1);
  if (bare.StartsWith("vm.list<") || bare == StringView("vm.list")) return RefType::kList;
  for (size_t i = 1; i < size_t(RefType::kCount); ++i) {
    if (bare == StringView(kNames[i])) return RefType(i);
  }
  return RefType::kNull;
}

}  // namespace bmrt::vm
