// Reference-counted objects shared between the VM and native modules (vm.buffer, vm.list and
// every hal.* type). An object is created by its module, retained by every register, list slot
// or global that holds it, and destroyed through its own `destroy` hook when the count drops to
// zero; the hook returns the memory to the arena the object came from.
#pragma once

#include "runtime/base/string_view.h"
#include "runtime/base/types.h"

namespace bmrt::vm {

// Every ref type the runtime knows. Type names in a module's type table map onto these.
enum class RefType : uint8_t {
  kNull = 0,
  kBuffer,            // !vm.buffer
  kList,              // !vm.list<...>
  kHalAllocator,
  kHalBuffer,
  kHalBufferView,
  kHalChannel,
  kHalCommandBuffer,
  kHalDevice,
  kHalEvent,
  kHalExecutable,
  kHalFence,
  kHalFile,
  kHalSemaphore,
  kCount,
};

// "vm.buffer", "hal.buffer_view", ... (without the leading '!').
StringView RefTypeName(RefType type);
// Maps a module type-table name ("!vm.buffer", "!vm.list<i32>", "!hal.fence") to a ref type;
// kNull when the name is not a known ref type.
RefType RefTypeFromName(StringView name);

class RefObject {
 public:
  using DestroyFn = void (*)(RefObject* object);

  RefObject(RefType type, DestroyFn destroy) : type_(type), destroy_(destroy) {}
  RefObject(const RefObject&) = delete;
  RefObject& operator=(const RefObject&) = delete;

  RefType type() const { return type_; }
  uint32_t ref_count() const { return ref_count_; }

  void Retain() { ++ref_count_; }
  void Release() {
    if (--ref_count_ == 0) destroy_(this);
  }

 protected:
  ~RefObject() = default;

 private:
  RefType type_;
  uint32_t ref_count_ = 1;  // the creator's reference
  DestroyFn destroy_;
};

// An owning handle: copying retains, destruction releases.
class Ref {
 public:
  Ref() = default;
  // Takes over one reference that the caller already owns (e.g. a fresh object).
  static Ref Adopt(RefObject* object) {
    Ref ref;
    ref.object_ = object;
    return ref;
  }
  // Adds a reference of its own.
  static Ref Retain(RefObject* object) {
    if (object) object->Retain();
    return Adopt(object);
  }

  Ref(const Ref& other) : object_(other.object_) {
    if (object_) object_->Retain();
  }
  Ref(Ref&& other) : object_(other.object_) { other.object_ = nullptr; }
  // `other` may live inside the object this ref releases (a list element assigned over the
  // list's own register): take its pointer before anything is released.
  Ref& operator=(const Ref& other) {
    RefObject* object = other.object_;
    if (object) object->Retain();
    Reset();
    object_ = object;
    return *this;
  }
  Ref& operator=(Ref&& other) {
    if (this != &other) {
      RefObject* object = other.object_;
      other.object_ = nullptr;
      Reset();
      object_ = object;
    }
    return *this;
  }
  ~Ref() { Reset(); }

  void Reset() {
    if (object_) {
      RefObject* object = object_;
      object_ = nullptr;
      object->Release();
    }
  }
  // Gives up ownership without releasing.
  RefObject* Detach() {
    RefObject* object = object_;
    object_ = nullptr;
    return object;
  }

  RefObject* get() const { return object_; }
  RefType type() const { return object_ ? object_->type() : RefType::kNull; }
  explicit operator bool() const { return object_ != nullptr; }
  bool operator==(const Ref& other) const { return object_ == other.object_; }

  // Typed access: null unless the object has type T::kRefType.
  template <typename T>
  T* As() const {
    return object_ && object_->type() == T::kRefType ? static_cast<T*>(object_) : nullptr;
  }

 private:
  RefObject* object_ = nullptr;
};

}  // namespace bmrt::vm
