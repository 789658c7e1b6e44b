// ContextOptions::max_steps: an invocation that runs too many ops fails with DEADLINE_EXCEEDED
// instead of hanging, and the context stays usable. Module: tests/corpus/vmfb/control_flow.vmfb
// (compiled from tests/vm/modules/control_flow.mlir; loop(n) sums 0..n-1).
#include <fstream>
#include <iterator>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/vm/context.h"
#include "runtime/vmfb/verifier.h"

namespace bmrt::vm {
namespace {

class StepBudgetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream file(BMRT_CONTROL_FLOW_VMFB, std::ios::binary);
    bytes_.assign(std::istreambuf_iterator<char>(file), {});
    ASSERT_FALSE(bytes_.empty()) << BMRT_CONTROL_FLOW_VMFB;
    arena_.Initialize(MutableByteSpan(storage_.data(), storage_.size()));
    auto module = vmfb::LoadVerifiedModule(ByteSpan(bytes_.data(), bytes_.size()), arena_, message_);
    ASSERT_TRUE(module.ok()) << module.status().message();
    module_ = module.value();
  }
  void TearDown() override {
    if (module_) vmfb::FreeModule(arena_, module_);
    EXPECT_EQ(arena_.stats().live_allocations, 0u);
  }

  // Runs loop(n) in a fresh context with `max_steps`; returns the status and the i32 sum.
  Status Loop(uint64_t max_steps, int32_t n, int32_t* sum) {
    ContextOptions options;
    options.max_steps = max_steps;
    Context* context = Context::Create(arena_, options).value();
    Status status = context->LoadModule(*module_);
    Value args[] = {Value::I32(n)}, results[2];
    size_t count = 0;
    if (status.ok()) status = context->Invoke("loop", args, results, &count);
    if (status.ok()) *sum = results[0].i32();
    if (status.code() == StatusCode::kDeadlineExceeded && max_steps >= 1000) {
      // The context survives an exhausted budget: a short call still works.
      Value short_args[] = {Value::I32(3)};
      EXPECT_TRUE(context->Invoke("loop", short_args, results, &count).ok());
      EXPECT_EQ(results[0].i32(), 3);
    }
    Context::Destroy(context);
    return status;
  }

  std::vector<uint8_t> storage_ = std::vector<uint8_t>(size_t(4) << 20);
  std::vector<uint8_t> bytes_;
  Arena arena_;
  vmfb::ErrorMessage message_;
  vmfb::Module* module_ = nullptr;
};

TEST_F(StepBudgetTest, UnlimitedByDefault) {
  int32_t sum = 0;
  ASSERT_TRUE(Loop(0, 100000, &sum).ok());
  EXPECT_EQ(sum, int32_t(int64_t(100000) * 99999 / 2));
}

TEST_F(StepBudgetTest, EndlessWorkStopsAtTheBudget) {
  int32_t sum = 0;
  Status status = Loop(1000, 1 << 30, &sum);
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded) << status.message();
}

TEST_F(StepBudgetTest, BudgetCountsOps) {
  // The smallest budget that lets loop(n) finish grows with n, and one op less fails.
  auto minimum = [&](int32_t n) {
    int32_t sum = 0;
    for (uint64_t budget = 1; budget < 10000; ++budget) {
      if (Loop(budget, n, &sum).ok()) return budget;
    }
    return uint64_t(0);
  };
  uint64_t three = minimum(3), four = minimum(4);
  ASSERT_GT(three, 0u);
  EXPECT_GT(four, three);
  int32_t sum = 0;
  EXPECT_EQ(Loop(three - 1, 3, &sum).code(), StatusCode::kDeadlineExceeded);
  ASSERT_TRUE(Loop(three, 3, &sum).ok());
  EXPECT_EQ(sum, 3);
}

}  // namespace
}  // namespace bmrt::vm
