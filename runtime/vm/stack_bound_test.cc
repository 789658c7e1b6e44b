// The VM stack is sized from the module's deepest chain of internal calls; recursion gets the
// configured maximum and still overflows cleanly.
#include "runtime/vm/stack_bound.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/base/utility.h"
#include "runtime/vm/context.h"
#include "runtime/vmfb/test_module_spec.h"
#include "runtime/vmfb/verifier.h"

namespace bmrt::vm {
namespace {

using vmfb::testing::BuildModule;
using vmfb::testing::FunctionSpec;
using vmfb::testing::ModuleSpec;

// call <callee> (r0) -> (r1); return r1.  (cconv 0i_i)
std::vector<uint8_t> CallThenReturn(uint32_t callee) {
  return {0x79, 0x58, uint8_t(callee), uint8_t(callee >> 8), uint8_t(callee >> 16),
          uint8_t(callee >> 24), 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
          0x5A, 0x00, 0x01, 0x00, 0x01, 0x00};
}

FunctionSpec Function(std::vector<uint8_t> code, uint16_t i32_registers, uint16_t refs = 0) {
  FunctionSpec function;
  function.cconv = "0i_i";
  function.code = std::move(code);
  function.i32_registers = i32_registers;
  function.ref_registers = refs;
  return function;
}

class StackBoundTest : public ::testing::Test {
 protected:
  StackBoundTest() : region_(1 << 20), arena_(MutableByteSpan(region_.data(), region_.size())) {}
  ~StackBoundTest() override {
    if (context_) Context::Destroy(context_);
    if (module_) vmfb::FreeModule(arena_, module_);
    EXPECT_EQ(arena_.stats().live_allocations, 0u);
  }

  Status Load(const ModuleSpec& spec, const ContextOptions& options) {
    bytes_ = BuildModule(spec);
    Result<vmfb::Module*> module =
        vmfb::LoadVerifiedModule(ByteSpan(bytes_.data(), bytes_.size()), arena_, message_);
    if (!module.ok()) return module.status();
    module_ = module.value();
    Result<Context*> context = Context::Create(arena_, options);
    if (!context.ok()) return context.status();
    context_ = context.value();
    return context_->LoadModule(*module_);
  }

  Status CallMain() {
    Value args[] = {Value::I32(7)};
    Value results[1];
    size_t count = 0;
    return context_->Invoke("main", args, results, &count);
  }

  std::vector<uint8_t> region_;
  Arena arena_;
  std::vector<uint8_t> bytes_;
  vmfb::ErrorMessage message_;
  vmfb::Module* module_ = nullptr;
  Context* context_ = nullptr;
};

// main -> f1 -> f2, plus f3 -> f2 (a shallower chain); f2 returns its argument.
ModuleSpec Chain() {
  ModuleSpec spec;
  spec.functions = {Function(CallThenReturn(1), 2), Function(CallThenReturn(2), 30, 3),
                    Function({0x79, 0x5A, 0x01, 0x00, 0x00, 0x00}, 5, 1),
                    Function(CallThenReturn(2), 2)};
  return spec;
}

TEST_F(StackBoundTest, DeepestChainSizesTheStack) {
  ModuleSpec spec = Chain();
  ASSERT_TRUE(Load(spec, ContextOptions()).ok());
  const auto& functions = module_->functions();
  size_t expected = 0;
  for (uint32_t f : {0u, 1u, 2u}) expected += AlignUp(FrameBytes(functions[f]), 16);
  Result<size_t> deepest = DeepestCallChainBytes(*module_, arena_, message_);
  ASSERT_TRUE(deepest.ok());
  EXPECT_EQ(deepest.value(), expected);
  EXPECT_EQ(context_->stack_bytes(), expected);
  EXPECT_TRUE(CallMain().ok());
}

TEST_F(StackBoundTest, ConfiguredStackStaysTheLimit) {
  ContextOptions options;
  options.stack_bytes = AlignUp(FrameBytes({}), 16);  // not even the entry frame fits
  ASSERT_TRUE(Load(Chain(), options).ok());
  EXPECT_EQ(context_->stack_bytes(), options.stack_bytes);
  Status status = CallMain();
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
}

TEST_F(StackBoundTest, RecursionGetsTheConfiguredStackAndOverflowsCleanly) {
  ModuleSpec spec;
  spec.functions = {Function(CallThenReturn(0), 2)};
  ContextOptions options;
  options.stack_bytes = 4096;
  options.max_depth = 1u << 20;  // the bytes run out first
  ASSERT_TRUE(Load(spec, options).ok());
  Result<size_t> deepest = DeepestCallChainBytes(*module_, arena_, message_);
  ASSERT_TRUE(deepest.ok());
  EXPECT_EQ(deepest.value(), 0u);
  EXPECT_EQ(context_->stack_bytes(), 4096u);
  Status status = CallMain();
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(std::string(status.message()).find("stack overflow"), std::string::npos);
  // The context stays usable after the overflow unwound every frame.
  EXPECT_EQ(CallMain().code(), StatusCode::kResourceExhausted);
}

TEST_F(StackBoundTest, MutualRecursionIsDetected) {
  ModuleSpec spec;
  spec.functions = {Function(CallThenReturn(1), 2), Function(CallThenReturn(2), 2),
                    Function(CallThenReturn(1), 2)};
  ContextOptions options;
  options.stack_bytes = 2048;
  ASSERT_TRUE(Load(spec, options).ok());
  EXPECT_EQ(context_->stack_bytes(), 2048u);
  EXPECT_EQ(CallMain().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace bmrt::vm
