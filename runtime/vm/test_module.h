// "native_test" (version 1): a small native module for tests and the runner, exercising every
// marshaling path of native_module.h.
//   native_test.add(i32, i32) -> i32                          0ii_i
//   native_test.add_i64(i64, i64) -> i64                      0II_I
//   native_test.scale(f32, f32) -> f32                        0ff_f
//   native_test.sum(i64, tuple<i32, i64>...) -> (i64, i32)    0ICiID_Ii   base + sum(a*b), count
//   native_test.make_buffer(i32 length, i32 fill) -> buffer   0ii_r
//   native_test.buffer_sum(buffer) -> i32 (sum of bytes)      0r_i
//   native_test.fail(i32 code) -> ()                          0i_v  always fails, naming code
#pragma once

#include "runtime/vm/native_module.h"

namespace bmrt::vm {

// State: none; register with a null state pointer.
extern const NativeModuleDef kNativeTestModule;

}  // namespace bmrt::vm
