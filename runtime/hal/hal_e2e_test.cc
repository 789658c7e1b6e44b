// Compiled modules run end to end: the bytecode module is loaded and verified, linked against
// the hal module, initialized (device selection, executable creation, memoized command
// buffers) and invoked; outputs are compared with numpy-computed references.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "runtime/elf/testing/host_code_memory.h"
#include "runtime/hal/buffer_view.h"
#include "runtime/hal/hal_module.h"
#include "runtime/hal/hal_types.h"
#include "runtime/vm/context.h"
#include "runtime/vmfb/verifier.h"

namespace bmrt::hal {
namespace {

using elf::testing::ReadFloats;
using elf::testing::ReadSample;

constexpr uint32_t kFloat32 = 0x21000020;

class HalEndToEndTest : public ::testing::Test {
 protected:
  virtual const char* ModuleFile() const { return "elementwise_x86_64.vmfb"; }
  virtual size_t ArchiveOffset() const { return 0; }

  void SetUp() override {
    ASSERT_FALSE(elf::testing::SamplesDirectory().empty()) << "BMRT_HAL_SAMPLES is not set";
    arena_.Initialize(MutableByteSpan(storage_.data(), storage_.size()));
    ASSERT_TRUE(hal_.Initialize(arena_, code_.code_memory()).ok());
    std::vector<uint8_t> file = ReadSample(ModuleFile());
    ASSERT_FALSE(file.empty());
    // The archive may sit at an offset that misaligns its constants (see MisplacedMagicWand).
    archive_.assign(ArchiveOffset() + file.size() + 64, 0);
    uint8_t* start = archive_.data() + (64 - reinterpret_cast<uintptr_t>(archive_.data()) % 64) % 64 +
                     ArchiveOffset();
    memcpy(start, file.data(), file.size());
    Result<vmfb::Module*> module =
        vmfb::LoadVerifiedModule(ByteSpan(start, file.size()), arena_, message_);
    ASSERT_TRUE(module.ok()) << message_.text;
    module_ = module.value();
    Result<vm::Context*> context = vm::Context::Create(arena_);
    ASSERT_TRUE(context.ok());
    context_ = context.value();
    ASSERT_TRUE(context_->RegisterNativeModule(HalModule::Definition(), &hal_).ok());
    Status status = context_->LoadModule(*module_);
    ASSERT_TRUE(status.ok()) << status.message();
  }

  void TearDown() override {
    if (context_ != nullptr) vm::Context::Destroy(context_);
    if (module_ != nullptr) vmfb::FreeModule(arena_, module_);
    hal_.Deinitialize();
    EXPECT_EQ(arena_.stats().live_allocations, 0u) << "something leaked";
  }

  vm::Value Tensor(const std::vector<float>& values, std::vector<int64_t> shape = {}) {
    if (shape.empty()) shape = {int64_t(values.size())};
    Buffer* buffer = hal_.device()->allocator().Allocate(0, 0, values.size() * 4).value();
    memcpy(buffer->data(), values.data(), values.size() * 4);
    BufferView* view = BufferView::Create(arena_, *buffer, Span<const int64_t>(shape.data(), shape.size()),
                                          kFloat32, kEncodingDenseRowMajor)
                           .value();
    buffer->Release();
    return vm::Value::FromRef(vm::Ref::Adopt(view));
  }

  static std::vector<float> Floats(const vm::Value& value) {
    BufferView* view = value.ref.As<BufferView>();
    if (view == nullptr) return {};
    std::vector<float> out(view->buffer()->length() / 4);
    memcpy(out.data(), view->buffer()->data(), out.size() * 4);
    return out;
  }

  static void ExpectNear(const std::vector<float>& actual, const std::vector<float>& expected) {
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
      ASSERT_NEAR(actual[i], expected[i], 1e-5f * (1.0f + std::fabs(expected[i]))) << i;
    }
  }

