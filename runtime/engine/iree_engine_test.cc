// IreeEngine on the host: the magic-wand model (compiled for x86_64 by the hal samples fixture)
// against IREE's runtime outputs, spec checks, malformed kernels and arena accounting.
#include "runtime/engine/iree_engine.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/elf/testing/host_code_memory.h"

namespace bmrt::engine {
namespace {

using elf::testing::ReadSample;

protocol::TensorSpec Tensor(std::vector<uint32_t> dims, protocol::ElementCode code =
                                protocol::ElementCode::kFloat, uint8_t bits = 32) {
  protocol::TensorSpec tensor;
  tensor.rank = uint32_t(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) tensor.dims[i] = dims[i];
  tensor.type.code = code;
  tensor.type.bits = bits;
  return tensor;
}

protocol::ModelSpec MagicWandSpec(const char* entry = "") {
  protocol::ModelSpec spec;
  spec.num_inputs = 1;
  spec.inputs[0] = Tensor({1, 128, 3, 1});
  spec.num_outputs = 1;
  spec.outputs[0] = Tensor({1, 4});
  strncpy(spec.entry_function, entry, protocol::kMaxNameLength);
  return spec;
}

class IreeEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(elf::testing::SamplesDirectory().empty()) << "BMRT_HAL_SAMPLES is not set";
    ASSERT_TRUE(code_.ok());
    arena_.Initialize(MutableByteSpan(storage_.data(), storage_.size()));
    std::vector<uint8_t> file = ReadSample("magic_wand_x86_64.vmfb");
    ASSERT_FALSE(file.empty());
    // The server keeps uploads 16-byte aligned in its arena; so does this test.
    module_ = static_cast<uint8_t*>(arena_.Allocate(file.size()));
    ASSERT_NE(module_, nullptr);
    memcpy(module_, file.data(), file.size());
    module_size_ = file.size();
    input_ = ReadSample("magic_wand_b1_input.bin");
    expected_ = ReadSample("magic_wand_b1_output.bin");
    ASSERT_EQ(input_.size(), 128u * 3 * 4);
    ASSERT_EQ(expected_.size(), 16u);
    baseline_ = arena_.stats().bytes_in_use;
    code_baseline_ = code_.arena().stats().bytes_in_use;
  }

  void ExpectBaseline() {
    EXPECT_EQ(arena_.stats().bytes_in_use, baseline_);
    EXPECT_EQ(code_.arena().stats().bytes_in_use, code_baseline_);
  }

  IreeEngineOptions Options() {
    IreeEngineOptions options;
    options.code = code_.code_memory();
    return options;
  }

  ByteSpan module() const { return ByteSpan(module_, module_size_); }

  elf::testing::HostCodeMemory code_;
  std::vector<uint8_t> storage_ = std::vector<uint8_t>(32 << 20);
  Arena arena_;
  uint8_t* module_ = nullptr;
  size_t module_size_ = 0;
  std::vector<uint8_t> input_, expected_;
  size_t baseline_ = 0, code_baseline_ = 0;
};

TEST_F(IreeEngineTest, MagicWandMatchesIreeRuntimeBitForBit) {
  IreeEngine engine(arena_, Options());
  Status status = engine.LoadModel(module(), MagicWandSpec());
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(engine.input_element_type(0), 0x21000020u);
  std::vector<uint8_t> output(16, 0xEE);
  for (int round = 0; round < 3; ++round) {
    status = engine.Run(ByteSpan(input_.data(), input_.size()), MutableByteSpan(output.data(), 16));
    ASSERT_TRUE(status.ok()) << status.message();
    EXPECT_EQ(output, expected_);
  }
  engine.UnloadModel();
  ExpectBaseline();
}

