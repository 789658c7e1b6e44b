// Reads the tensor types of a compiled function's `iree.abi.declaration` reflection attribute,
// e.g. "sync func @main(%input0: tensor<1x128x3x1xi8> {...}) -> (%output0: tensor<1x4xi8> ...)",
// so the engine can give inputs the exact HAL element type the module asserts and check the
// IO spec's shapes before anything runs.
#pragma once

#include "runtime/base/string_view.h"
#include "runtime/base/types.h"

namespace bmrt::engine {

struct DeclaredTensor {
  static constexpr uint32_t kMaxRank = 8;
  static constexpr int64_t kDynamic = -1;
  uint32_t rank = 0;
  int64_t dims[kMaxRank] = {};  // kDynamic for '?'
  uint32_t element_type = 0;    // HAL element type; 0 when the element type is not known
};

struct DeclaredSignature {
  static constexpr uint32_t kMaxTensors = 16;
  uint32_t num_inputs = 0;
  DeclaredTensor inputs[kMaxTensors];
  uint32_t num_outputs = 0;
  DeclaredTensor outputs[kMaxTensors];
};

// HAL element type of an MLIR element type name ("f32", "i8", "si8", "ui8", "i1"...), 0 if
// unknown.
uint32_t HalElementTypeOf(StringView mlir_type);

// Parses the declaration; false when it is absent or not in the expected form (a function
// whose arguments or results are not all tensors, too many tensors, a rank above kMaxRank).
bool ParseAbiDeclaration(StringView declaration, DeclaredSignature* out);

}  // namespace bmrt::engine
