#include <gtest/gtest.h>

#include <vector>

#include "runtime/vm/buffer.h"
#include "runtime/vm/list.h"

namespace bmrt::vm {
namespace {

class ListBufferTest : public ::testing::Test {
 protected:
  ListBufferTest() : region_(1 << 20), arena_(MutableByteSpan(region_.data(), region_.size())) {}
  std::vector<uint8_t> region_;
  Arena arena_;
};

TEST_F(ListBufferTest, AllocatedBuffersAreZeroedWritableAndFreed) {
  {
    Result<Ref> buffer = Buffer::Allocate(arena_, 100, 64);
    ASSERT_TRUE(buffer.ok());
    Buffer* b = buffer->As<Buffer>();
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->length(), 100u);
    EXPECT_TRUE(b->writable());
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b->data()) % 64, 0u);
    for (size_t i = 0; i < b->length(); ++i) EXPECT_EQ(b->data()[i], 0);
  }
  EXPECT_EQ(arena_.stats().live_allocations, 0u);
  EXPECT_FALSE(Buffer::Allocate(arena_, 8, 3).ok());
}

TEST_F(ListBufferTest, ViewsAreReadOnlyAndDoNotCopy) {
  const uint8_t bytes[] = {1, 2, 3};
  Result<Ref> view = Buffer::View(arena_, ByteSpan(bytes, sizeof(bytes)));
  ASSERT_TRUE(view.ok());
  Buffer* b = view->As<Buffer>();
  EXPECT_EQ(b->data(), bytes);
  EXPECT_FALSE(b->writable());
  EXPECT_EQ(b->mutable_data(), nullptr);
}

TEST_F(ListBufferTest, ValueListsResizeGetSetAndCheckIndices) {
  Result<Ref> ref = List::Create(arena_, ListElement::kI32, RefType::kNull, 2);
  ASSERT_TRUE(ref.ok());
  List* list = ref->As<List>();
  ASSERT_TRUE(list->Resize(5).ok());
  EXPECT_EQ(list->size(), 5u);
  ASSERT_TRUE(list->SetI32(4, -9).ok());
  int32_t v = 1;
  ASSERT_TRUE(list->GetI32(0, &v).ok());
  EXPECT_EQ(v, 0);
  ASSERT_TRUE(list->GetI32(4, &v).ok());
  EXPECT_EQ(v, -9);
  int64_t wide = 0;
  ASSERT_TRUE(list->GetI64(4, &wide).ok());
  EXPECT_EQ(wide, -9);
  EXPECT_EQ(list->GetI32(5, &v).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(list->SetI32(5, 1).code(), StatusCode::kOutOfRange);
  Ref none;
  EXPECT_FALSE(list->GetRef(0, &none).ok());
  float f;
  EXPECT_FALSE(list->GetF32(0, &f).ok());
}

TEST_F(ListBufferTest, RefListsHoldReferencesAndReleaseThem) {
  size_t baseline = arena_.stats().live_allocations;
  {
    Result<Ref> list_ref = List::Create(arena_, ListElement::kRef, RefType::kBuffer, 0);
    ASSERT_TRUE(list_ref.ok());
    List* list = list_ref->As<List>();
    Result<Ref> buffer = Buffer::Allocate(arena_, 4);
    ASSERT_TRUE(buffer.ok());
    ASSERT_TRUE(list->Resize(3).ok());
    ASSERT_TRUE(list->SetRef(1, buffer.value()).ok());
    EXPECT_EQ(buffer->get()->ref_count(), 2u);
    // A typed list rejects other ref types.
    Result<Ref> other = List::Create(arena_, ListElement::kI32, RefType::kNull, 0);
    EXPECT_FALSE(list->SetRef(0, other.value()).ok());
    Ref got;
    ASSERT_TRUE(list->GetRef(1, &got).ok());
    EXPECT_EQ(got.get(), buffer->get());
    got.Reset();
    ASSERT_TRUE(list->Resize(1).ok());  // drops the buffer reference
    EXPECT_EQ(buffer->get()->ref_count(), 1u);
    ASSERT_TRUE(list->SetRef(0, buffer.value()).ok());
  }
  EXPECT_EQ(arena_.stats().live_allocations, baseline);
}

TEST_F(ListBufferTest, VariantListsKeepTypesAndGrow) {
  size_t baseline = arena_.stats().live_allocations;
  {
    Result<Ref> list_ref = List::Create(arena_, ListElement::kVariant, RefType::kNull, 1);
    List* list = list_ref->As<List>();
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(list->PushBack(Value::I64(i * 1000000007ll)).ok());
    Result<Ref> buffer = Buffer::Allocate(arena_, 4);
    ASSERT_TRUE(list->PushBack(Value::FromRef(buffer.value())).ok());
    ASSERT_TRUE(list->PushBack(Value::F32(0.5f)).ok());
    Value v;
    ASSERT_TRUE(list->GetValue(99, &v).ok());
    EXPECT_EQ(v.type, ValueType::kI64);
    EXPECT_EQ(v.i64(), 99 * 1000000007ll);
    ASSERT_TRUE(list->GetValue(100, &v).ok());
    EXPECT_EQ(v.type, ValueType::kRef);
    EXPECT_EQ(v.ref.get(), buffer->get());
    float f = 0;
    ASSERT_TRUE(list->GetF32(101, &f).ok());
    EXPECT_EQ(f, 0.5f);
  }
  EXPECT_EQ(arena_.stats().live_allocations, baseline);
}

}  // namespace
}  // namespace bmrt::vm
