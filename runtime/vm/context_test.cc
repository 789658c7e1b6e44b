// Runs modules compiled from the corpus (tests/vm) by the pinned iree-compile at build time.
#include "runtime/vm/context.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "runtime/vm/buffer.h"
#include "runtime/vm/test_module.h"
#include "runtime/vmfb/verifier.h"

namespace bmrt::vm {
namespace {

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(file)),
                              std::istreambuf_iterator<char>());
}

class ContextTest : public ::testing::Test {
 protected:
  ContextTest() : region_(4 << 20), arena_(MutableByteSpan(region_.data(), region_.size())) {}
  ~ContextTest() override {
    if (context_) Context::Destroy(context_);
    if (module_) vmfb::FreeModule(arena_, module_);
  }

  // Loads `name`.vmfb from the test module directory into a fresh context.
  Status Load(const char* name, const ContextOptions& options = {}) {
    bytes_ = ReadFile(std::string(BMRT_VM_TEST_MODULES) + "/" + name + ".vmfb");
    if (bytes_.empty()) return NotFound("test module missing");
    Result<vmfb::Module*> module =
        vmfb::LoadVerifiedModule(ByteSpan(bytes_.data(), bytes_.size()), arena_, message_);
    if (!module.ok()) return module.status();
    module_ = module.value();
    Result<Context*> context = Context::Create(arena_, options);
    if (!context.ok()) return context.status();
    context_ = context.value();
    BMRT_RETURN_IF_ERROR(context_->RegisterNativeModule(kNativeTestModule, nullptr));
    return context_->LoadModule(*module_);
  }

  Status Call(const char* function, std::vector<Value> args, std::vector<Value>* results) {
    results->resize(8);
    size_t count = 0;
    Status status = context_->Invoke(function, Span<const Value>(args.data(), args.size()),
                                     Span<Value>(results->data(), results->size()), &count);
    results->resize(count);
    return status;
  }

  std::vector<uint8_t> region_;
  Arena arena_;
  std::vector<uint8_t> bytes_;
  vmfb::ErrorMessage message_;
  vmfb::Module* module_ = nullptr;
  Context* context_ = nullptr;
};

TEST_F(ContextTest, RunsInitializerAndKeepsGlobalsAcrossCalls) {
  ASSERT_TRUE(Load("vm_globals_calls").ok());
  std::vector<Value> results;
  ASSERT_TRUE(Call("counter", {Value::I32(5)}, &results).ok());
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].i32(), 5);
  EXPECT_EQ(results[1].i32(), 1000);  // stored by the module's initializer (__init)
  EXPECT_EQ(results[2].i32(), 41);    // the global's initial value
  ASSERT_TRUE(Call("counter", {Value::I32(-2)}, &results).ok());
  EXPECT_EQ(results[0].i32(), 3);
}

TEST_F(ContextTest, MarshalsI64AndRefsThroughInternalCalls) {
  ASSERT_TRUE(Load("vm_globals_calls").ok());
  std::vector<Value> results;
  int64_t v = -1234567890123ll;
  ASSERT_TRUE(Call("chain", {Value::I32(9), Value::I64(v)}, &results).ok());
  ASSERT_EQ(results.size(), 3u);
  // level1 applies level2 twice; level2 computes (x + 1) * 3.
  EXPECT_EQ(results[0].i64(), ((v + 1) * 3 + 1) * 3);
  EXPECT_EQ(results[1].i32(), 9);
  EXPECT_EQ(results[2].i32(), 1);  // the same buffer came back up the chain
}

TEST_F(ContextTest, CallDepthIsLimited) {
  ContextOptions options;
  options.max_depth = 2;
  ASSERT_TRUE(Load("vm_globals_calls", options).ok());
  std::vector<Value> results;
  Status status = Call("chain", {Value::I32(1), Value::I64(1)}, &results);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(std::string(status.message()).find("stack overflow"), std::string::npos);
}

TEST_F(ContextTest, RejectsArgumentsNotMatchingTheSignature) {
  ASSERT_TRUE(Load("vm_globals_calls").ok());
  std::vector<Value> results;
  EXPECT_EQ(Call("counter", {Value::F32(1.0f)}, &results).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Call("counter", {}, &results).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Call("no_such_function", {}, &results).code(), StatusCode::kNotFound);
}

TEST_F(ContextTest, CallsNativeImportsAndReportsTheirFailures) {
  ASSERT_TRUE(Load("imports").ok());
  std::vector<Value> results;
  ASSERT_TRUE(Call("sum_import", {Value::I64(10), Value::I32(3), Value::I64(4)}, &results).ok());
  EXPECT_EQ(results[0].i64(), 10 + 3 * 4 + 3 * 10);
  EXPECT_EQ(results[1].i32(), 2);
  ASSERT_TRUE(Call("resolved_import", {}, &results).ok());
  EXPECT_EQ(results[0].i32(), 0);
  EXPECT_EQ(results[1].i32(), 1);
  Status status = Call("fail_import", {Value::I32(3)}, &results);
  EXPECT_EQ(status.code(), StatusCode::kAborted);
  EXPECT_NE(std::string(status.message()).find("native_test.fail called with 3"),
            std::string::npos);
}

TEST_F(ContextTest, MissingRequiredImportFailsLinkingByName) {
  Status status = Load("missing_import");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(std::string(status.message()).find("native_test.no_such_function"),
            std::string::npos);
}

TEST_F(ContextTest, VmFailMessageIsCopiedIntoTheStatus) {
  ASSERT_TRUE(Load("vm_control").ok());
  std::vector<Value> results;
  Status status = Call("checked", {Value::I32(0)}, &results);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(status.message()).find("value must not be zero"), std::string::npos);
}

TEST_F(ContextTest, ReturnedRefsOutliveTheCallAndEverythingIsFreed) {
  size_t baseline = arena_.stats().live_allocations;
  ASSERT_TRUE(Load("vm_lists").ok());
  {
    std::vector<Value> results;
    ASSERT_TRUE(Call("returned", {Value::I32(3)}, &results).ok());
    ASSERT_EQ(results.size(), 1u);
    ASSERT_TRUE(results[0].ref);
    EXPECT_EQ(results[0].ref.type(), RefType::kList);
  }
  Context::Destroy(context_);
  context_ = nullptr;
  vmfb::FreeModule(arena_, module_);
  module_ = nullptr;
  EXPECT_EQ(arena_.stats().live_allocations, baseline);
}

}  // namespace
}  // namespace bmrt::vm
