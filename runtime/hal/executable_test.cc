#include "runtime/hal/executable.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "runtime/elf/testing/host_code_memory.h"
#include "runtime/hal/command_buffer.h"
#include "runtime/hal/device.h"

namespace bmrt::hal {
namespace {

using elf::testing::HostCodeMemory;
using elf::testing::ReadFloats;
using elf::testing::ReadSample;

class ExecutableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(code_.ok());
    ASSERT_FALSE(elf::testing::SamplesDirectory().empty()) << "BMRT_HAL_SAMPLES is not set";
    library_ = ReadSample("elementwise_x86_64.so");
    ASSERT_FALSE(library_.empty());
    arena_.Initialize(MutableByteSpan(storage_.data(), storage_.size()));
  }

  Executable* Create() {
    Result<Executable*> executable =
        Executable::Create(arena_, code_.code_memory(), "embedded-elf-x86_64",
                           ByteSpan(library_.data(), library_.size()), ByteSpan(), error_);
    EXPECT_TRUE(executable.ok()) << executable.status().message();
    return executable.ok() ? executable.value() : nullptr;
  }

  uint32_t FindExport(Executable& executable, const std::string& prefix) {
    for (uint32_t i = 0; i < executable.export_count(); ++i) {
      StringView name = executable.export_name(i);
      if (std::string(name.data(), name.size()).rfind(prefix, 0) == 0) return i;
    }
    ADD_FAILURE() << "no export starts with " << prefix;
    return 0;
  }

  static void ExpectNear(const std::vector<float>& actual, const std::vector<float>& expected) {
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
      ASSERT_NEAR(actual[i], expected[i], 1e-5f * (1.0f + std::fabs(expected[i]))) << "index " << i;
    }
  }

  HostCodeMemory code_;
  std::vector<uint8_t> storage_ = std::vector<uint8_t>(8 << 20);
  Arena arena_;
  elf::ErrorText error_;
  std::vector<uint8_t> library_;
};

TEST(ExecutableFormat, NamesTheHostFormat) {
  EXPECT_TRUE(Executable::NativeFormat() == StringView("embedded-elf-x86_64"));
}

TEST_F(ExecutableTest, ListsExportsWithAttributes) {
  Executable* executable = Create();
  ASSERT_NE(executable, nullptr);
  EXPECT_EQ(executable->export_count(), 2u);
  uint32_t mul_add = FindExport(*executable, "mul_add_dispatch_0");
  uint32_t scale = FindExport(*executable, "scale_dynamic_dispatch_0");
  EXPECT_EQ(executable->attrs(mul_add).binding_count, 4);
  EXPECT_EQ(executable->attrs(mul_add).constant_count, 0);
  EXPECT_EQ(executable->attrs(scale).binding_count, 3);
  EXPECT_EQ(executable->attrs(scale).constant_count, 4);
  Result<uint32_t> found = executable->LookupFunction(executable->export_name(scale));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value(), scale);
  EXPECT_EQ(executable->LookupFunction("nope").status().code(), StatusCode::kNotFound);
  executable->Release();
  EXPECT_EQ(arena_.stats().live_allocations, 0u);
  EXPECT_EQ(code_.arena().stats().live_allocations, 0u);
}

struct ObservedLoad {
  uintptr_t image = 0;
  size_t image_size = 0;
  std::vector<std::pair<uintptr_t, std::string>> exports;
};

TEST_F(ExecutableTest, TellsTheLoadObserverWhereTheImageAndEachExportAre) {
  ObservedLoad seen;
  elf::LoadObserver observer;
  observer.context = &seen;
  observer.image_loaded = [](void* context, const void* base, size_t size) {
    static_cast<ObservedLoad*>(context)->image = uintptr_t(base);
    static_cast<ObservedLoad*>(context)->image_size = size;
  };
  observer.export_loaded = [](void* context, const void* entry, StringView name) {
    static_cast<ObservedLoad*>(context)->exports.emplace_back(
        uintptr_t(entry), std::string(name.data(), name.size()));
  };
  elf::CodeMemory code = code_.code_memory();
  code.load_observer = &observer;
  Result<Executable*> created =
      Executable::Create(arena_, code, "embedded-elf-x86_64",
                         ByteSpan(library_.data(), library_.size()), ByteSpan(), error_);
  ASSERT_TRUE(created.ok()) << created.status().message();
  Executable* executable = created.value();
  ASSERT_NE(seen.image, 0u);
  ASSERT_EQ(seen.exports.size(), executable->export_count());
  for (uint32_t i = 0; i < executable->export_count(); ++i) {
    StringView name = executable->export_name(i);
    EXPECT_EQ(seen.exports[i].second, std::string(name.data(), name.size()));
    EXPECT_GE(seen.exports[i].first, seen.image);
    EXPECT_LT(seen.exports[i].first, seen.image + seen.image_size);
  }
  executable->Release();
}

