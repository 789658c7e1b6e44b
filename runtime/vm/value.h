// A typed VM value as seen from outside the interpreter: function arguments and results of
// host invocations, and the elements of variant lists.
#pragma once

#include <string.h>

#include "runtime/base/types.h"
#include "runtime/base/utility.h"
#include "runtime/vm/ref.h"

namespace bmrt::vm {

enum class ValueType : uint8_t { kNone, kI32, kI64, kF32, kF64, kRef };

struct Value {
  ValueType type = ValueType::kNone;
  uint64_t bits = 0;  // i32/f32 in the low 32 bits, i64/f64 in all 64
  Ref ref;

  static Value I32(int32_t v) { return Make(ValueType::kI32, uint64_t(uint32_t(v))); }
  static Value I64(int64_t v) { return Make(ValueType::kI64, uint64_t(v)); }
  static Value F32(float v) {
    uint32_t b;
    memcpy(&b, &v, 4);
    return Make(ValueType::kF32, b);
  }
  static Value F64(double v) {
    uint64_t b;
    memcpy(&b, &v, 8);
    return Make(ValueType::kF64, b);
  }
  static Value FromRef(Ref r) {
    Value value;
    value.type = ValueType::kRef;
    value.ref = Move(r);
    return value;
  }

  int32_t i32() const { return int32_t(uint32_t(bits)); }
  int64_t i64() const { return int64_t(bits); }
  float f32() const {
    float v;
    uint32_t b = uint32_t(bits);
    memcpy(&v, &b, 4);
    return v;
  }
  double f64() const {
    double v;
    memcpy(&v, &bits, 8);
    return v;
  }

 private:
  static Value Make(ValueType type, uint64_t bits) {
    Value value;
    value.type = type;
    value.bits = bits;
    return value;
  }
};

}  // namespace bmrt::vm