TEST_F(IreeEngineTest, LoadRunUnloadHundredTimesReturnsToBaseline) {
  IreeEngine engine(arena_, Options());
  std::vector<uint8_t> output(16);
  size_t peak_after_first = 0;
  for (int i = 0; i < 100; ++i) {
    Status status = engine.LoadModel(module(), MagicWandSpec(i % 2 ? "module.main" : "main"));
    ASSERT_TRUE(status.ok()) << i << ": " << status.message();
    status = engine.Run(ByteSpan(input_.data(), input_.size()), MutableByteSpan(output.data(), 16));
    ASSERT_TRUE(status.ok()) << status.message();
    ASSERT_EQ(output, expected_);
    engine.UnloadModel();
    ASSERT_EQ(arena_.stats().bytes_in_use, baseline_) << "round " << i;
    ASSERT_EQ(code_.arena().stats().bytes_in_use, code_baseline_) << "round " << i;
    if (i == 0) peak_after_first = arena_.stats().peak_bytes_in_use;
  }
  EXPECT_EQ(arena_.stats().peak_bytes_in_use, peak_after_first);  // no creeping fragmentation
}

TEST_F(IreeEngineTest, EntryNames) {
  EXPECT_EQ(IreeEngine::EntryName(""), StringView("main"));
  EXPECT_EQ(IreeEngine::EntryName("module.main"), StringView("main"));
  EXPECT_EQ(IreeEngine::EntryName("module.predict"), StringView("predict"));
  EXPECT_EQ(IreeEngine::EntryName("predict"), StringView("predict"));
  IreeEngine engine(arena_, Options());
  Status status = engine.LoadModel(module(), MagicWandSpec("forward"));
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(std::string(status.message()).find("forward"), std::string::npos) << status.message();
  EXPECT_FALSE(engine.loaded());
  ExpectBaseline();
}

TEST_F(IreeEngineTest, SpecsThatDoNotFitTheModelAreRejectedAndLeaveNothingLoaded) {
  IreeEngine engine(arena_, Options());
  std::vector<protocol::ModelSpec> specs(5, MagicWandSpec());
  specs[0].num_inputs = 2;
  specs[0].inputs[1] = Tensor({4});
  specs[1].num_outputs = 2;
  specs[1].outputs[1] = Tensor({4});
  specs[2].outputs[0] = Tensor({1, 4}, protocol::ElementCode::kInt, 8);   // model returns f32
  specs[3].inputs[0] = Tensor({1, 128, 3});                               // rank differs
  specs[4].outputs[0] = Tensor({1, 5});                                   // dim differs
  for (size_t i = 0; i < specs.size(); ++i) {
    Status status = engine.LoadModel(module(), specs[i]);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << i << ": " << status.message();
    EXPECT_FALSE(engine.loaded());
    ExpectBaseline();
  }
}

TEST_F(IreeEngineTest, RunChecksTensorSizes) {
  IreeEngine engine(arena_, Options());
  ASSERT_TRUE(engine.LoadModel(module(), MagicWandSpec()).ok());
  std::vector<uint8_t> output(16);
  EXPECT_FALSE(engine.Run(ByteSpan(input_.data(), 100), MutableByteSpan(output.data(), 16)).ok());
  EXPECT_FALSE(engine.Run(ByteSpan(input_.data(), input_.size()), MutableByteSpan(output.data(), 8)).ok());
  engine.UnloadModel();
  EXPECT_EQ(engine.Run(ByteSpan(input_.data(), input_.size()), MutableByteSpan(output.data(), 16)).code(),
            StatusCode::kFailedPrecondition);
}

// Breaks the embedded kernel library (its ELF header's machine field) inside the archive: the
// module still verifies, but its initializer cannot load the executable.
TEST_F(IreeEngineTest, MalformedKernelElfIsRejectedWithAReason) {
  size_t elf = 0;
  for (size_t i = 0; i + 4 <= module_size_; ++i) {
    if (memcmp(module_ + i, "\x7f" "ELF", 4) == 0) {
      elf = i;
      break;
    }
  }
  ASSERT_NE(elf, 0u) << "no embedded ELF found";
  module_[elf + 18] ^= 0x55;  // e_machine
  IreeEngine engine(arena_, Options());
  Status status = engine.LoadModel(module(), MagicWandSpec());
  ASSERT_FALSE(status.ok());
  std::string message = status.message();
  EXPECT_NE(message.find("model initialization failed"), std::string::npos) << message;
  EXPECT_TRUE(message.find("ELF") != std::string::npos || message.find("elf") != std::string::npos ||
              message.find("machine") != std::string::npos) << message;
  EXPECT_FALSE(engine.loaded());
  ExpectBaseline();
}

