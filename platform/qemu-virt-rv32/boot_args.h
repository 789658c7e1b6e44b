// The boot command line: QEMU's `-append "..."` lands in the device tree's /chosen/bootargs.
#pragma once

#include "runtime/base/string_view.h"
#include "runtime/base/types.h"

namespace bmrt::platform {

// Returns /chosen/bootargs of the flattened device tree at `fdt`, or an empty view when there
// is none or the tree is malformed. Every read is checked against the tree's total size.
StringView FindBootArguments(uintptr_t fdt);

// True when `word` appears in `arguments` as a whole space-separated word.
bool HasBootWord(StringView arguments, StringView word);

}  // namespace bmrt::platform
