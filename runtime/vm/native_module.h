// Native modules: functions written in C++ that bytecode modules import (the `hal` module, test
// modules). A native module is a constant table plus a state pointer:
//
//   constexpr vm::NativeFunction kFunctions[] = {      // sorted by name (byte order)
//       {"buffer.length", "0r_I", &BufferLength},
//       {"command_buffer.dispatch", "0rrIiiiICiDCiirIID_v", &Dispatch},
//   };
//   constexpr vm::NativeModuleDef kHalModule = {"hal", /*version=*/7, kFunctions};
//   context.RegisterNativeModule(kHalModule, &hal_state);   // state outlives the context
//
// Names are given WITHOUT the module prefix; an import `hal.buffer.length` resolves against
// module "hal", function "buffer.length". Linking requires the import's cconv string to equal
// the export's exactly. The table must be sorted (RegisterNativeModule checks it) so lookups
// are a binary search.
//
// Calling: a native function receives
//   - `call.state`   the pointer given at registration (per-module, per-context state),
//   - `call.arena`   the context's arena, `call.message` a buffer for formatted error text,
//   - `args`         an ArgReader over the caller's registers (zero-copy),
//   - `results`      a ResultWriter staging the results.
// It reads its arguments strictly in cconv order with the matching Read* call:
//   'i' ReadI32  'I' ReadI64  'f' ReadF32  'F' ReadF64  'r' ReadRef / ReadRefAs<T> / ReadRefObject
//   'C...D' (a variadic list of flattened tuples): n = args.BeginList(); then n times the tuple's
//           reads in order; then args.EndList().
// Example, `hal.command_buffer.dispatch` (0rrIiiiICiDCiirIID_v):
//   auto* cb = args.ReadRefAs<CommandBuffer>();  auto* exe = args.ReadRefAs<Executable>();
//   int64_t fn = args.ReadI64(); int32_t x = args.ReadI32(), y = ..., z = ...;
//   int64_t flags = args.ReadI64();
//   int32_t n = args.BeginList(); for (i < n) constants[i] = args.ReadI32(); args.EndList();
//   n = args.BeginList(); for (i < n) { ReadI32(); ReadI32(); ReadRefAs<Buffer>(); ReadI64();
//                                       ReadI64(); } args.EndList();
// Then it writes its results in cconv order: results.WriteI32/WriteI64/WriteF32/WriteF64/WriteRef.
// Borrowed refs (ReadRefAs / ReadRefObject) stay valid for the whole call: the caller keeps them
// in its registers until the function returns. Results are staged and moved into the caller's
// registers only after the function returned OK, so writing a result never invalidates an
// argument. On error the staged results are released. A returned Status whose message was
// formatted at run time must point into `call.message`.
#pragma once

#include <string.h>

#include "runtime/base/arena.h"
#include "runtime/base/byte_reader.h"
#include "runtime/base/format.h"
#include "runtime/base/span.h"
#include "runtime/base/status.h"
#include "runtime/base/string_view.h"
#include "runtime/base/utility.h"
#include "runtime/vm/ref.h"

namespace bmrt::vm {

class ArgReader;
class ResultWriter;

using ErrorMessage = MessageBuffer<160>;

struct NativeCall {
  void* state = nullptr;
  Arena* arena = nullptr;
  ErrorMessage* message = nullptr;
};

using NativeFunctionFn = Status (*)(NativeCall& call, ArgReader& args, ResultWriter& results);

struct NativeFunction {
  const char* name;   // without the module prefix, e.g. "fence.await"
  const char* cconv;  // exact calling convention string, e.g. "0iICrD_i"
  NativeFunctionFn fn;
};

struct NativeModuleDef {
  const char* name;  // e.g. "hal"
  uint32_t version;  // compared with the bytecode module's dependency minimum_version
  Span<const NativeFunction> functions;  // sorted by name

  // Binary search by local name (without the module prefix); null when absent.
  const NativeFunction* Find(StringView local_name) const;
  // True when `functions` is strictly sorted by name.
  bool IsSorted() const;
};

// Reads arguments straight from the caller's register banks. The register list holds one u16
// entry per value (an i64/f64 names the even register of its pair; a ref has bit 15 set).
// `segments` (call.variadic only) holds one u16 per declared argument: the tuple count of a
// 'C...D' argument, 0xFFFF for a fixed one.
class ArgReader {
 public:
  ArgReader() = default;
  ArgReader(const int32_t* i32_regs, Ref* ref_regs, const uint8_t* reg_list, uint16_t count,
            const uint8_t* segments, uint16_t segment_count)
      : i32_(i32_regs), refs_(ref_regs), list_(reg_list), count_(count), segments_(segments),
        segment_count_(segment_count) {}

  int32_t ReadI32() { return i32_[Next()]; }
  uint32_t ReadU32() { return uint32_t(ReadI32()); }
  int64_t ReadI64() {
    const int32_t* p = &i32_[Next()];
    return int64_t(uint64_t(uint32_t(p[0])) | (uint64_t(uint32_t(p[1])) << 32));
  }
  float ReadF32() {
    float value;
    memcpy(&value, &i32_[Next()], sizeof(value));
    return value;
  }
  double ReadF64() {
    double value;
    memcpy(&value, &i32_[Next()], sizeof(value));
    return value;
  }
  // Borrowed (no reference taken); null for a null ref.
  RefObject* ReadRefObject() { return refs_[Next() & 0x3FFF].get(); }
  // Borrowed and typed: null when the ref is null or of another type.
  template <typename T>
  T* ReadRefAs() {
    return refs_[Next() & 0x3FFF].template As<T>();
  }
  // A new owning reference.
  Ref ReadRef() { return refs_[Next() & 0x3FFF]; }