TEST_F(IreeEngineTest, GarbageModuleIsRejected) {
  memset(module_, 0x5A, 64);
  IreeEngine engine(arena_, Options());
  Status status = engine.LoadModel(module(), MagicWandSpec());
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string(status.message()).find("model rejected"), std::string::npos) << status.message();
  ExpectBaseline();
}

uint64_t fake_counter = 0;
uint64_t ReadFakeCounter() { return fake_counter += 10; }

TEST_F(IreeEngineTest, CountsDispatchesAndKernelTime) {
  IreeEngineOptions options = Options();
  options.read_counter = &ReadFakeCounter;
  IreeEngine engine(arena_, options);
  ASSERT_TRUE(engine.LoadModel(module(), MagicWandSpec()).ok());
  std::vector<uint8_t> output(16);
  ASSERT_TRUE(engine.Run(ByteSpan(input_.data(), input_.size()), MutableByteSpan(output.data(), 16)).ok());
  EXPECT_GT(engine.last_dispatches(), 0u);
  EXPECT_EQ(engine.last_kernel_count(), 10 * engine.last_dispatches());  // one delta per dispatch
}

}  // namespace
}  // namespace bmrt::engine

namespace bmrt::engine {
namespace {

// A dynamic-shape function passes the load-time checks for any length; the output it actually
// returns is checked at Run against the IO spec (shape and byte size), never copied blindly.
TEST(IreeEngineRunChecks, OutputThatDiffersFromTheSpecIsAnError) {
  ASSERT_FALSE(elf::testing::SamplesDirectory().empty()) << "BMRT_HAL_SAMPLES is not set";
  elf::testing::HostCodeMemory code;
  std::vector<uint8_t> storage(16 << 20);
  Arena arena(MutableByteSpan(storage.data(), storage.size()));
  std::vector<uint8_t> file = ReadSample("elementwise_x86_64.vmfb");
  ASSERT_FALSE(file.empty());
  auto* bytes = static_cast<uint8_t*>(arena.Allocate(file.size()));
  memcpy(bytes, file.data(), file.size());
  const size_t baseline = arena.stats().bytes_in_use;

  protocol::ModelSpec spec;
  spec.num_inputs = 2;
  spec.inputs[0] = spec.inputs[1] = Tensor({8});
  spec.num_outputs = 1;
  spec.outputs[0] = Tensor({8});
  strncpy(spec.entry_function, "scale_dynamic", protocol::kMaxNameLength);
  IreeEngineOptions options;
  options.code = code.code_memory();
  IreeEngine engine(arena, options);
  Status status = engine.LoadModel(ByteSpan(bytes, file.size()), spec);
  ASSERT_TRUE(status.ok()) << status.message();
  std::vector<float> inputs(16, 2.0f), outputs(8, 0.0f);
  ByteSpan in(reinterpret_cast<const uint8_t*>(inputs.data()), 64);
  status = engine.Run(in, MutableByteSpan(reinterpret_cast<uint8_t*>(outputs.data()), 32));
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(outputs, std::vector<float>(8, 6.0f));  // a * b + a
  engine.UnloadModel();

  spec.outputs[0] = Tensor({4});  // the function returns 8 elements
  ASSERT_TRUE(engine.LoadModel(ByteSpan(bytes, file.size()), spec).ok());
  std::vector<float> short_output(4, -1.0f);
  status = engine.Run(in, MutableByteSpan(reinterpret_cast<uint8_t*>(short_output.data()), 16));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("output 0"), std::string::npos) << status.message();
  EXPECT_EQ(short_output, std::vector<float>(4, -1.0f));  // nothing copied
  engine.UnloadModel();

  spec.outputs[0] = Tensor({8}, protocol::ElementCode::kInt, 32);  // declared f32 -> refused
  EXPECT_EQ(engine.LoadModel(ByteSpan(bytes, file.size()), spec).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(arena.stats().bytes_in_use, baseline);
}

}  // namespace
}  // namespace bmrt::engine
