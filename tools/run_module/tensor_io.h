// Tensor inputs and outputs of bmrt-run-module in iree-run-module's text forms:
//   --input=2x3xf32=1 2 3 4 5 6   (values separated by spaces or commas; none means zeros)
//   --input=@file.npy             (little-endian, C order)
// printed back as  2x3xf32=[1 2 3][4 5 6]
#pragma once

#include <string>

#include "runtime/hal/hal_module.h"
#include "runtime/vm/value.h"

namespace bmrt::tools {

// True when `text` names a tensor rather than a scalar.
bool IsTensorInput(const std::string& text);

// Creates a buffer view holding the tensor `text` describes. Returns false with `error` set.
bool ParseTensorInput(const std::string& text, hal::HalModule& hal, Arena& arena,
                      vm::Value* out, std::string* error);

// "2x3xf32=[1 2 3][4 5 6]\n" for a buffer view; empty when `value` is not one.
std::string FormatBufferView(const vm::Value& value);

}  // namespace bmrt::tools
