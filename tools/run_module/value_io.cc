#include "tools/run_module/value_io.h"

#include <cerrno>
#include <cstdarg>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "runtime/vm/buffer.h"
#include "runtime/vm/list.h"

namespace bmrt::tools {

namespace {

bool ParseInteger(const std::string& text, int64_t* out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 0);
  if (errno != 0 || *end != '\0') return false;
  *out = value;
  return true;
}

bool ParseFloat(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (*end != '\0') return false;
  *out = value;
  return true;
}

std::string Printf(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Printf(const char* format, ...) {
  char buffer[128];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof(buffer), format, args);
  va_end(args);
  return buffer;
}

}  // namespace

bool ParseScalarInput(const std::string& text, char kind, vm::Value* out, std::string* error) {
  std::string type, body = text;
  size_t equals = text.find('=');
  if (equals != std::string::npos) {
    type = text.substr(0, equals);
    body = text.substr(equals + 1);
  }
  auto expect_type = [&](const char* name) {
    if (!type.empty() && type != name) {
      *error = "input `" + text + "` is not a " + name + " (the function's argument type)";
      return false;
    }
    return true;
  };
  switch (kind) {
    case 'i':
    case 'I': {
      if (!expect_type(kind == 'i' ? "i32" : "i64")) return false;
      int64_t value = 0;
      if (!ParseInteger(body, &value)) {
        *error = "cannot parse `" + text + "` as an integer";
        return false;
      }
      *out = kind == 'i' ? vm::Value::I32(int32_t(value)) : vm::Value::I64(value);
      return true;
    }
    case 'f':
    case 'F': {
      if (!expect_type(kind == 'f' ? "f32" : "f64")) return false;
      double value = 0;
      if (!ParseFloat(body, &value)) {
        *error = "cannot parse `" + text + "` as a float";
        return false;
      }
      *out = kind == 'f' ? vm::Value::F32(float(value)) : vm::Value::F64(value);
      return true;
    }
    default:
      *error = "input `" + text + "` is for a ref argument; tensors need the HAL module";
      return false;
  }
}

std::string FormatValue(const vm::Value& value) {
  switch (value.type) {
    case vm::ValueType::kI32: return Printf("i32=%d\n", value.i32());
    case vm::ValueType::kI64: return Printf("i64=%" PRId64 "\n", value.i64());
    case vm::ValueType::kF32: return Printf("f32=%g\n", double(value.f32()));
    case vm::ValueType::kF64: return Printf("f64=%g\n", value.f64());
    case vm::ValueType::kNone: return "(null)\n";
    case vm::ValueType::kRef: break;
  }
  if (!value.ref) return "(null)\n";
  if (value.ref.As<vm::Buffer>()) return "vm.buffer\n(no printer)\n";
  if (const vm::List* list = value.ref.As<vm::List>()) {
    std::string text = "vm.list\n";
    for (size_t i = 0; i < list->size(); ++i) {
      vm::Value element;
      if (!list->GetValue(i, &element).ok()) break;
      text += Printf("child_list[%zu]: ", i) + FormatValue(element);
    }
    return text + "\n";
  }
  return std::string(vm::RefTypeName(value.ref.type()).data(),
                     vm::RefTypeName(value.ref.type()).size()) +
         "\n(no printer)\n";
}

}  // namespace bmrt::tools
