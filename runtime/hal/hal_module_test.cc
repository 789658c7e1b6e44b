#include "runtime/hal/hal_module.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "runtime/elf/testing/host_code_memory.h"
#include "runtime/hal/buffer_view.h"
#include "runtime/hal/fence.h"
#include "runtime/vm/buffer.h"

namespace bmrt::hal {
namespace {

class HalModuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    arena_.Initialize(MutableByteSpan(storage_.data(), storage_.size()));
    ASSERT_TRUE(hal_.Initialize(arena_, code_.code_memory()).ok());
    call_.state = &hal_;
    call_.arena = &arena_;
    call_.message = &message_;
  }
  void TearDown() override {
    hal_.Deinitialize();
    EXPECT_EQ(arena_.stats().live_allocations, 0u) << "a HAL object leaked";
  }

  Status Call(const char* name, vm::ArgPack& args, vm::ResultWriter& results) {
    const vm::NativeFunction* function = HalModule::Definition().Find(name);
    EXPECT_NE(function, nullptr) << name;
    if (function == nullptr) return NotFound("no such function");
    return vm::CallNative(*function, call_, args, results);
  }

  vm::Ref Text(const std::string& text) {
    texts_.push_back(text);
    const std::string& kept = texts_.back();
    return vm::Buffer::Copy(arena_, ByteSpan(reinterpret_cast<const uint8_t*>(kept.data()),
                                             kept.size()))
        .value();
  }

  vm::Ref DeviceRef() { return vm::Ref::Retain(hal_.device()); }

  std::pair<int32_t, int64_t> Query(const std::string& category, const std::string& key) {
    vm::ArgPack args;
    args.R(DeviceRef()).R(Text(category)).R(Text(key));
    vm::ResultWriter results;
    EXPECT_TRUE(Call("device.query.i64", args, results).ok());
    return {int32_t(results.bits(0)), int64_t(results.bits(1))};
  }

  elf::testing::HostCodeMemory code_;
  std::vector<uint8_t> storage_ = std::vector<uint8_t>(4 << 20);
  Arena arena_;
  HalModule hal_;
  vm::ErrorMessage message_;
  vm::NativeCall call_;
  std::vector<std::string> texts_;
};

TEST(HalModuleDefinition, ExportsAllFunctionsOfVersion7Sorted) {
  const vm::NativeModuleDef& definition = HalModule::Definition();
  EXPECT_STREQ(definition.name, "hal");
  EXPECT_EQ(definition.version, 7u);
  EXPECT_EQ(definition.functions.size(), 58u);
  EXPECT_TRUE(definition.IsSorted());
  EXPECT_STREQ(definition.Find("command_buffer.dispatch")->cconv, "0rrIiiiICiDCiirIID_v");
  EXPECT_STREQ(definition.Find("device.queue.execute.indirect")->cconv, "0rIrrrICrIID_v");
  EXPECT_STREQ(definition.Find("fence.await")->cconv, "0iICrD_i");
}

TEST_F(HalModuleTest, AnswersDeviceQueriesLikeTheLocalSyncDevice) {
  EXPECT_EQ(Query("hal.device.id", "local*"), std::make_pair(1, int64_t(1)));
  EXPECT_EQ(Query("hal.device.id", "local-sync"), std::make_pair(1, int64_t(1)));
  EXPECT_EQ(Query("hal.device.id", "cuda*"), std::make_pair(1, int64_t(0)));
  EXPECT_EQ(Query("hal.executable.format", "embedded-elf-x86_64"), std::make_pair(1, int64_t(1)));
  EXPECT_EQ(Query("hal.executable.format", "embedded-elf-riscv_32"),
            std::make_pair(1, int64_t(0)));
  EXPECT_EQ(Query("hal.device", "concurrency"), std::make_pair(1, int64_t(1)));
  EXPECT_EQ(Query("hal.dispatch", "concurrency"), std::make_pair(1, int64_t(1)));
  EXPECT_EQ(Query("hal.cpu", "cpu_data_0"), std::make_pair(1, int64_t(0)));
  EXPECT_EQ(Query("hal.unknown", "x"), std::make_pair(0, int64_t(0)));
}

TEST_F(HalModuleTest, HandsOutTheOneDevice) {
  vm::ArgPack none;
  vm::ResultWriter count;
  ASSERT_TRUE(Call("devices.count", none, count).ok());
  EXPECT_EQ(int32_t(count.bits(0)), 1);
  vm::ArgPack index;
  index.I32(0);
  vm::ResultWriter device;
  ASSERT_TRUE(Call("devices.get", index, device).ok());
  EXPECT_EQ(device.TakeRef(0).get(), hal_.device());
  vm::ArgPack bad;
  bad.I32(1);
  vm::ResultWriter nothing;
  EXPECT_EQ(Call("devices.get", bad, nothing).code(), StatusCode::kOutOfRange);
}

