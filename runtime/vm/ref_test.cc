// Ref assignment when the source lives inside the object the destination releases (found by
// vm_exec_fuzz: `%r0 = vm.list.get.ref %r0, ...` on a list only that register held).
#include "runtime/vm/ref.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace bmrt::vm