  // Opens the 'C...D' argument at the current position; returns its tuple count.
  int32_t BeginList() {
    in_list_ = true;
    uint16_t index = argument_index_++;
    if (!segments_ || index >= segment_count_) return 0;
    uint16_t size = LoadLe16(segments_ + 2 * index);
    return size == 0xFFFF ? 0 : int32_t(size);
  }
  void EndList() { in_list_ = false; }

  // Values not yet read (each i64/ref/i32 counts one).
  uint16_t remaining() const { return uint16_t(count_ - position_); }

 private:
  uint16_t Next() {
    if (!in_list_) ++argument_index_;
    // Reading past the list is a native-module bug; answer register 0 rather than overrun.
    if (position_ >= count_) return 0;
    return LoadLe16(list_ + 2 * position_++);
  }

  const int32_t* i32_ = nullptr;
  Ref* refs_ = nullptr;
  const uint8_t* list_ = nullptr;
  uint16_t count_ = 0;
  uint16_t position_ = 0;
  const uint8_t* segments_ = nullptr;
  uint16_t segment_count_ = 0;
  uint16_t argument_index_ = 0;
  bool in_list_ = false;
};

// Staged results of a native call, in cconv order.
class ResultWriter {
 public:
  static constexpr size_t kMaxResults = 8;
  enum class Kind : uint8_t { kNone, kI32, kI64, kF32, kF64, kRef };

  ResultWriter() = default;
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;
  ~ResultWriter() { Clear(); }

  void WriteI32(int32_t value) { Put(Kind::kI32, uint64_t(uint32_t(value))); }
  void WriteI64(int64_t value) { Put(Kind::kI64, uint64_t(value)); }
  void WriteF32(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof(bits));
    Put(Kind::kF32, bits);
  }
  void WriteF64(double value) {
    uint64_t bits;
    memcpy(&bits, &value, sizeof(bits));
    Put(Kind::kF64, bits);
  }
  void WriteRef(Ref value) {
    if (count_ < kMaxResults) {
      kinds_[count_] = Kind::kRef;
      objects_[count_++] = value.Detach();
    }
  }

  size_t count() const { return count_; }
  Kind kind(size_t i) const { return kinds_[i]; }
  // Raw bits of a value result (i32/f32 in the low 32 bits).
  uint64_t bits(size_t i) const { return bits_[i]; }
  // Hands over the ref result `i` (null ref when it is not a ref).
  Ref TakeRef(size_t i) {
    if (i >= count_ || kinds_[i] != Kind::kRef) return Ref();
    RefObject* object = objects_[i];
    objects_[i] = nullptr;
    return Ref::Adopt(object);
  }
  // Releases every staged ref.
  void Clear() {
    for (size_t i = 0; i < count_; ++i) {
      if (kinds_[i] == Kind::kRef && objects_[i]) objects_[i]->Release();
    }
    count_ = 0;
  }

 private:
  void Put(Kind kind, uint64_t bits) {
    if (count_ < kMaxResults) {
      kinds_[count_] = kind;
      bits_[count_++] = bits;
    }
  }

  size_t count_ = 0;
  Kind kinds_[kMaxResults] = {};
  union {
    uint64_t bits_[kMaxResults];
    RefObject* objects_[kMaxResults];
  };
};

// Builds an ArgReader from host values, for calling a native function outside bytecode
// (tests, tools). Values are appended in cconv order; lists with BeginList(count)/EndList().
class ArgPack {
 public:
  static constexpr size_t kMaxI32 = 64, kMaxRefs = 16, kMaxValues = 48, kMaxArguments = 16;

  ArgPack& I32(int32_t value);
  ArgPack& I64(int64_t value);
  ArgPack& F32(float value);
  ArgPack& F64(double value);
  ArgPack& R(Ref value);
  // Starts a 'C...D' argument holding `tuple_count` tuples; its values follow.
  ArgPack& BeginList(uint16_t tuple_count);
  ArgPack& EndList();
  // False when a capacity was exceeded.
  bool ok() const { return ok_; }
  ArgReader Reader();

 private:
  void AddEntry(uint16_t entry);
  void AddFixedArgument();

  int32_t i32_[kMaxI32] = {};
  Ref refs_[kMaxRefs];
  uint8_t list_[2 * kMaxValues] = {};
  uint8_t segments_[2 * kMaxArguments] = {};
  uint16_t i32_count_ = 0, ref_count_ = 0, value_count_ = 0, argument_count_ = 0;
  bool in_list_ = false;
  bool has_lists_ = false;
  bool ok_ = true;
};

// Calls `function` with `args`; results land in `results`.
Status CallNative(const NativeFunction& function, NativeCall& call, ArgPack& args,
                  ResultWriter& results);

}  // namespace bmrt::vm
