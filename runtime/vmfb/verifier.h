// Full verification of a loaded module's bytecode. After VerifyModule succeeds the interpreter
// may decode every function without bounds checks on the bytecode itself: every op decodes
// inside its function, every register operand is of the right bank and inside the function's
// register counts (64-bit values at even ordinals with both halves inside), branch targets land
// on block markers, and every global, rodata, type and function reference is in range. Call
// operand/result lists match the callee's cconv (i64/f64 values are listed once, by their
// first register).
#pragma once

#include "runtime/vmfb/module.h"

namespace bmrt::vmfb {

// Checks every function of `module`. On failure the returned status's message is `message.text`
// ("function 3 (main) pc 0x2a: register r70 out of range (64 i32 registers)"). `scratch` lends
// a temporary bitmap of op starts (one bit per bytecode byte of the largest function), freed
// before returning.
Status VerifyModule(const Module& module, Arena& scratch, ErrorMessage& message);

// Checks one function (ordinal into module.functions()).
Status VerifyFunction(const Module& module, uint32_t function_ordinal, Arena& scratch,
                      ErrorMessage& message);

// Told the callee ordinal of every call to an internal function (imports excluded), once per
// call site, in bytecode order.
struct CallVisitor {
  void (*visit)(void* context, uint32_t callee) = nullptr;
  void* context = nullptr;
};
// VerifyFunction that also reports the function's internal calls to `calls` (call sites before
// a verification failure may have been reported).
Status VerifyFunction(const Module& module, uint32_t function_ordinal, Arena& scratch,
                      ErrorMessage& message, const CallVisitor& calls);

// LoadModule + VerifyModule; a module that fails verification is freed and never returned.
Result<Module*> LoadVerifiedModule(ByteSpan archive, Arena& arena, ErrorMessage& message);

}  // namespace bmrt::vmfb