TEST_F(ExecutableTest, AFailedLoadTellsTheObserverNothing) {
  int calls = 0;
  elf::LoadObserver observer;
  observer.context = &calls;
  observer.image_loaded = [](void* context, const void*, size_t) { ++*static_cast<int*>(context); };
  elf::CodeMemory code = code_.code_memory();
  code.load_observer = &observer;
  uint32_t constant = 1;  // the library declares no constants: the load fails after relocation
  Result<Executable*> created = Executable::Create(
      arena_, code, "embedded-elf-x86_64", ByteSpan(library_.data(), library_.size()),
      ByteSpan(reinterpret_cast<const uint8_t*>(&constant), 4), error_);
  EXPECT_FALSE(created.ok());
  EXPECT_EQ(calls, 0);
}

TEST_F(ExecutableTest, DispatchesMulAddLikeNumpy) {
  Executable* executable = Create();
  ASSERT_NE(executable, nullptr);
  std::vector<float> a = ReadFloats("mul_add_a.bin"), b = ReadFloats("mul_add_b.bin"),
                     c = ReadFloats("mul_add_c.bin"), expected = ReadFloats("mul_add_expected.bin");
  ASSERT_EQ(a.size(), 1000u);
  std::vector<float> out(a.size(), -1.0f);
  void* pointers[] = {a.data(), b.data(), c.data(), out.data()};
  size_t lengths[] = {4000, 4000, 4000, 4000};
  DispatchParams params;
  params.binding_ptrs = Span<void* const>(pointers, 4);
  params.binding_lengths = Span<const size_t>(lengths, 4);
  Status status = executable->Dispatch(FindExport(*executable, "mul_add_dispatch_0"), params,
                                       arena_, error_);
  ASSERT_TRUE(status.ok()) << status.message();
  ExpectNear(out, expected);
  executable->Release();
}

TEST_F(ExecutableTest, RejectsBindingCountMismatch) {
  Executable* executable = Create();
  ASSERT_NE(executable, nullptr);
  float data[4] = {};
  void* pointers[] = {data, data, data};
  size_t lengths[] = {16, 16, 16};
  DispatchParams params;
  params.binding_ptrs = Span<void* const>(pointers, 3);
  params.binding_lengths = Span<const size_t>(lengths, 3);
  Status status = executable->Dispatch(FindExport(*executable, "mul_add_dispatch_0"), params,
                                       arena_, error_);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("4 bindings"), std::string::npos)
      << status.message();
  EXPECT_EQ(executable->Dispatch(7, params, arena_, error_).code(), StatusCode::kOutOfRange);
  executable->Release();
}

