#include "runtime/engine/abi_declaration.h"

namespace bmrt::engine {
namespace {

constexpr uint32_t kInt = 0x10, kSint = 0x11, kUint = 0x12, kFloat = 0x21, kBool = 0x01;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Index of the bracket closing the one at `open` (any of () [] {} <>), skipping quoted text;
// text.size() when unbalanced.
size_t FindClose(StringView text, size_t open) {
  int depth = 0;
  bool quoted = false;
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    else if (c == '(' || c == '[' || c == '{' || c == '<') ++depth;
    else if ((c == ')' || c == ']' || c == '}' || (c == '>' && text[i - 1] != '-')) && --depth == 0)
      return i;
  }
  return text.size();
}

size_t Find(StringView text, StringView needle, size_t from = 0) {
  for (size_t i = from; i + needle.size() <= text.size(); ++i) {
    if (text.substr(i, needle.size()) == needle) return i;
  }
  return text.size();
}

// "1x128x3x1xi8" (the text between "tensor<" and its '>').
bool ParseTensorBody(StringView body, DeclaredTensor* out) {
  size_t start = 0;
  out->rank = 0;
  while (true) {
    size_t end = start;
    while (end < body.size() && body[end] != 'x') ++end;
    StringView part = body.substr(start, end - start);
    bool is_dim = !part.empty() && (part == StringView("?") || IsDigit(part[0]));
    if (!is_dim || end == body.size()) {
      // The element type: everything from here (it may itself contain no 'x', e.g. "f32").
      StringView element = body.substr(start);
      out->element_type = HalElementTypeOf(element);
      return !element.empty();
    }
    if (out->rank == DeclaredTensor::kMaxRank) return false;
    int64_t value = DeclaredTensor::kDynamic;
    if (!(part == StringView("?"))) {
      value = 0;
      for (size_t i = 0; i < part.size(); ++i) {
        if (!IsDigit(part[i]) || value > (int64_t(1) << 40)) return false;
        value = value * 10 + (part[i] - '0');
      }
    }
    out->dims[out->rank++] = value;
    start = end + 1;
  }
}

// A comma-separated list of "[%name: ]tensor<...> [{attrs}]" entries.
bool ParseList(StringView list, DeclaredTensor* tensors, uint32_t* count) {
  *count = 0;
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && (list[i] == ' ' || list[i] == ',')) ++i;
    if (i >= list.size()) break;
    // One entry runs to the next comma outside brackets.
    size_t end = i;
    while (end < list.size() && list[end] != ',') {
      if (list[end] == '(' || list[end] == '[' || list[end] == '{' || list[end] == '<' ||
          list[end] == '"') {
        if (list[end] == '"') {
          ++end;
          while (end < list.size() && list[end] != '"') end += list[end] == '\\' ? 2 : 1;
        } else {
          end = FindClose(list, end);
        }
      }
      if (end < list.size()) ++end;
    }
    StringView entry = list.substr(i, end - i);
    size_t tensor = Find(entry, "tensor<");
    size_t brace = Find(entry, "{");
    if (tensor == entry.size() || tensor > brace || *count == DeclaredSignature::kMaxTensors) {
      return false;
    }
    size_t open = tensor + 6;
    size_t close = FindClose(entry, open);
    if (close == entry.size()) return false;
    if (!ParseTensorBody(entry.substr(open + 1, close - open - 1), &tensors[*count])) return false;
    ++*count;
    i = end;
  }
  return true;
}

}  // namespace

uint32_t HalElementTypeOf(StringView type) {
  uint32_t numerical = 0;
  StringView bits_text;
  if (type.StartsWith("si")) numerical = kSint, bits_text = type.substr(2);
  else if (type.StartsWith("ui")) numerical = kUint, bits_text = type.substr(2);
  else if (type.StartsWith("i")) numerical = kInt, bits_text = type.substr(1);
  else if (type.StartsWith("f")) numerical = kFloat, bits_text = type.substr(1);
  else return 0;
  uint32_t bits = 0;
  for (size_t i = 0; i < bits_text.size(); ++i) {
    if (!IsDigit(bits_text[i]) || bits > 1000) return 0;
    bits = bits * 10 + uint32_t(bits_text[i] - '0');
  }
  if (bits == 0 || bits > 64) return 0;
  if (numerical == kInt && bits == 1) numerical = kBool, bits = 8;  // i1 tensors are bytes
  return (numerical << 24) | bits;
}

bool ParseAbiDeclaration(StringView text, DeclaredSignature* out) {
  *out = DeclaredSignature();
  size_t at = Find(text, "@");
  if (at == text.size()) return false;
  size_t open = Find(text, "(", at);
  if (open == text.size()) return false;
  size_t close = FindClose(text, open);
  if (close == text.size()) return false;
  if (!ParseList(text.substr(open + 1, close - open - 1), out->inputs, &out->num_inputs)) {
    return false;
  }
  size_t arrow = Find(text, "->", close);
  if (arrow == text.size()) return true;  // no results
  size_t start = arrow + 2;
  while (start < text.size() && text[start] == ' ') ++start;
  StringView results = text.substr(start);
  if (!results.empty() && results[0] == '(') {
    size_t end = FindClose(results, 0);
    if (end == results.size()) return false;
    results = results.substr(1, end - 1);
  }
  return ParseList(results, out->outputs, &out->num_outputs);
}

}  // namespace bmrt::engine
