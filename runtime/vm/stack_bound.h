// The VM stack an invocation can need, from the module: the most expensive chain of internal
// calls, each frame sized the way the interpreter lays it out. Internal.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/vmfb/module.h"

namespace bmrt::vm {

// Stack bytes a frame of `function` occupies: header, i32 bank (16-aligned), ref bank.
size_t FrameBytes(const vmfb::FunctionInfo& function);

// The largest stack any invocation of any function of `module` can use (frames rounded up to
// the 16-byte alignment of the next one), or 0 when the internal calls form a cycle (recursion
// has no static bound). Walks the bytecode with the verifier; `scratch` lends the call graph.
Result<size_t> DeepestCallChainBytes(const vmfb::Module& module, Arena& scratch,
                                     vmfb::ErrorMessage& message);

}  // namespace bmrt::vm
