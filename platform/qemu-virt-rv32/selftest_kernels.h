// Self-test kernels. The vector one lives in a file compiled with vector features and may only
// be called when the CPU has a vector unit.
#pragma once

#include "runtime/base/types.h"

namespace bmrt::platform {

float DotScalar(const float* a, const float* b, size_t n);
float DotVector(const float* a, const float* b, size_t n);
// out[i] = alpha * x[i] + y[i]
void SaxpyScalar(float alpha, const float* x, const float* y, float* out, size_t n);
void SaxpyVector(float alpha, const float* x, const float* y, float* out, size_t n);

}  // namespace bmrt::platform