TEST_F(HalModuleTest, ChannelsAndCollectivesAreUnimplemented) {
  vm::ArgPack args;
  args.R(DeviceRef()).I64(0).I64(0).R(Text("id")).R(Text("group")).I32(0).I32(1);
  vm::ResultWriter results;
  Status status = Call("channel.create", args, results);
  EXPECT_EQ(status.code(), StatusCode::kUnimplemented);
  EXPECT_NE(std::string(status.message()).find("channel.create"), std::string::npos);
}

TEST_F(HalModuleTest, ImportAliasesMemoryAndTryFailsSoftly) {
  vm::Ref constants = Text("0123456789abcdef");
  vm::ArgPack allocator_args;
  allocator_args.R(DeviceRef());
  vm::ResultWriter allocator;
  ASSERT_TRUE(Call("device.allocator", allocator_args, allocator).ok());
  vm::Ref allocator_ref = allocator.TakeRef(0);

  vm::ArgPack args;
  args.R(allocator_ref).I32(1).I64(-1).I32(48).I32(0x80C03).R(constants).I64(0).I64(8);
  vm::ResultWriter imported;
  ASSERT_TRUE(Call("allocator.import", args, imported).ok());
  vm::Ref buffer = imported.TakeRef(0);
  ASSERT_NE(buffer.As<Buffer>(), nullptr);
  EXPECT_EQ(buffer.As<Buffer>()->data(), constants.As<vm::Buffer>()->data());
  EXPECT_EQ(buffer.As<Buffer>()->length(), 8u);

  // Misaligned memory is not aliased: the module falls back to allocate + copy.
  vm::ArgPack misaligned;
  misaligned.R(allocator_ref).I32(1).I64(-1).I32(48).I32(3).R(constants).I64(4).I64(8);
  vm::ResultWriter refused;
  ASSERT_TRUE(Call("allocator.import", misaligned, refused).ok());
  EXPECT_FALSE(refused.TakeRef(0));

  vm::ArgPack too_long;
  too_long.R(allocator_ref).I32(1).I64(-1).I32(48).I32(3).R(constants).I64(4).I64(100);
  vm::ResultWriter soft;
  ASSERT_TRUE(Call("allocator.import", too_long, soft).ok());
  EXPECT_FALSE(soft.TakeRef(0));
  vm::ArgPack must;
  must.R(allocator_ref).I32(0).I64(-1).I32(48).I32(3).R(constants).I64(4).I64(100);
  vm::ResultWriter hard;
  EXPECT_EQ(Call("allocator.import", must, hard).code(), StatusCode::kOutOfRange);
}

TEST_F(HalModuleTest, BufferLoadStoreSubspanAndAssert) {
  Buffer* raw = hal_.device()->allocator().Allocate(0, 0, 16).value();
  vm::Ref buffer = vm::Ref::Adopt(raw);
  vm::ArgPack store;
  store.I32(0x12345678).R(buffer).I64(4).I32(4);
  vm::ResultWriter none;
  ASSERT_TRUE(Call("buffer.store", store, none).ok());
  EXPECT_EQ(raw->data()[4], 0x78);
  vm::ArgPack subspan;
  subspan.R(buffer).I64(4).I64(8);
  vm::ResultWriter sub;
  ASSERT_TRUE(Call("buffer.subspan", subspan, sub).ok());
  vm::Ref view = sub.TakeRef(0);
  vm::ArgPack load;
  load.R(view).I64(0).I32(2);
  vm::ResultWriter loaded;
  ASSERT_TRUE(Call("buffer.load", load, loaded).ok());
  EXPECT_EQ(int32_t(loaded.bits(0)), 0x5678);
  vm::ArgPack past;
  past.R(view).I64(6).I32(4);
  vm::ResultWriter nothing;
  EXPECT_EQ(Call("buffer.load", past, nothing).code(), StatusCode::kOutOfRange);

  vm::ArgPack ok_assert;
  ok_assert.R(buffer).R(Text("input0")).R(vm::Ref()).I64(16).I32(16).I32(0xC03);
  EXPECT_TRUE(Call("buffer.assert", ok_assert, none).ok());
  vm::ArgPack small;
  small.R(buffer).R(Text("input0")).R(vm::Ref()).I64(17).I32(16).I32(0xC03);
  Status status = Call("buffer.assert", small, none);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("input0"), std::string::npos);
}

