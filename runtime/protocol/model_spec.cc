#include "runtime/protocol/model_spec.h"

#include "runtime/base/utility.h"

namespace bmrt::protocol {

bool IsSupportedElementType(ElementType type) {
  switch (type.code) {
    case ElementCode::kInt:
    case ElementCode::kUint:
      return type.bits == 8 || type.bits == 16 || type.bits == 32 || type.bits == 64;
    case ElementCode::kFloat:
      return type.bits == 16 || type.bits == 32 || type.bits == 64;
  }
  return false;
}

bool TensorElementCount(const TensorSpec& tensor, uint64_t* count) {
  uint64_t total = 1;
  for (uint32_t i = 0; i < tensor.rank && i < kMaxRank; ++i) {
    if (!CheckedMul<uint64_t>(total, tensor.dims[i], &total)) return false;
  }
  *count = total;
  return true;
}

bool TensorByteSize(const TensorSpec& tensor, uint64_t* bytes) {
  uint64_t count = 0;
  return TensorElementCount(tensor, &count) &&
         CheckedMul<uint64_t>(count, tensor.type.ByteSize(), bytes);
}

namespace {

Status ValidateTensors(const TensorSpec* tensors, uint32_t count, const char* too_large) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const TensorSpec& tensor = tensors[i];
    if (tensor.rank > kMaxRank) return InvalidArgument("tensor rank above 4");
    for (uint32_t d = 0; d < tensor.rank; ++d) {
      if (tensor.dims[d] == 0) return InvalidArgument("tensor dimension of 0");
    }
    if (!IsSupportedElementType(tensor.type)) return InvalidArgument("unsupported element type");
    uint64_t bytes = 0;
    if (!TensorByteSize(tensor, &bytes) || !CheckedAdd(total, bytes, &total) ||
        total > kMaxTensorBytes) {
      return OutOfRange(too_large);
    }
  }
  return OkStatus();
}

bool ValidName(const char* name) {
  size_t length = 0;
  while (length <= kMaxNameLength && name[length] != '\0') {
    if (name[length] < 0x21 || name[length] > 0x7E) return false;
    ++length;
  }
  return length <= kMaxNameLength;
}

}  // namespace

Status ValidateModelSpec(const ModelSpec& spec) {
  if (spec.num_inputs < 1 || spec.num_inputs > kMaxInputs) {
    return InvalidArgument("number of inputs must be 1 or 2");
  }
  if (spec.num_outputs < 1 || spec.num_outputs > kMaxOutputs) {
    return InvalidArgument("number of outputs must be 1 to 12");
  }
  BMRT_RETURN_IF_ERROR(ValidateTensors(spec.inputs, spec.num_inputs, "inputs exceed 64 MiB"));
  BMRT_RETURN_IF_ERROR(ValidateTensors(spec.outputs, spec.num_outputs, "outputs exceed 64 MiB"));
  if (!ValidName(spec.entry_function)) return InvalidArgument("entry function name is invalid");
  if (!ValidName(spec.model_name)) return InvalidArgument("model name is invalid");
  return OkStatus();
}

uint64_t TotalInputBytes(const ModelSpec& spec) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < spec.num_inputs && i < kMaxInputs; ++i) {
    uint64_t bytes = 0;
    if (TensorByteSize(spec.inputs[i], &bytes)) total += bytes;
  }
  return total;
}

uint64_t TotalOutputBytes(const ModelSpec& spec) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < spec.num_outputs && i < kMaxOutputs; ++i) {
    uint64_t bytes = 0;
    if (TensorByteSize(spec.outputs[i], &bytes)) total += bytes;
  }
  return total;
}

}  // namespace bmrt::protocol
