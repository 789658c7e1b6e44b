// The firmware's self-test (boot word "selftest"): a vector kernel and its scalar twin must
// agree with an exact reference; their instruction counts go to the log.
#pragma once

namespace bmrt::platform {

// Returns the exit code. With `force_trap`, executes an illegal instruction after the checks
// (the trap handler then ends the run).
int RunSelfTest(bool force_trap);

}  // namespace bmrt::platform
