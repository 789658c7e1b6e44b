// Text forms of VM values as iree-run-module reads and prints them.
#pragma once

#include <string>

#include "runtime/vm/value.h"

namespace bmrt::tools {

// Parses one --input for an argument of cconv kind `kind` ('i', 'I', 'f', 'F', 'r').
// Accepts "5", "i32=5", "i64=5", "f32=1.5", "f64=1.5". Returns false with `error` set.
bool ParseScalarInput(const std::string& text, char kind, vm::Value* out, std::string* error);

// "result[0]: i32=7"-style text of one value (without the "result[n]: " prefix), ending in
// a newline; lists print their elements as child_list[i] lines.
std::string FormatValue(const vm::Value& value);

}  // namespace bmrt::tools