TEST_F(HalModuleTest, BufferViewsCarryShapeAndAreChecked) {
  vm::Ref buffer = vm::Ref::Adopt(hal_.device()->allocator().Allocate(0, 0, 96).value());
  vm::ArgPack create;
  create.R(buffer).I64(0).I64(96).I32(0x21000020).I32(1).BeginList(3).I64(2).I64(3).I64(4)
      .EndList();
  vm::ResultWriter created;
  ASSERT_TRUE(Call("buffer_view.create", create, created).ok());
  vm::Ref view = created.TakeRef(0);
  ASSERT_NE(view.As<BufferView>(), nullptr);
  EXPECT_EQ(view.As<BufferView>()->byte_length(), 96u);

  vm::ArgPack dim;
  dim.R(view).I32(2);
  vm::ResultWriter dim_result;
  ASSERT_TRUE(Call("buffer_view.dim", dim, dim_result).ok());
  EXPECT_EQ(int64_t(dim_result.bits(0)), 4);

  vm::ArgPack wrong;
  wrong.R(view).R(Text("input0")).I32(0x21000020).I32(1).BeginList(3).I64(2).I64(5).I64(4)
      .EndList();
  vm::ResultWriter none;
  Status status = Call("buffer_view.assert", wrong, none);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("dimension 1 is 3, expected 5"), std::string::npos)
      << status.message();

  vm::ArgPack offset_view;
  offset_view.R(buffer).I64(32).I64(64).I32(0x21000020).I32(1).BeginList(1).I64(16).EndList();
  vm::ResultWriter sub;
  ASSERT_TRUE(Call("buffer_view.create", offset_view, sub).ok());
  vm::Ref sub_view = sub.TakeRef(0);
  EXPECT_EQ(sub_view.As<BufferView>()->buffer()->data(), buffer.As<Buffer>()->data() + 32);
}

TEST_F(HalModuleTest, FencesReportFailuresThroughJoinAndAwait) {
  auto create = [&] {
    vm::ArgPack args;
    args.R(DeviceRef()).I64(0);
    vm::ResultWriter results;
    EXPECT_TRUE(Call("fence.create", args, results).ok());
    return results.TakeRef(0);
  };
  vm::Ref good = create(), bad = create();
  vm::ArgPack await_good;
  await_good.I32(-1).I64(0).BeginList(1).R(good).EndList();
  vm::ResultWriter waited;
  ASSERT_TRUE(Call("fence.await", await_good, waited).ok());
  EXPECT_EQ(int32_t(waited.bits(0)), 0);

  vm::ArgPack fail;
  fail.R(bad).I32(13);
  vm::ResultWriter none;
  ASSERT_TRUE(Call("fence.fail", fail, none).ok());
  vm::ArgPack join;
  join.I64(0).BeginList(2).R(good).R(bad).EndList();
  vm::ResultWriter joined;
  ASSERT_TRUE(Call("fence.join", join, joined).ok());
  vm::Ref both = joined.TakeRef(0);
  vm::ArgPack query;
  query.R(both);
  vm::ResultWriter state;
  ASSERT_TRUE(Call("fence.query", query, state).ok());
  EXPECT_EQ(int32_t(state.bits(0)), 13);
}

