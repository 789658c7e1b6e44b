// vm.list: a growable list of i32/i64/f32/f64 values, of refs (optionally of one ref type), or
// of variants (any value or ref). Storage comes from the arena the list was created with.
// Index checks are done here; the interpreter forwards the resulting errors.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/vm/ref.h"
#include "runtime/vm/value.h"

namespace bmrt::vm {

enum class ListElement : uint8_t { kI8, kI16, kI32, kI64, kF32, kF64, kRef, kVariant };

class List final : public RefObject {
 public:
  static constexpr RefType kRefType = RefType::kList;

  // `ref_type` restricts a kRef list to one type (kNull: any ref).
  static Result<Ref> Create(Arena& arena, ListElement element, RefType ref_type,
                            size_t initial_capacity);

  ListElement element() const { return element_; }
  RefType ref_type() const { return ref_type_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

  Status Reserve(size_t minimum_capacity);
  // New elements are zero / null; dropped refs are released.
  Status Resize(size_t new_size);

  // Integer views: narrower/wider integer storage is truncated or sign-extended.
  Status GetI32(size_t index, int32_t* out) const;
  Status GetI64(size_t index, int64_t* out) const;
  Status SetI32(size_t index, int32_t value);
  Status SetI64(size_t index, int64_t value);
  Status GetF32(size_t index, float* out) const;
  Status GetF64(size_t index, double* out) const;
  Status SetF32(size_t index, float value);
  Status SetF64(size_t index, double value);
  // Ref access: a value element is an error; a variant holding a value yields null.
  Status GetRef(size_t index, Ref* out) const;
  Status SetRef(size_t index, Ref value);
  // Any element as a typed value (for printing and host marshaling).
  Status GetValue(size_t index, Value* out) const;
  Status SetValue(size_t index, const Value& value);
  Status PushBack(const Value& value);

 private:
  List(Arena& arena, ListElement element, RefType ref_type)
      : RefObject(kRefType, &Destroy), arena_(&arena), element_(element), ref_type_(ref_type) {}
  static void Destroy(RefObject* object);
  size_t ElementSize() const;
  uint8_t* Slot(size_t index) const { return storage_ + index * ElementSize(); }
  void ClearRange(size_t begin, size_t end);

  Arena* arena_;
  ListElement element_;
  RefType ref_type_;
  uint8_t* storage_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace bmrt::vm
