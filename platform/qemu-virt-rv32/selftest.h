// The firmware's self-test (boot word "selftest"): vector kernels and their scalar twins must
// agree with an exact reference; their instruction counts go to the log.
#pragma once

namespace bmrt::platform {

enum class SelfTestFault {
  kNone,
  kIllegalInstruction,  // boot words "selftest trap"
  kStackOverflow,       // boot words "selftest stack-overflow": must hit the stack guard
};

// Returns the exit code. With a fault requested, provokes it after the checks (the trap handler
// then ends the run).
int RunSelfTest(SelfTestFault fault);

// memcpy, memmove and memset against byte-by-byte references (selftest_memory.cc); logs the
// case count and the cost of one 1536-byte memcpy.
bool CheckMemoryRoutines();

}  // namespace bmrt::platform
