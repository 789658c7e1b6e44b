#include "tools/run_module/tensor_io.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "runtime/hal/buffer_view.h"

namespace bmrt::tools {

namespace {

struct ElementType {
  const char* name;      // iree-run-module's spelling
  const char* npy_descr; // numpy's, little-endian
  uint32_t hal_type;
  size_t bytes;
  bool is_float;
  bool is_signed;
};

constexpr ElementType kElementTypes[] = {
    {"f32", "<f4", 0x21000020, 4, true, true},  {"f64", "<f8", 0x21000040, 8, true, true},
    {"i8", "|i1", 0x10000008, 1, false, true},  {"i16", "<i2", 0x10000010, 2, false, true},
    {"i32", "<i4", 0x10000020, 4, false, true}, {"i64", "<i8", 0x10000040, 8, false, true},
    {"si8", nullptr, 0x11000008, 1, false, true}, {"si32", nullptr, 0x11000020, 4, false, true},
    {"ui8", "|u1", 0x12000008, 1, false, false}, {"ui32", "<u4", 0x12000020, 4, false, false},
};

const ElementType* FindByName(const std::string& name) {
  for (const ElementType& type : kElementTypes) {
    if (name == type.name) return &type;
  }
  return nullptr;
}
const ElementType* FindByNpy(const std::string& descr) {
  for (const ElementType& type : kElementTypes) {
    if (type.npy_descr && descr == type.npy_descr) return &type;
  }
  return nullptr;
}
const ElementType* FindByHal(uint32_t hal_type) {
  for (const ElementType& type : kElementTypes) {
    if (hal_type == type.hal_type) return &type;
  }
  return nullptr;
}

bool StoreElement(const ElementType& type, const std::string& text, uint8_t* out) {
  char* end = nullptr;
  if (type.is_float) {
    double value = std::strtod(text.c_str(), &end);
    if (*end != '\0') return false;
    if (type.bytes == 4) {
      float f = float(value);
      std::memcpy(out, &f, 4);
    } else {
      std::memcpy(out, &value, 8);
    }
    return true;
  }
  long long value = std::strtoll(text.c_str(), &end, 0);
  if (*end != '\0') return false;
  std::memcpy(out, &value, type.bytes);  // little-endian truncation
  return true;
}

std::string FormatElement(const ElementType& type, const uint8_t* data) {
  char text[48];
  if (type.is_float) {
    double value = 0;
    if (type.bytes == 4) {
      float f;
      std::memcpy(&f, data, 4);
      value = f;
    } else {
      std::memcpy(&value, data, 8);
    }
    std::snprintf(text, sizeof(text), "%G", value);
    return text;
  }
  uint64_t raw = 0;
  std::memcpy(&raw, data, type.bytes);
  if (type.is_signed && type.bytes < 8 && (raw >> (type.bytes * 8 - 1)) & 1) {
    raw |= ~uint64_t(0) << (type.bytes * 8);
  }
  if (type.is_signed) {
    std::snprintf(text, sizeof(text), "%" PRId64, int64_t(raw));
  } else {
    std::snprintf(text, sizeof(text), "%" PRIu64, raw);
  }
  return text;
}

void FormatLevel(const ElementType& type, const int64_t* shape, size_t rank, size_t dim,
                 const uint8_t*& data, std::string* out) {
  if (dim + 1 == rank) {
    for (int64_t i = 0; i < shape[dim]; ++i, data += type.bytes) {
      if (i) *out += ' ';
      *out += FormatElement(type, data);
    }
    return;
  }
  for (int64_t i = 0; i < shape[dim]; ++i) {
    *out += '[';
    FormatLevel(type, shape, rank, dim + 1, data, out);
    *out += ']';
  }
}

bool MakeView(const ElementType& type, const std::vector<int64_t>& shape,
              const std::vector<uint8_t>& bytes, hal::HalModule& hal, Arena& arena,
              vm::Value* out, std::string* error) {
  Result<hal::Buffer*> buffer = hal.device()->allocator().Allocate(0, 0, bytes.size());
  if (!buffer.ok()) {
    *error = std::string("cannot allocate the input: ") + buffer.status().message();
    return false;
  }
  if (!bytes.empty()) std::memcpy(buffer.value()->data(), bytes.data(), bytes.size());
  Result<hal::BufferView*> view =
      hal::BufferView::Create(arena, *buffer.value(), Span<const int64_t>(shape.data(), shape.size()),
                              type.hal_type, hal::kEncodingDenseRowMajor);
  buffer.value()->Release();
  if (!view.ok()) {
    *error = std::string("cannot create the input view: ") + view.status().message();
    return false;
  }
  *out = vm::Value::FromRef(vm::Ref::Adopt(view.value()));
  return true;
}

bool ParseNpy(const std::string& path, hal::HalModule& hal, Arena& arena, vm::Value* out,
              std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = "cannot open " + path;
    return false;
  }
  std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (data.size() < 10 || data.compare(0, 6, "\x93NUMPY") != 0) {
    *error = path + " is not a .npy file";
    return false;
  }
  size_t header_length = 0, header_start = 0;
  if (uint8_t(data[6]) == 1) {
    header_length = uint8_t(data[8]) | (size_t(uint8_t(data[9])) << 8);
    header_start = 10;
  } else if (data.size() >= 12) {
    header_length = uint8_t(data[8]) | (size_t(uint8_t(data[9])) << 8) |
                    (size_t(uint8_t(data[10])) << 16) | (size_t(uint8_t(data[11])) << 24);
    header_start = 12;
  }
  if (header_start == 0 || header_start + header_length > data.size()) {
    *error = path + ": truncated .npy header";
    return false;
  }
  std::string header = data.substr(header_start, header_length);
  auto field = [&](const char* key) -> std::string {
    size_t at = header.find(key);
    if (at == std::string::npos) return "";
    at = header.find(':', at);
    return at == std::string::npos ? "" : header.substr(at + 1);
  };
  std::string descr = field("'descr'");
  size_t quote = descr.find('\'');
  descr = quote == std::string::npos ? "" : descr.substr(quote + 1, descr.find('\'', quote + 1) - quote - 1);
  const ElementType* type = FindByNpy(descr);
  if (!type) {
    *error = path + ": unsupported dtype '" + descr + "'";
    return false;
  }
  if (field("'fortran_order'").find("True") == 0 || field("'fortran_order'").find(" True") == 0) {
    *error = path + ": Fortran-order arrays are not supported";
    return false;
  }
  std::string shape_text = field("'shape'");
  size_t open = shape_text.find('('), close = shape_text.find(')');
  std::vector<int64_t> shape;
  size_t count = 1;
  if (open != std::string::npos && close != std::string::npos) {
    std::string dims = shape_text.substr(open + 1, close - open - 1);
    for (size_t pos = 0; pos < dims.size();) {
      size_t comma = dims.find(',', pos);
      std::string dim = dims.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (dim.find_first_not_of(' ') != std::string::npos) {
        shape.push_back(std::strtoll(dim.c_str(), nullptr, 10));
        count *= size_t(shape.back());
      }
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  size_t payload = header_start + header_length;
  if (data.size() - payload != count * type->bytes) {
    *error = path + ": data size does not match its shape";
    return false;
  }
  std::vector<uint8_t> bytes(data.begin() + long(payload), data.end());
  return MakeView(*type, shape, bytes, hal, arena, out, error);
}

}  // namespace

bool IsTensorInput(const std::string& text) {
  if (!text.empty() && text[0] == '@') return true;
  size_t equals = text.find('=');
  std::string type = text.substr(0, equals);
  return type.find('x') != std::string::npos;
}

bool ParseTensorInput(const std::string& text, hal::HalModule& hal, Arena& arena,
                      vm::Value* out, std::string* error) {
  if (!text.empty() && text[0] == '@') return ParseNpy(text.substr(1), hal, arena, out, error);
  size_t equals = text.find('=');
  std::string spec = text.substr(0, equals);
  size_t last_x = spec.rfind('x');
  const ElementType* type = last_x == std::string::npos ? nullptr : FindByName(spec.substr(last_x + 1));
  if (!type) {
    *error = "input `" + text + "`: unknown element type (use e.g. 2x3xf32=...)";
    return false;
  }
  std::vector<int64_t> shape;
  size_t count = 1;
  for (size_t pos = 0; pos < last_x;) {
    size_t x = spec.find('x', pos);
    char* end = nullptr;
    long long dim = std::strtoll(spec.c_str() + pos, &end, 10);
    if (end != spec.c_str() + x || dim < 0) {
      *error = "input `" + text + "`: bad shape";
      return false;
    }
    shape.push_back(dim);
    count *= size_t(dim);
    pos = x + 1;
  }
  std::vector<uint8_t> bytes(count * type->bytes, 0);
  if (equals != std::string::npos) {
    std::string values = text.substr(equals + 1);
    for (char& c : values) {
      if (c == ',' || c == '[' || c == ']' || c == '\n') c = ' ';
    }
    size_t index = 0;
    for (size_t pos = values.find_first_not_of(' '); pos != std::string::npos;
         pos = values.find_first_not_of(' ', pos)) {
      size_t end = values.find(' ', pos);
      std::string element = values.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      if (index >= count || !StoreElement(*type, element, &bytes[index * type->bytes])) {
        *error = "input `" + text + "`: bad or too many values";
        return false;
      }
      ++index;
      pos = end == std::string::npos ? values.size() : end;
    }
    if (index != count && index != 1) {
      *error = "input `" + text + "`: " + std::to_string(index) + " values for " +
               std::to_string(count) + " elements";
      return false;
    }
    for (size_t i = index; index == 1 && i < count; ++i) {
      std::memcpy(&bytes[i * type->bytes], &bytes[0], type->bytes);  // one value fills all
    }
  }
  return MakeView(*type, shape, bytes, hal, arena, out, error);
}

std::string FormatBufferView(const vm::Value& value) {
  const hal::BufferView* view = value.ref ? value.ref.As<hal::BufferView>() : nullptr;
  if (!view) return "";
  std::string text = "hal.buffer_view\n";
  Span<const int64_t> shape = view->shape();
  for (size_t i = 0; i < shape.size(); ++i) text += std::to_string(shape[i]) + "x";
  const ElementType* type = FindByHal(view->element_type());
  if (!type) {
    char name[24];
    std::snprintf(name, sizeof(name), "type%08x", view->element_type());
    return text + name + "=(no printer)\n";
  }
  text += std::string(type->name) + "=";
  const uint8_t* data = view->buffer()->data();
  if (view->byte_length() > view->buffer()->length()) return text + "(truncated buffer)\n";
  if (shape.size() == 0) {
    text += FormatElement(*type, data);
  } else {
    FormatLevel(*type, shape.data(), shape.size(), 0, data, &text);
  }
  return text + "\n";
}

}  // namespace bmrt::tools
