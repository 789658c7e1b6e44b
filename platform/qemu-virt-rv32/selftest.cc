#include "platform/qemu-virt-rv32/selftest.h"

#include "platform/qemu-virt-rv32/board.h"
#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/profile_marker.h"
#include "platform/qemu-virt-rv32/selftest_kernels.h"
#include "platform/qemu-virt-rv32/system.h"

namespace bmrt::platform {
namespace {

constexpr size_t kLength = 1024;
float input_a[kLength];
float input_b[kLength];
float saxpy_scalar[kLength];
float saxpy_vector[kLength];
constexpr float kAlpha = 2.0f;

// Small multiples of 0.5: every partial sum is exact in float, in any order, so the scalar
// and vector results must equal the integer reference exactly.
int64_t FillInputsAndReferenceTimesTwo() {
  int64_t reference = 0;
  for (size_t i = 0; i < kLength; ++i) {
    int a = int(i % 7) - 2;
    int b_times_two = int(i % 5);
    input_a[i] = float(a);
    input_b[i] = float(b_times_two) * 0.5f;
    reference += int64_t(a) * b_times_two;
  }
  return reference;
}

// Unbounded recursion the compiler cannot turn into a loop: every frame keeps live data.
volatile bool keep_recursing = true;
unsigned Recurse(unsigned depth) {
  volatile uint8_t frame[512];
  frame[0] = uint8_t(depth);
  if (!keep_recursing) return frame[0];
  return Recurse(depth + 1) + frame[0];
}

// The value as an integer count of halves (the inputs make every result a multiple of 0.5).
int64_t Halves(float value) { return int64_t(value * 2.0f); }

}  // namespace

float DotScalar(const float* a, const float* b, size_t n) {
  float sum = 0.0f;
#pragma clang loop vectorize(disable) interleave(disable)
  for (size_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

void SaxpyScalar(float alpha, const float* x, const float* y, float* out, size_t n) {
#pragma clang loop vectorize(disable) interleave(disable)
  for (size_t i = 0; i < n; ++i) out[i] = alpha * x[i] + y[i];
}

namespace {

// Every saxpy output is exact (small multiples of 0.5), so it must equal the formula evaluated
// in integers, element by element.
bool SaxpyMatchesReference(const float* out) {
  for (size_t i = 0; i < kLength; ++i) {
    int64_t halves = 2 * int64_t(kAlpha) * (int(i % 7) - 2) + int(i % 5);
    if (Halves(out[i]) != halves || float(halves) * 0.5f != out[i]) return false;
  }
  return true;
}

bool RunSaxpy() {
  uint64_t start = InstructionCount();
  SaxpyScalar(kAlpha, input_a, input_b, saxpy_scalar, kLength);
  uint64_t scalar_instructions = InstructionCount() - start;
  bool ok = SaxpyMatchesReference(saxpy_scalar);
  if (!HasVectorUnit()) {
    Log("selftest: saxpy scalar instructions=%llu matches=%d",
        (unsigned long long)scalar_instructions, int(ok));
    return ok;
  }
  start = InstructionCount();
  uint32_t window_start = CountedProfileWindowBegin();
  SaxpyVector(kAlpha, input_a, input_b, saxpy_vector, kLength);
  uint32_t window_instructions = CountedProfileWindowEnd() - window_start;
  uint64_t vector_instructions = InstructionCount() - start;
  Log("selftest: saxpy window minstret=%lu", (unsigned long)window_instructions);
  bool vector_ok = SaxpyMatchesReference(saxpy_vector);
  Log("selftest: saxpy scalar instructions=%llu matches=%d, vector instructions=%llu matches=%d",
      (unsigned long long)scalar_instructions, int(ok), (unsigned long long)vector_instructions,
      int(vector_ok));
  return ok && vector_ok;
}

}  // namespace

int RunSelfTest(SelfTestFault fault) {
  int64_t reference = FillInputsAndReferenceTimesTwo();
  Log("selftest: dot product, n=%u, reference=%lld/2", unsigned(kLength), (long long)reference);

  uint64_t start = InstructionCount();
  float scalar = DotScalar(input_a, input_b, kLength);
  uint64_t scalar_instructions = InstructionCount() - start;
  Log("selftest: scalar result=%lld/2 instructions=%llu", (long long)Halves(scalar),
      (unsigned long long)scalar_instructions);
  bool ok = Halves(scalar) == reference && float(reference) * 0.5f == scalar;

  if (HasVectorUnit()) {
    start = InstructionCount();
    uint32_t window_start = CountedProfileWindowBegin();
    float vector = DotVector(input_a, input_b, kLength);
    uint32_t window_instructions = CountedProfileWindowEnd() - window_start;
    uint64_t vector_instructions = InstructionCount() - start;
    Log("selftest: dot window minstret=%lu", (unsigned long)window_instructions);
    Log("selftest: vector result=%lld/2 instructions=%llu", (long long)Halves(vector),
        (unsigned long long)vector_instructions);
    ok = ok && vector == scalar;
  } else {
    Log("selftest: vector kernel skipped (no vector unit)");
  }

  ok = RunSaxpy() && ok;
  ok = CheckMemoryRoutines() && ok;

  if (fault == SelfTestFault::kIllegalInstruction) {
    Log("selftest: forcing an illegal instruction");
    asm volatile("unimp");
  }
  if (fault == SelfTestFault::kStackOverflow) {
    Log("selftest: recursing until the stack overflows");
    Log("selftest: unreachable depth %u", Recurse(0));
  }
  Log(ok ? "selftest: PASS" : "selftest: FAIL (results disagree)");
  return ok ? kExitSuccess : kExitFailure;
}

}  // namespace bmrt::platform