TEST_F(HalModuleTest, QueueOperationsCompleteImmediately) {
  vm::Ref fence;
  {
    vm::ArgPack args;
    args.R(DeviceRef()).I64(0);
    vm::ResultWriter results;
    ASSERT_TRUE(Call("fence.create", args, results).ok());
    fence = results.TakeRef(0);
  }
  vm::ArgPack alloca;
  alloca.R(DeviceRef()).I64(-1).R(vm::Ref()).R(fence).I64(0).I32(48).I32(3075).I64(64).I64(0);
  vm::ResultWriter allocated;
  ASSERT_TRUE(Call("device.queue.alloca", alloca, allocated).ok());
  vm::Ref buffer = allocated.TakeRef(0);
  ASSERT_EQ(buffer.As<Buffer>()->length(), 64u);

  vm::ArgPack fill;
  fill.R(DeviceRef()).I64(-1).R(fence).R(fence).R(buffer).I64(8).I64(16).I64(0xA1B2).I32(2)
      .I64(0);
  vm::ResultWriter none;
  ASSERT_TRUE(Call("device.queue.fill", fill, none).ok());
  EXPECT_EQ(buffer.As<Buffer>()->data()[7], 0);
  EXPECT_EQ(buffer.As<Buffer>()->data()[8], 0xB2);
  EXPECT_EQ(buffer.As<Buffer>()->data()[9], 0xA1);
  EXPECT_EQ(buffer.As<Buffer>()->data()[23], 0xA1);
  EXPECT_EQ(buffer.As<Buffer>()->data()[24], 0);

  // Constant upload fallback: a file over module memory, read into the buffer.
  vm::Ref contents = Text("constant bytes!!");
  vm::ArgPack from_memory;
  from_memory.R(DeviceRef()).I64(-1).I32(1).R(contents).I64(0).I64(16).I32(0);
  vm::ResultWriter file;
  ASSERT_TRUE(Call("ex.file.from_memory", from_memory, file).ok());
  vm::ArgPack read;
  read.R(DeviceRef()).I64(-1).R(fence).R(fence).R(file.TakeRef(0)).I64(0).R(buffer).I64(32)
      .I64(16).I64(0);
  ASSERT_TRUE(Call("device.queue.read", read, none).ok());
  EXPECT_EQ(std::memcmp(buffer.As<Buffer>()->data() + 32, "constant bytes!!", 16), 0);

  vm::ArgPack copy;
  copy.R(DeviceRef()).I64(-1).R(fence).R(fence).R(buffer).I64(32).R(buffer).I64(0).I64(8).I64(0);
  ASSERT_TRUE(Call("device.queue.copy", copy, none).ok());
  EXPECT_EQ(std::memcmp(buffer.As<Buffer>()->data(), "constant", 8), 0);
  EXPECT_EQ(fence.As<Fence>()->status_code(), 0);
}

TEST_F(HalModuleTest, CommandBufferReplaysWithBindingTable) {
  vm::ArgPack create;
  create.R(DeviceRef()).I32(0).I32(3).I64(-1).I32(2);
  vm::ResultWriter created;
  ASSERT_TRUE(Call("command_buffer.create", create, created).ok());
  vm::Ref command_buffer = created.TakeRef(0);
  vm::ResultWriter none;
  // fill slot 0 [0, 8) with 0x11, copy slot 0 [0, 8) to slot 1 [4, 12), update slot 1 [0, 4).
  vm::ArgPack fill;
  fill.R(command_buffer).R(vm::Ref()).I64(0).I64(8).I32(0).I64(0x11).I32(1).I64(0);
  ASSERT_TRUE(Call("command_buffer.fill_buffer", fill, none).ok());
  vm::ArgPack barrier;
  barrier.R(command_buffer).I32(28).I32(13).I64(0);
  ASSERT_TRUE(Call("command_buffer.execution_barrier", barrier, none).ok());
  vm::ArgPack copy;
  copy.R(command_buffer).I32(0).I32(1).R(vm::Ref()).I64(0).R(vm::Ref()).I64(4).I64(8).I64(0);
  ASSERT_TRUE(Call("command_buffer.copy_buffer", copy, none).ok());
  vm::ArgPack update;
  update.R(command_buffer).R(Text("WXYZ")).I64(0).R(vm::Ref()).I64(0).I64(4).I32(1).I64(0);
  ASSERT_TRUE(Call("command_buffer.update_buffer", update, none).ok());
  vm::ArgPack finalize;
  finalize.R(command_buffer);
  ASSERT_TRUE(Call("command_buffer.finalize", finalize, none).ok());

  for (int round = 0; round < 2; ++round) {
    vm::Ref a = vm::Ref::Adopt(hal_.device()->allocator().Allocate(0, 0, 16).value());
    vm::Ref b = vm::Ref::Adopt(hal_.device()->allocator().Allocate(0, 0, 32).value());
    vm::ArgPack execute;
    execute.R(DeviceRef()).I64(-1).R(vm::Ref()).R(vm::Ref()).R(command_buffer).I64(0)
        .BeginList(2).R(a).I64(0).I64(16).R(b).I64(16).I64(16).EndList();
    ASSERT_TRUE(Call("device.queue.execute.indirect", execute, none).ok()) << message_.text;
    const uint8_t* target = b.As<Buffer>()->data() + 16;
    EXPECT_EQ(std::memcmp(target, "WXYZ", 4), 0);
    for (int i = 4; i < 12; ++i) EXPECT_EQ(target[i], 0x11) << i;
    EXPECT_EQ(target[12], 0);
    EXPECT_EQ(b.As<Buffer>()->data()[15], 0);
  }
  // Executing without the binding table the commands need is an error, not a crash.
  vm::ArgPack bare;
  bare.R(DeviceRef()).I64(-1).R(vm::Ref()).R(vm::Ref()).R(command_buffer).I64(0);
  EXPECT_EQ(Call("device.queue.execute", bare, none).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bmrt::hal
