// hal.fence and hal.file for a synchronous device.
//
// Every queue operation completes before it returns, so a fence is signalled the moment it is
// handed to a queue call; awaiting one never blocks. A fence can still be failed explicitly,
// and then reports the failure code.
//
// A hal.file is a window onto host memory (ex.file.from_memory): queue.read copies from it.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/vm/ref.h"

namespace bmrt::hal {

class Fence : public vm::RefObject {
 public:
  static constexpr vm::RefType kRefType = vm::RefType::kHalFence;

  static Result<Fence*> Create(Arena& arena);

  void Signal() {}
  void Fail(int32_t status_code) {
    if (failure_ == 0) failure_ = status_code == 0 ? 1 : status_code;
  }
  // 0 when signalled, else the failure code given to Fail.
  int32_t status_code() const { return failure_; }

 private:
  Fence(Arena& arena) : RefObject(kRefType, &Destroy), arena_(&arena) {}
  ~Fence() = default;
  static void Destroy(vm::RefObject* object);

  Arena* arena_;
  int32_t failure_ = 0;
};

class File : public vm::RefObject {
 public:
  static constexpr vm::RefType kRefType = vm::RefType::kHalFile;

  // Aliases `contents`; `owner` (the vm.buffer holding them) is retained.
  static Result<File*> Create(Arena& arena, ByteSpan contents, vm::Ref owner);

  ByteSpan contents() const { return contents_; }

 private:
  File(Arena& arena) : RefObject(kRefType, &Destroy), arena_(&arena) {}
  ~File() = default;
  static void Destroy(vm::RefObject* object);

  Arena* arena_;
  ByteSpan contents_;
  vm::Ref owner_;
};

}  // namespace bmrt::hal