  elf::testing::HostCodeMemory code_;
  std::vector<uint8_t> storage_ = std::vector<uint8_t>(16 << 20);
  Arena arena_;
  HalModule hal_;
  vmfb::ErrorMessage message_;
  std::vector<uint8_t> archive_;
  vmfb::Module* module_ = nullptr;
  vm::Context* context_ = nullptr;
};

TEST_F(HalEndToEndTest, MemoizedStaticKernelMatchesNumpy) {
  std::vector<float> expected = ReadFloats("mul_add_expected.bin");
  for (int round = 0; round < 3; ++round) {  // replays the command buffer recorded at init
    vm::Value args[] = {Tensor(ReadFloats("mul_add_a.bin")), Tensor(ReadFloats("mul_add_b.bin")),
                        Tensor(ReadFloats("mul_add_c.bin"))};
    vm::Value results[2];
    size_t count = 0;
    Status status = context_->Invoke("mul_add", args, results, &count);
    ASSERT_TRUE(status.ok()) << status.message();
    ASSERT_EQ(count, 1u);
    ExpectNear(Floats(results[0]), expected);
  }
}

TEST_F(HalEndToEndTest, DynamicKernelWithPushConstantsMatchesNumpy) {
  vm::Value args[] = {Tensor(ReadFloats("scale_dynamic_a.bin")),
                      Tensor(ReadFloats("scale_dynamic_b.bin"))};
  vm::Value results[2];
  size_t count = 0;
  Status status = context_->Invoke("scale_dynamic", args, results, &count);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(count, 1u);
  ExpectNear(Floats(results[0]), ReadFloats("scale_dynamic_expected.bin"));
}

TEST_F(HalEndToEndTest, ShapeMismatchFailsWithTheModulesMessage) {
  std::vector<float> short_input(999, 1.0f);
  vm::Value args[] = {Tensor(short_input), Tensor(short_input), Tensor(short_input)};
  vm::Value results[2];
  size_t count = 0;
  Status status = context_->Invoke("mul_add", args, results, &count);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("input0"), std::string::npos) << status.message();
}

// The float magic-wand model (converted from TFLite, compiled for x86_64) against IREE's own
// runtime on the same inputs. Batch 1 and batch 3 take different branches of the module.
class MagicWandTest : public HalEndToEndTest {
 protected:
  const char* ModuleFile() const override { return "magic_wand_x86_64.vmfb"; }

  void ExpectMatchesIreeRuntime() {
    for (int64_t batch : {1, 3, 1}) {
      std::string stem = "magic_wand_b" + std::to_string(batch);
      std::vector<float> input = ReadFloats(stem + "_input.bin");
      std::vector<float> expected = ReadFloats(stem + "_output.bin");
      ASSERT_EQ(input.size(), size_t(batch * 128 * 3));
      ASSERT_EQ(expected.size(), size_t(batch * 4));
      vm::Value args[] = {Tensor(input, {batch, 128, 3, 1})};
      vm::Value results[2];
      size_t count = 0;
      Status status = context_->Invoke("main", args, results, &count);
      ASSERT_TRUE(status.ok()) << status.message();
      ASSERT_EQ(count, 1u);
      BufferView* view = results[0].ref.As<BufferView>();
      ASSERT_NE(view, nullptr);
      ASSERT_EQ(view->rank(), 2u);
      EXPECT_EQ(view->shape()[0], batch);
      EXPECT_EQ(view->shape()[1], 4);
      ExpectNear(Floats(results[0]), expected);
    }
  }
};

TEST_F(MagicWandTest, MatchesTheIreeRuntime) {
  // The weights are used in place.
  EXPECT_GE(hal_.device()->allocator().stats().imports, 1u);
  EXPECT_EQ(hal_.device()->allocator().stats().imports_refused, 0u);
  ExpectMatchesIreeRuntime();
}

// Archive at an address that is 8 mod 16: constant imports are refused and the module takes
// its fallback path (allocate, file from memory, queue.read); results are the same.
class MisplacedMagicWandTest : public MagicWandTest {
 protected:
  size_t ArchiveOffset() const override { return 8; }
};

TEST_F(MisplacedMagicWandTest, FallsBackToCopiedConstants) {
  EXPECT_GE(hal_.device()->allocator().stats().imports_refused, 1u);
  ExpectMatchesIreeRuntime();
}

}  // namespace
}  // namespace bmrt::hal
