#include "platform/qemu-virt-rv32/boot_args.h"

namespace bmrt::platform {
namespace {

constexpr uint32_t kFdtMagic = 0xD00DFEED;
constexpr uint32_t kBeginNode = 1;
constexpr uint32_t kEndNode = 2;
constexpr uint32_t kProperty = 3;
constexpr uint32_t kNop = 4;
constexpr uint32_t kEnd = 9;
constexpr uint32_t kMaxTreeSize = 1u << 20;

// Big-endian reads bounded by the tree's total size.
class FdtReader {
 public:
  FdtReader(const uint8_t* base, uint32_t size) : base_(base), size_(size) {}
  bool Load32(uint32_t offset, uint32_t* value) const {
    if (offset > size_ || size_ - offset < 4) return false;
    const uint8_t* p = base_ + offset;
    *value = uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
    return true;
  }
  // A NUL-terminated string starting at `offset`, which must end inside the tree.
  bool String(uint32_t offset, StringView* text) const {
    if (offset >= size_) return false;
    const char* start = reinterpret_cast<const char*>(base_ + offset);
    size_t length = StringView::BoundedLength(start, size_ - offset);
    if (length == size_ - offset) return false;
    *text = StringView(start, length);
    return true;
  }
  const uint8_t* base() const { return base_; }
  uint32_t size() const { return size_; }

 private:
  const uint8_t* base_;
  uint32_t size_;
};

uint32_t Align4(uint32_t value) { return (value + 3) & ~3u; }

}  // namespace

StringView FindBootArguments(uintptr_t fdt) {
  if (fdt == 0 || (fdt & 3) != 0) return {};
  FdtReader header(reinterpret_cast<const uint8_t*>(fdt), 40);
  uint32_t magic, total_size, structure_offset, strings_offset;
  if (!header.Load32(0, &magic) || magic != kFdtMagic) return {};
  header.Load32(4, &total_size);
  header.Load32(8, &structure_offset);
  header.Load32(12, &strings_offset);
  if (total_size < 40 || total_size > kMaxTreeSize) return {};
  FdtReader tree(header.base(), total_size);

  uint32_t offset = structure_offset;
  int depth = 0;
  bool in_chosen = false;
  for (int steps = 0; steps < 100000; ++steps) {
    uint32_t token;
    if (!tree.Load32(offset, &token)) return {};
    offset += 4;
    if (token == kBeginNode) {
      StringView name;
      if (!tree.String(offset, &name)) return {};
      offset = Align4(offset + uint32_t(name.size()) + 1);
      ++depth;
      in_chosen = depth == 2 && name == StringView("chosen");
    } else if (token == kEndNode) {
      if (in_chosen) return {};
      --depth;
    } else if (token == kProperty) {
      uint32_t length, name_offset;
      if (!tree.Load32(offset, &length) || !tree.Load32(offset + 4, &name_offset)) return {};
      offset += 8;
      if (length > total_size - offset) return {};
      StringView name;
      if (in_chosen && strings_offset < total_size &&
          tree.String(strings_offset + name_offset, &name) && name == StringView("bootargs")) {
        const char* value = reinterpret_cast<const char*>(tree.base() + offset);
        return StringView(value, StringView::BoundedLength(value, length));
      }
      offset = Align4(offset + length);
    } else if (token == kNop) {
      continue;
    } else {
      return {};  // kEnd or garbage
    }
  }
  (void)kEnd;
  return {};
}

bool HasBootWord(StringView arguments, StringView word) {
  size_t start = 0;
  while (start < arguments.size()) {
    size_t end = start;
    while (end < arguments.size() && arguments[end] != ' ') ++end;
    if (arguments.substr(start, end - start) == word) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace bmrt::platform
