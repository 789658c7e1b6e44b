// ModelSpec: the protocol-neutral description of a model's inputs and outputs, decoded from
// the 160-byte (G1) or 356-byte (G2+) IO specification.
#pragma once

#include "runtime/base/status.h"
#include "runtime/base/types.h"

namespace bmrt::protocol {

inline constexpr uint32_t kMaxInputs = 2;
inline constexpr uint32_t kMaxOutputs = 12;
inline constexpr uint32_t kMaxRank = 4;
inline constexpr size_t kMaxNameLength = 20;  // wire field width; names need no terminator
// Upper bound on the bytes of all inputs (or all outputs) together.
inline constexpr uint64_t kMaxTensorBytes = 64u * 1024 * 1024;

// Element type codes follow DLPack (as Kenning's 356-byte spec does).
enum class ElementCode : uint8_t { kInt = 0, kUint = 1, kFloat = 2 };

struct ElementType {
  ElementCode code = ElementCode::kFloat;
  uint8_t bits = 32;

  bool operator==(const ElementType&) const = default;
  uint32_t ByteSize() const { return bits / 8u; }
};

// Valid: int/uint of 8, 16, 32, 64 bits; float of 16, 32, 64 bits.
bool IsSupportedElementType(ElementType type);

struct TensorSpec {
  uint32_t rank = 0;             // 0 = scalar
  uint32_t dims[kMaxRank] = {};  // dims[0..rank), each >= 1
  ElementType type;
};

struct ModelSpec {
  uint32_t num_inputs = 0;
  TensorSpec inputs[kMaxInputs];
  uint32_t num_outputs = 0;
  TensorSpec outputs[kMaxOutputs];
  // NUL-terminated, at most kMaxNameLength characters. An empty entry function lets the
  // engine pick its default (e.g. "main"); G1 hosts always send the qualified "module.main",
  // G2+ hosts usually send an empty name.
  char entry_function[kMaxNameLength + 1] = {};
  char model_name[kMaxNameLength + 1] = {};
};

// Checks every limit (counts, ranks, dims >= 1, element types, byte totals without overflow).
Status ValidateModelSpec(const ModelSpec& spec);

// Element count and byte size of one tensor; false on overflow.
bool TensorElementCount(const TensorSpec& tensor, uint64_t* count);
bool TensorByteSize(const TensorSpec& tensor, uint64_t* bytes);
// Sums over all inputs / outputs (valid only for a spec that passed ValidateModelSpec).
uint64_t TotalInputBytes(const ModelSpec& spec);
uint64_t TotalOutputBytes(const ModelSpec& spec);

}  // namespace bmrt::protocol
