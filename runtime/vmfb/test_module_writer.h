// Test-only: writes synthetic FlatBuffers and .vmfb archives so that tests can build exactly the
// (malformed) module they need. Writes front to back: every child follows its parent, so all
// uoffsets point forward as the format requires; vtables sit right before their table.
#pragma once

#include <stdint.h>
#include <string.h>

#include <memory>
#include <string>
#include <vector>

namespace bmrt::vmfb::testing {

struct FbNode;
using FbNodePtr = std::shared_ptr<FbNode>;

struct FbField {
  int id;
  std::vector<uint8_t> scalar;  // inline bytes (scalars), when `child` is null
  FbNodePtr child;              // offset field
};

struct FbNode {
  enum Kind { kTable, kString, kBytes, kOffsets } kind = kTable;
  std::vector<FbField> fields;     // kTable
  std::vector<uint8_t> bytes;      // kString (without NUL) / kBytes (count = bytes / element)
  uint32_t element_size = 1;       // kBytes
  std::vector<FbNodePtr> elements; // kOffsets
};

inline std::vector<uint8_t> Le(uint64_t value, int size) {
  std::vector<uint8_t> out(size);
  for (int i = 0; i < size; ++i) out[i] = uint8_t(value >> (8 * i));
  return out;
}

inline FbNodePtr MakeNode(FbNode::Kind kind) {
  auto node = std::make_shared<FbNode>();
  node->kind = kind;
  return node;
}
inline FbNodePtr Table(std::vector<FbField> fields) {
  auto node = MakeNode(FbNode::kTable);
  node->fields = std::move(fields);
  return node;
}
inline FbNodePtr String(const std::string& text) {
  auto node = MakeNode(FbNode::kString);
  node->bytes.assign(text.begin(), text.end());
  return node;
}
inline FbNodePtr Bytes(std::vector<uint8_t> bytes, uint32_t element_size = 1) {
  auto node = MakeNode(FbNode::kBytes);
  node->bytes = std::move(bytes);
  node->element_size = element_size;
  return node;
}
inline FbNodePtr Offsets(std::vector<FbNodePtr> elements) {
  auto node = MakeNode(FbNode::kOffsets);
  node->elements = std::move(elements);
  return node;
}
inline FbField U8(int id, uint8_t v) { return {id, Le(v, 1), nullptr}; }
inline FbField U16(int id, uint16_t v) { return {id, Le(v, 2), nullptr}; }
inline FbField U32(int id, uint32_t v) { return {id, Le(v, 4), nullptr}; }
inline FbField U64(int id, uint64_t v) { return {id, Le(v, 8), nullptr}; }
inline FbField Child(int id, FbNodePtr child) { return {id, {}, std::move(child)}; }

class FbWriter {
 public:
  // A complete FlatBuffer with `root` and a file identifier.
  std::vector<uint8_t> Finish(const FbNodePtr& root, const char identifier[4] = "IREE") {
    out_.assign(8, 0);
    memcpy(&out_[4], identifier, 4);
    uint32_t root_position = Write(*root);
    Patch(0, root_position);
    return out_;
  }

 private:
  void Align(size_t alignment) {
    while (out_.size() % alignment) out_.push_back(0);
  }
  void Patch(uint32_t at, uint32_t target) {
    auto bytes = Le(target - at, 4);
    memcpy(&out_[at], bytes.data(), 4);
  }

  uint32_t Write(const FbNode& node) {
    switch (node.kind) {
      case FbNode::kString: {
        Align(4);
        uint32_t at = uint32_t(out_.size());
        auto length = Le(node.bytes.size(), 4);
        out_.insert(out_.end(), length.begin(), length.end());
        out_.insert(out_.end(), node.bytes.begin(), node.bytes.end());
        out_.push_back(0);
        return at;
      }
      case FbNode::kBytes: {
        Align(8);
        out_.resize(out_.size() + 4);  // keep the elements 8-aligned after the count
        uint32_t at = uint32_t(out_.size());
        auto count = Le(node.bytes.size() / node.element_size, 4);
        out_.insert(out_.end(), count.begin(), count.end());
        out_.insert(out_.end(), node.bytes.begin(), node.bytes.end());
        return at;
      }
      case FbNode::kOffsets: {
        Align(4);
        uint32_t at = uint32_t(out_.size());
        auto count = Le(node.elements.size(), 4);
        out_.insert(out_.end(), count.begin(), count.end());
        size_t slots = out_.size();
        out_.resize(out_.size() + 4 * node.elements.size());
        for (size_t i = 0; i < node.elements.size(); ++i) {
          uint32_t child = Write(*node.elements[i]);
          Patch(uint32_t(slots + 4 * i), child);
        }
        return at;
      }
      case FbNode::kTable:
      default:
        return WriteTable(node);
    }
  }

  uint32_t WriteTable(const FbNode& node) {
    int max_id = -1;
    for (const auto& field : node.fields) max_id = field.id > max_id ? field.id : max_id;
    // Inline layout: soffset, then each field 8-aligned relative to the table start.
    std::vector<uint16_t> field_offsets(max_id + 1, 0);
    size_t inline_size = 4;
    for (const auto& field : node.fields) {
      size_t size = field.child ? 4 : field.scalar.size();
      inline_size = (inline_size + (size >= 8 ? 7 : size - 1)) & ~(size >= 8 ? 7 : size - 1);
      field_offsets[field.id] = uint16_t(inline_size);
      inline_size += size;
    }
    Align(4);
    uint16_t vtable_size = uint16_t(4 + 2 * (max_id + 1));
    uint32_t vtable = uint32_t(out_.size());
    auto put16 = [&](uint16_t v) {
      out_.push_back(uint8_t(v));
      out_.push_back(uint8_t(v >> 8));
    };
    put16(vtable_size);
    put16(uint16_t(inline_size));
    for (uint16_t offset : field_offsets) put16(offset);
    Align(8);
    uint32_t table = uint32_t(out_.size());
    out_.resize(out_.size() + inline_size, 0);
    auto soffset = Le(uint32_t(int32_t(table - vtable)), 4);
    memcpy(&out_[table], soffset.data(), 4);
    for (const auto& field : node.fields) {
      if (!field.child) {
        memcpy(&out_[table + field_offsets[field.id]], field.scalar.data(), field.scalar.size());
      }
    }
    for (const auto& field : node.fields) {
      if (field.child) {
        uint32_t child = Write(*field.child);
        Patch(table + field_offsets[field.id], child);
      }
    }
    return table;
  }

  std::vector<uint8_t> out_;
};

// A bare .vmfb: size prefix, FlatBuffer, padding to 64, then `external_rodata`.
inline std::vector<uint8_t> BareArchive(const std::vector<uint8_t>& flatbuffer,
                                        const std::vector<uint8_t>& external_rodata = {}) {
  std::vector<uint8_t> out = Le(flatbuffer.size(), 4);
  out.insert(out.end(), flatbuffer.begin(), flatbuffer.end());
  if (!external_rodata.empty()) {
    while (out.size() % 64) out.push_back(0);
    out.insert(out.end(), external_rodata.begin(), external_rodata.end());
  }
  return out;
}

}  // namespace bmrt::vmfb::testing
