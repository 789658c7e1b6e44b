// The HAL objects used directly (without the native-module layer).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "runtime/hal/allocator.h"
#include "runtime/hal/buffer.h"
#include "runtime/hal/buffer_view.h"
#include "runtime/hal/command_buffer.h"
#include "runtime/hal/device.h"
#include "runtime/hal/hal_types.h"

namespace bmrt::hal {
namespace {

class HalObjectsTest : public ::testing::Test {
 protected:
  void SetUp() override { arena_.Initialize(MutableByteSpan(storage_.data(), storage_.size())); }
  void TearDown() override { EXPECT_EQ(arena_.stats().live_allocations, 0u) << "leak"; }

  Buffer* NewBuffer(uint64_t length) {
    Result<Buffer*> buffer = Buffer::Allocate(arena_, 0, 0, length);
    EXPECT_TRUE(buffer.ok());
    return buffer.value();
  }

  std::vector<uint8_t> storage_ = std::vector<uint8_t>(1 << 20);
  Arena arena_;
};

TEST_F(HalObjectsTest, AllocatedBuffersAreAlignedAndBounded) {
  // Contents are undefined until written (no zero fill, as in IREE); only placement is checked.
  Buffer* buffer = NewBuffer(100);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(buffer->data()) % Buffer::kAlignment, 0u);
  EXPECT_EQ(buffer->length(), 100u);
  EXPECT_EQ(Buffer::Allocate(arena_, 0, 0, uint64_t(1) << 40).status().code(),
            StatusCode::kResourceExhausted);
  buffer->Release();
}

TEST_F(HalObjectsTest, SubspansKeepTheirAllocationAlive) {
  Buffer* buffer = NewBuffer(64);
  buffer->data()[20] = 7;
  Buffer* outer = Buffer::Subspan(arena_, *buffer, 16, 32).value();
  Buffer* inner = Buffer::Subspan(arena_, *outer, 4, kWholeBuffer).value();
  buffer->Release();
  outer->Release();
  EXPECT_EQ(inner->length(), 28u);
  EXPECT_EQ(inner->data()[0], 7);
  EXPECT_EQ(inner->allocated_buffer()->length(), 64u);
  EXPECT_EQ(Buffer::Subspan(arena_, *inner, 20, 9).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(Buffer::Subspan(arena_, *inner, 29, 0).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(inner->Range(~uint64_t{0} - 2, 4).status().code(), StatusCode::kOutOfRange);
  inner->Release();
}

TEST_F(HalObjectsTest, WrappedMemoryRetainsItsOwner) {
  Buffer* owner = NewBuffer(8);
  owner->Retain();
  uint8_t bytes[4] = {1, 2, 3, 4};
  Buffer* wrapped =
      Buffer::Wrap(arena_, bytes, 4, 0, 0, vm::Ref::Retain(owner)).value();
  EXPECT_EQ(owner->ref_count(), 3u);
  wrapped->Release();
  EXPECT_EQ(owner->ref_count(), 2u);
  owner->Release();
  owner->Release();
}

TEST_F(HalObjectsTest, BufferViewsDescribeTensors) {
  Buffer* buffer = NewBuffer(24);
  int64_t shape[] = {2, 3};
  BufferView* view = BufferView::Create(arena_, *buffer, shape, 0x21000020, 1).value();
  buffer->Release();
  EXPECT_EQ(view->rank(), 2u);
  EXPECT_EQ(view->byte_length(), 24u);
  EXPECT_EQ(view->buffer()->length(), 24u);
  int64_t too_deep[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_FALSE(BufferView::Create(arena_, *view->buffer(), too_deep, 0x21000020, 1).ok());
  int64_t negative[] = {-1};
  EXPECT_FALSE(BufferView::Create(arena_, *view->buffer(), negative, 0x21000020, 1).ok());
  view->Release();
}

TEST_F(HalObjectsTest, CommandBuffersCheckWhatTheyRecord) {
  CommandBuffer* command_buffer = CommandBuffer::Create(arena_, 0, 3, 1).value();
  Buffer* buffer = NewBuffer(16);
  BufferRef direct{buffer, 0, 0, 8};
  BufferRef slot_1{nullptr, 1, 0, 8};
  EXPECT_EQ(command_buffer->Fill(slot_1, 0, 1).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(command_buffer->Fill(direct, 0, 3).code(), StatusCode::kInvalidArgument);
  BufferRef past{buffer, 0, 12, 8};
  EXPECT_EQ(command_buffer->Fill(past, 0, 1).code(), StatusCode::kOutOfRange);
  ASSERT_TRUE(command_buffer->Fill(BufferRef{buffer, 0, 2, 6}, 0xABCD, 2).ok());
  elf::ErrorText error;
  EXPECT_EQ(command_buffer->Execute({}, arena_, error).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(command_buffer->Finalize().ok());
  EXPECT_FALSE(command_buffer->Finalize().ok());
  EXPECT_EQ(command_buffer->Fill(direct, 0, 1).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(command_buffer->Execute({}, arena_, error).ok());
  const uint8_t expected[10] = {0, 0, 0xCD, 0xAB, 0xCD, 0xAB, 0xCD, 0xAB, 0, 0};
  EXPECT_EQ(std::memcmp(buffer->data(), expected, sizeof(expected)), 0);
  EXPECT_EQ(command_buffer->command_count(), 1u);
  buffer->Release();
  command_buffer->Release();
}

// A replay reuses the operand ranges of the last execute only while each slot resolves to the
// same range: other buffers, offsets or lengths in the binding table are resolved (and
// checked) again.
TEST_F(HalObjectsTest, CommandBufferReplaysFollowTheBindingTable) {
  CommandBuffer* command_buffer = CommandBuffer::Create(arena_, 0, 3, 2).value();
  ASSERT_TRUE(command_buffer->Fill(BufferRef{nullptr, 0, 4, 4}, 0x11, 1).ok());
  ASSERT_TRUE(command_buffer->Copy(BufferRef{nullptr, 0, 4, 4}, BufferRef{nullptr, 1, 0, 4}).ok());
  ASSERT_TRUE(command_buffer->Finalize().ok());
  Buffer* a = NewBuffer(16);
  Buffer* b = NewBuffer(16);
  Buffer* out = NewBuffer(8);
  elf::ErrorText error;
  auto run = [&](Buffer* source, uint64_t offset, uint64_t length) {
    std::memset(source->data(), 0, 16);
    std::memset(out->data(), 0, 8);
    BindingTableEntry table[2] = {{source, offset, length}, {out, 0, kWholeBuffer}};
    return command_buffer->Execute(Span<const BindingTableEntry>(table, 2), arena_, error);
  };
  auto filled = [](const Buffer* buffer, size_t at) {
    for (size_t i = 0; i < 16; ++i) {
      uint8_t want = i >= at && i < at + 4 ? 0x11 : 0;
      if (buffer->data()[i] != want) return false;
    }
    return true;
  };
  const uint8_t copied[4] = {0x11, 0x11, 0x11, 0x11};
  for (int round = 0; round < 2; ++round) {  // the second round replays from the cache
    ASSERT_TRUE(run(a, 0, kWholeBuffer).ok());
    EXPECT_TRUE(filled(a, 4));
    EXPECT_EQ(std::memcmp(out->data(), copied, 4), 0);
  }
  ASSERT_TRUE(run(b, 0, kWholeBuffer).ok());  // another buffer in slot 0
  EXPECT_TRUE(filled(b, 4));
  ASSERT_TRUE(run(a, 8, kWholeBuffer).ok());  // the same buffer at another offset
  EXPECT_TRUE(filled(a, 12));
  EXPECT_EQ(run(a, 8, 4).code(), StatusCode::kOutOfRange);  // [4, 8) runs past a 4-byte binding
  ASSERT_TRUE(run(a, 8, kWholeBuffer).ok());  // after a failure everything is resolved again
  EXPECT_TRUE(filled(a, 12));
  EXPECT_EQ(std::memcmp(out->data(), copied, 4), 0);
  a->Release();
  b->Release();
  out->Release();
  command_buffer->Release();
}

TEST_F(HalObjectsTest, DevicePatternMatching) {
  EXPECT_TRUE(MatchPattern("local-sync", "local*"));
  EXPECT_TRUE(MatchPattern("local-sync", "*sync"));
  EXPECT_TRUE(MatchPattern("local-sync", "l?cal-*"));
  EXPECT_TRUE(MatchPattern("local-sync", "*"));
  EXPECT_FALSE(MatchPattern("local-sync", "local"));
  EXPECT_FALSE(MatchPattern("local-sync", "vulkan*"));
  EXPECT_FALSE(MatchPattern("", "?"));
}

}  // namespace
}  // namespace bmrt::hal
