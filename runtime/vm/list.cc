#include "runtime/vm/list.h"

#include <string.h>

#include "runtime/base/utility.h"

namespace bmrt::vm {

namespace {
constexpr Status kIndexError = OutOfRange("list index out of range");
constexpr Status kTypeError = FailedPrecondition("list element type mismatch");

bool IsInteger(ListElement e) {
  return e == ListElement::kI8 || e == ListElement::kI16 || e == ListElement::kI32 ||
         e == ListElement::kI64;
}
bool IsFloat(ListElement e) { return e == ListElement::kF32 || e == ListElement::kF64; }

// Reference counting cannot free a list that contains itself, so such stores are refused. The
// search is bounded: a store that would need deeper nesting or more elements to prove acyclic
// is refused as well.
constexpr Status kCycleError = FailedPrecondition("storing a vm.list into a list it contains");
constexpr uint32_t kMaxNesting = 16;
constexpr uint32_t kMaxVisitedElements = 1u << 16;

bool MayReach(const List& from, const List* target, uint32_t depth, uint32_t* visited) {
  if (&from == target) return true;
  if (from.element() != ListElement::kRef && from.element() != ListElement::kVariant) return false;
  if (depth >= kMaxNesting) return true;
  for (size_t i = 0; i < from.size(); ++i) {
    if (++*visited > kMaxVisitedElements) return true;
    Ref element;
    if (!from.GetRef(i, &element).ok()) continue;
    const List* child = element.As<List>();
    if (child && MayReach(*child, target, depth + 1, visited)) return true;
  }
  return false;
}
}  // namespace

Result<Ref> List::Create(Arena& arena, ListElement element, RefType ref_type,
                         size_t initial_capacity) {
  void* memory = arena.Allocate(sizeof(List), alignof(List));
  if (!memory) return ResourceExhausted("out of memory allocating a vm.list");
  Ref list = Ref::Adopt(new (memory) List(arena, element, ref_type));
  if (initial_capacity) BMRT_RETURN_IF_ERROR(list.As<List>()->Reserve(initial_capacity));
  return list;
}

void List::Destroy(RefObject* object) {
  List* list = static_cast<List*>(object);
  list->ClearRange(0, list->size_);
  Arena* arena = list->arena_;
  arena->Free(list->storage_);
  list->~List();
  arena->Free(list);
}

size_t List::ElementSize() const {
  switch (element_) {
    case ListElement::kI8: return 1;
    case ListElement::kI16: return 2;
    case ListElement::kI32:
    case ListElement::kF32: return 4;
    case ListElement::kI64:
    case ListElement::kF64: return 8;
    case ListElement::kRef: return sizeof(Ref);
    case ListElement::kVariant: return sizeof(Value);
  }
  return 8;
}

void List::ClearRange(size_t begin, size_t end) {
  if (element_ == ListElement::kRef) {
    for (size_t i = begin; i < end; ++i) reinterpret_cast<Ref*>(Slot(i))->~Ref();
  } else if (element_ == ListElement::kVariant) {
    for (size_t i = begin; i < end; ++i) reinterpret_cast<Value*>(Slot(i))->~Value();
  }
}

Status List::Reserve(size_t minimum_capacity) {
  if (minimum_capacity <= capacity_) return OkStatus();
  size_t new_capacity = Max(minimum_capacity, capacity_ * 2);
  size_t bytes = 0;
  if (!CheckedMul(new_capacity, ElementSize(), &bytes)) return ResourceExhausted("list too large");
  uint8_t* storage = static_cast<uint8_t*>(arena_->Allocate(bytes));
  if (!storage) return ResourceExhausted("out of memory growing a vm.list");
  // Refs and variants hold only a pointer to their object: moving the bytes moves ownership.
  if (size_) memcpy(storage, storage_, size_ * ElementSize());
  memset(storage + size_ * ElementSize(), 0, (new_capacity - size_) * ElementSize());
  arena_->Free(storage_);
  storage_ = storage;
  capacity_ = new_capacity;
  return OkStatus();
}

Status List::Resize(size_t new_size) {
  if (new_size > capacity_) BMRT_RETURN_IF_ERROR(Reserve(new_size));
  if (new_size < size_) {
    ClearRange(new_size, size_);
    memset(Slot(new_size), 0, (size_ - new_size) * ElementSize());
  }
  size_ = new_size;
  return OkStatus();
}

Status List::GetValue(size_t index, Value* out) const {
  if (index >= size_) return kIndexError;
  const uint8_t* slot = Slot(index);
  switch (element_) {
    case ListElement::kI8: *out = Value::I32(int8_t(slot[0])); break;
    case ListElement::kI16: {
      int16_t v;
      memcpy(&v, slot, 2);
      *out = Value::I32(v);
      break;
    }
    case ListElement::kI32: {
      int32_t v;
      memcpy(&v, slot, 4);
      *out = Value::I32(v);
      break;
    }
    case ListElement::kF32: {
      float v;
      memcpy(&v, slot, 4);
      *out = Value::F32(v);
      break;
    }
    case ListElement::kI64: {
      int64_t v;
      memcpy(&v, slot, 8);
      *out = Value::I64(v);
      break;
    }
    case ListElement::kF64: {
      double v;
      memcpy(&v, slot, 8);
      *out = Value::F64(v);
      break;
    }
    case ListElement::kRef: *out = Value::FromRef(*reinterpret_cast<const Ref*>(slot)); break;
    case ListElement::kVariant: {
      const Value& v = *reinterpret_cast<const Value*>(slot);
      out->type = v.type;
      out->bits = v.bits;
      out->ref = v.ref;
      break;
    }
  }
  return OkStatus();
}

Status List::SetValue(size_t index, const Value& value) {
  if (index >= size_) return kIndexError;
  if (const List* stored = value.type == ValueType::kRef ? value.ref.As<List>() : nullptr) {
    uint32_t visited = 0;
    if (MayReach(*stored, this, 0, &visited)) return kCycleError;
  }
  uint8_t* slot = Slot(index);
  if (element_ == ListElement::kVariant) {
    Value& v = *reinterpret_cast<Value*>(slot);
    v.type = value.type;
    v.bits = value.bits;
    v.ref = value.ref;
    return OkStatus();
  }
  if (element_ == ListElement::kRef) {
    if (value.type != ValueType::kRef) return kTypeError;
    if (value.ref && ref_type_ != RefType::kNull && value.ref.type() != ref_type_) {
      return kTypeError;
    }
    *reinterpret_cast<Ref*>(slot) = value.ref;
    return OkStatus();
  }
  bool value_is_int = value.type == ValueType::kI32 || value.type == ValueType::kI64;
  bool value_is_float = value.type == ValueType::kF32 || value.type == ValueType::kF64;
  if (IsInteger(element_) && value_is_int) {
    int64_t v = value.type == ValueType::kI32 ? int64_t(value.i32()) : value.i64();
    memcpy(slot, &v, ElementSize());  // little-endian: the low bytes
    return OkStatus();
  }
  if (IsFloat(element_) && value_is_float) {
    if (element_ == ListElement::kF32) {
      float f = value.type == ValueType::kF32 ? value.f32() : float(value.f64());
      memcpy(slot, &f, 4);
    } else {
      double d = value.type == ValueType::kF64 ? value.f64() : double(value.f32());
      memcpy(slot, &d, 8);
    }
    return OkStatus();
  }
  return kTypeError;
}

Status List::PushBack(const Value& value) {
  size_t index = size_;
  BMRT_RETURN_IF_ERROR(Resize(size_ + 1));
  Status status = SetValue(index, value);
  if (!status.ok()) size_ = index;
  return status;
}

Status List::GetI32(size_t index, int32_t* out) const {
  if (index >= size_) return kIndexError;
  if (element_ == ListElement::kI32) {
    memcpy(out, Slot(index), 4);
    return OkStatus();
  }
  int64_t wide = 0;
  BMRT_RETURN_IF_ERROR(GetI64(index, &wide));
  *out = int32_t(wide);
  return OkStatus();
}

Status List::GetI64(size_t index, int64_t* out) const {
  Value v;
  BMRT_RETURN_IF_ERROR(GetValue(index, &v));
  if (v.type == ValueType::kI32) {
    *out = v.i32();
  } else if (v.type == ValueType::kI64) {
    *out = v.i64();
  } else {
    return kTypeError;
  }
  return OkStatus();
}

Status List::SetI32(size_t index, int32_t value) {
  if (index < size_ && element_ == ListElement::kI32) {
    memcpy(Slot(index), &value, 4);
    return OkStatus();
  }
  return SetValue(index, Value::I32(value));
}

Status List::SetI64(size_t index, int64_t value) { return SetValue(index, Value::I64(value)); }

Status List::GetF32(size_t index, float* out) const {
  Value v;
  BMRT_RETURN_IF_ERROR(GetValue(index, &v));
  if (v.type == ValueType::kF32) {
    *out = v.f32();
  } else if (v.type == ValueType::kF64) {
    *out = float(v.f64());
  } else {
    return kTypeError;
  }
  return OkStatus();
}

Status List::GetF64(size_t index, double* out) const {
  Value v;
  BMRT_RETURN_IF_ERROR(GetValue(index, &v));
  if (v.type == ValueType::kF64) {
    *out = v.f64();
  } else if (v.type == ValueType::kF32) {
    *out = double(v.f32());
  } else {
    return kTypeError;
  }
  return OkStatus();
}

Status List::SetF32(size_t index, float value) { return SetValue(index, Value::F32(value)); }
Status List::SetF64(size_t index, double value) { return SetValue(index, Value::F64(value)); }

Status List::GetRef(size_t index, Ref* out) const {
  if (index >= size_) return kIndexError;
  if (element_ == ListElement::kRef) {
    *out = *reinterpret_cast<const Ref*>(Slot(index));
    return OkStatus();
  }
  if (element_ == ListElement::kVariant) {
    const Value& v = *reinterpret_cast<const Value*>(Slot(index));
    if (v.type == ValueType::kRef) {
      *out = v.ref;
    } else {
      out->Reset();
    }
    return OkStatus();
  }
  return kTypeError;
}

Status List::SetRef(size_t index, Ref value) { return SetValue(index, Value::FromRef(Move(value))); }

}  // namespace bmrt::vm
