// Ownership cases found by vm_exec_fuzz: Ref assignment when the source lives inside the object
// the destination releases (`%r0 = vm.list.get.ref %r0, ...` on a list only that register
// held), and lists that would contain themselves (a cycle reference counting never frees).
#include "runtime/vm/ref.h"

#include <gtest/gtest.h>

#include <vector>

#include "runtime/vm/list.h"
#include "runtime/vm/value.h"

namespace bmrt::vm {
namespace {

struct Leaf : RefObject {
  explicit Leaf(int* alive) : RefObject(RefType::kBuffer, &Destroy), alive(alive) { ++*alive; }
  static void Destroy(RefObject* object) {
    Leaf* leaf = static_cast<Leaf*>(object);
    --*leaf->alive;
    delete leaf;
  }
  int* alive;
};

// Holds one ref, as a list slot does; poisons it on destruction like freed arena memory would.
struct Holder : RefObject {
  Holder() : RefObject(RefType::kList, &Destroy) {}
  static void Destroy(RefObject* object) {
    Holder* holder = static_cast<Holder*>(object);
    holder->slot.Reset();
    delete holder;
  }
  Ref slot;
};

TEST(RefTest, CopyFromInsideTheReleasedObject) {
  int alive = 0;
  Ref reg = Ref::Adopt(new Holder);
  static_cast<Holder*>(reg.get())->slot = Ref::Adopt(new Leaf(&alive));
  reg = static_cast<Holder*>(reg.get())->slot;  // the holder dies during the assignment
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg.type(), RefType::kBuffer);
  EXPECT_EQ(reg.get()->ref_count(), 1u);
  reg.Reset();
  EXPECT_EQ(alive, 0);
}

TEST(RefTest, MoveFromInsideTheReleasedObject) {
  int alive = 0;
  Ref reg = Ref::Adopt(new Holder);
  static_cast<Holder*>(reg.get())->slot = Ref::Adopt(new Leaf(&alive));
  reg = static_cast<Ref&&>(static_cast<Holder*>(reg.get())->slot);
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg.get()->ref_count(), 1u);
  reg.Reset();
  EXPECT_EQ(alive, 0);
}

class ListCycleTest : public ::testing::Test {
 protected:
  void SetUp() override { arena_.Initialize(MutableByteSpan(storage_.data(), storage_.size())); }
  void TearDown() override { EXPECT_EQ(arena_.stats().live_allocations, 0u); }
  Ref NewList(ListElement element, size_t size) {
    Ref list = List::Create(arena_, element, RefType::kNull, size).value();
    EXPECT_TRUE(list.As<List>()->Resize(size).ok());
    return list;
  }
  std::vector<uint8_t> storage_ = std::vector<uint8_t>(1 << 20);
  Arena arena_;
};

TEST_F(ListCycleTest, ListCannotHoldItself) {
  Ref list = NewList(ListElement::kVariant, 2);
  EXPECT_EQ(list.As<List>()->SetRef(1, list).code(), StatusCode::kFailedPrecondition);
  Ref typed = NewList(ListElement::kRef, 2);
  EXPECT_EQ(typed.As<List>()->SetValue(0, Value::FromRef(typed)).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(ListCycleTest, IndirectCycleRefusedNestingAllowed) {
  Ref outer = NewList(ListElement::kVariant, 1);
  Ref middle = NewList(ListElement::kRef, 1);
  Ref inner = NewList(ListElement::kVariant, 1);
  ASSERT_TRUE(outer.As<List>()->SetRef(0, middle).ok());
  ASSERT_TRUE(middle.As<List>()->SetRef(0, inner).ok());
  EXPECT_EQ(inner.As<List>()->SetRef(0, outer).code(), StatusCode::kFailedPrecondition);
  // The same list twice in a tree is no cycle.
  Ref pair = NewList(ListElement::kVariant, 2);
  ASSERT_TRUE(pair.As<List>()->SetRef(0, inner).ok());
  EXPECT_TRUE(pair.As<List>()->SetRef(1, inner).ok());
}

}  // namespace
}  // namespace bmrt::vm
