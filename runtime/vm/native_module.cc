#include "runtime/vm/native_module.h"

namespace bmrt::vm {

namespace {
// Byte-order comparison of two names, the order NativeModuleDef tables are sorted in.
int CompareNames(StringView a, StringView b) {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  int c = n ? memcmp(a.data(), b.data(), n) : 0;
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}
}  // namespace

const NativeFunction* NativeModuleDef::Find(StringView local_name) const {
  size_t low = 0, high = functions.size();
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    int c = CompareNames(StringView(functions[mid].name), local_name);
    if (c == 0) return &functions[mid];
    if (c < 0) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return nullptr;
}

bool NativeModuleDef::IsSorted() const {
  for (size_t i = 1; i < functions.size(); ++i) {
    if (CompareNames(StringView(functions[i - 1].name), StringView(functions[i].name)) >= 0) {
      return false;
    }
  }
  return true;
}

void ArgPack::AddEntry(uint16_t entry) {
  if (value_count_ >= kMaxValues) {
    ok_ = false;
    return;
  }
  StoreLe16(list_ + 2 * value_count_++, entry);
}

void ArgPack::AddFixedArgument() {
  if (in_list_) return;
  if (argument_count_ >= kMaxArguments) {
    ok_ = false;
    return;
  }
  StoreLe16(segments_ + 2 * argument_count_++, 0xFFFF);
}

ArgPack& ArgPack::I32(int32_t value) {
  if (i32_count_ + 1 > kMaxI32) {
    ok_ = false;
    return *this;
  }
  AddFixedArgument();
  i32_[i32_count_] = value;
  AddEntry(i32_count_++);
  return *this;
}

ArgPack& ArgPack::I64(int64_t value) {
  i32_count_ = uint16_t(AlignUp(i32_count_, 2));
  if (i32_count_ + 2 > kMaxI32) {
    ok_ = false;
    return *this;
  }
  AddFixedArgument();
  memcpy(&i32_[i32_count_], &value, sizeof(value));
  AddEntry(i32_count_);
  i32_count_ += 2;
  return *this;
}

ArgPack& ArgPack::F32(float value) {
  int32_t bits;
  memcpy(&bits, &value, sizeof(bits));
  return I32(bits);
}

ArgPack& ArgPack::F64(double value) {
  int64_t bits;
  memcpy(&bits, &value, sizeof(bits));
  return I64(bits);
}

ArgPack& ArgPack::R(Ref value) {
  if (ref_count_ >= kMaxRefs) {
    ok_ = false;
    return *this;
  }
  AddFixedArgument();
  refs_[ref_count_] = Move(value);
  AddEntry(uint16_t(0x8000 | ref_count_++));
  return *this;
}

ArgPack& ArgPack::BeginList(uint16_t tuple_count) {
  if (argument_count_ >= kMaxArguments || in_list_) {
    ok_ = false;
    return *this;
  }
  StoreLe16(segments_ + 2 * argument_count_++, tuple_count);
  in_list_ = true;
  has_lists_ = true;
  return *this;
}

ArgPack& ArgPack::EndList() {
  in_list_ = false;
  return *this;
}

ArgReader ArgPack::Reader() {
  return ArgReader(i32_, refs_, list_, value_count_, has_lists_ ? segments_ : nullptr,
                   has_lists_ ? argument_count_ : 0);
}

Status CallNative(const NativeFunction& function, NativeCall& call, ArgPack& args,
                  ResultWriter& results) {
  if (!args.ok()) return InvalidArgument("too many arguments for a native call");
  ArgReader reader = args.Reader();
  Status status = function.fn(call, reader, results);
  if (!status.ok()) results.Clear();
  return status;
}

}  // namespace bmrt::vm