TEST_F(ExecutableTest, RejectsOtherFormatsAndBadLibraries) {
  Result<Executable*> rv32 = Executable::Create(arena_, code_.code_memory(),
                                                "embedded-elf-riscv_32",
                                                ByteSpan(library_.data(), library_.size()),
                                                ByteSpan(), error_);
  EXPECT_EQ(rv32.status().code(), StatusCode::kUnimplemented);
  std::vector<uint8_t> truncated(library_.begin(), library_.begin() + 200);
  Result<Executable*> bad =
      Executable::Create(arena_, code_.code_memory(), "embedded-elf-x86_64",
                         ByteSpan(truncated.data(), truncated.size()), ByteSpan(), error_);
  EXPECT_FALSE(bad.ok());
  uint32_t constants[2] = {1, 2};
  Result<Executable*> extra = Executable::Create(
      arena_, code_.code_memory(), "embedded-elf-x86_64", ByteSpan(library_.data(), library_.size()),
      ByteSpan(reinterpret_cast<uint8_t*>(constants), sizeof(constants)), error_);
  EXPECT_EQ(extra.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(arena_.stats().live_allocations, 0u);
  EXPECT_EQ(code_.arena().stats().live_allocations, 0u);
}

// The dynamic kernel through a recorded command buffer: its three bindings come from the
// binding table at execute time, its length from push constants, and it spans 3 workgroups.
TEST_F(ExecutableTest, ReplaysRecordedDynamicDispatchWithBindingTable) {
  Result<Device*> device_result = Device::Create(arena_, code_.code_memory());
  ASSERT_TRUE(device_result.ok());
  Device* device = device_result.value();
  Executable* executable = Create();
  ASSERT_NE(executable, nullptr);
  std::vector<float> a = ReadFloats("scale_dynamic_a.bin"), b = ReadFloats("scale_dynamic_b.bin"),
                     expected = ReadFloats("scale_dynamic_expected.bin");
  const uint32_t n = uint32_t(a.size());
  ASSERT_EQ(n, 10000u);

  Result<CommandBuffer*> recorded = CommandBuffer::Create(arena_, 0, 3, 3);
  ASSERT_TRUE(recorded.ok());
  CommandBuffer* command_buffer = recorded.value();
  const uint32_t workgroups[3] = {(n + 4095) / 4096, 1, 1};
  const uint32_t constants[4] = {n, 0, n, 0};
  BufferRef bindings[3];
  for (uint32_t i = 0; i < 3; ++i) bindings[i].slot = i;
  ASSERT_TRUE(command_buffer
                  ->Dispatch(*executable, FindExport(*executable, "scale_dynamic_dispatch_0"),
                             workgroups, constants, bindings)
                  .ok());
  ASSERT_TRUE(command_buffer->Barrier().ok());
  ASSERT_TRUE(command_buffer->Finalize().ok());
  EXPECT_FALSE(command_buffer->Barrier().ok());

  Allocator& allocator = device->allocator();
  Buffer* input_a = allocator.Allocate(0, 0, n * 4).value();
  Buffer* input_b = allocator.Allocate(0, 0, n * 4).value();
  Buffer* output = allocator.Allocate(0, 0, n * 4 + 64).value();
  memcpy(input_a->data(), a.data(), n * 4);
  memcpy(input_b->data(), b.data(), n * 4);
  BindingTableEntry table[3] = {{input_a, 0, n * 4u}, {input_b, 0, n * 4u}, {output, 64, n * 4u}};
  for (int round = 0; round < 2; ++round) {
    memset(output->data(), 0, n * 4 + 64);
    Status status = device->QueueExecute(*command_buffer, table, error_);
    ASSERT_TRUE(status.ok()) << status.message();
    std::vector<float> out(n);
    memcpy(out.data(), output->data() + 64, n * 4);
    ExpectNear(out, expected);
  }
  // The same dispatch with its workgroup counts read from a buffer when it runs.
  Result<CommandBuffer*> indirect_recorded = CommandBuffer::Create(arena_, 0, 3, 3);
  ASSERT_TRUE(indirect_recorded.ok());
  CommandBuffer* indirect = indirect_recorded.value();
  Buffer* counts = allocator.Allocate(0, 0, 12).value();
  BufferRef counts_ref{counts, 0, 0, 12};
  ASSERT_TRUE(indirect
                  ->DispatchIndirect(*executable,
                                     FindExport(*executable, "scale_dynamic_dispatch_0"),
                                     counts_ref, constants, bindings)
                  .ok());
  ASSERT_TRUE(indirect->Finalize().ok());
  memset(output->data(), 0, n * 4 + 64);
  const uint32_t one_workgroup[3] = {1, 1, 1};
  memcpy(counts->data(), one_workgroup, 12);
  ASSERT_TRUE(device->QueueExecute(*indirect, table, error_).ok());
  std::vector<float> partial(n);
  memcpy(partial.data(), output->data() + 64, n * 4);
  // One workgroup covers the first 4096 elements only.
  EXPECT_NEAR(partial[4095], expected[4095], 1e-5f * (1.0f + std::fabs(expected[4095])));
  EXPECT_EQ(partial[4096], 0.0f);
  memcpy(counts->data(), workgroups, 12);
  ASSERT_TRUE(device->QueueExecute(*indirect, table, error_).ok());
  memcpy(partial.data(), output->data() + 64, n * 4);
  ExpectNear(partial, expected);
  indirect->Release();
  counts->Release();

  // A missing slot is an error at execute time, not a crash.
  EXPECT_EQ(device->QueueExecute(*command_buffer, Span<const BindingTableEntry>(table, 2), error_)
                .code(),
            StatusCode::kInvalidArgument);

  executable->Release();  // the command buffer still holds it
  command_buffer->Release();
  input_a->Release();
  input_b->Release();
  output->Release();
  device->Release();
  EXPECT_EQ(arena_.stats().live_allocations, 0u);
  EXPECT_EQ(code_.arena().stats().live_allocations, 0u);
}

}  // namespace
}  // namespace bmrt::hal
