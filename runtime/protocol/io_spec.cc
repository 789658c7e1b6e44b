#include "runtime/protocol/io_spec.h"

#include <string.h>

#include "runtime/base/byte_reader.h"
#include "runtime/base/string_view.h"

namespace bmrt::protocol {

namespace {

// Copies a NUL-padded field; rejects bytes after the first NUL (garbage or misalignment).
bool ReadName(ByteReader& reader, char (&out)[kMaxNameLength + 1]) {
  ByteSpan field = reader.ReadBytes(kMaxNameLength);
  if (field.size() != kMaxNameLength) return false;
  size_t length = StringView::BoundedLength(reinterpret_cast<const char*>(field.data()),
                                            kMaxNameLength);
  for (size_t i = length; i < kMaxNameLength; ++i) {
    if (field[i] != 0) return false;
  }
  memcpy(out, field.data(), length);
  out[length] = '\0';
  return true;
}

void WriteName(ByteWriter& writer, const char* name) {
  writer.WriteFixedString(name, StringView::BoundedLength(name, kMaxNameLength + 1),
                          kMaxNameLength);
}

bool AllZero(const uint32_t* values, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    if (values[i] != 0) return false;
  }
  return true;
}

// "f32", "i8", "u16"... NUL-padded in 4 bytes.
bool ParseDtype(ByteSpan field, ElementType* type) {
  switch (field[0]) {
    case 'i': type->code = ElementCode::kInt; break;
    case 'u': type->code = ElementCode::kUint; break;
    case 'f': type->code = ElementCode::kFloat; break;
    default: return false;
  }
  uint32_t bits = 0;
  size_t i = 1;
  for (; i < 4 && field[i] >= '0' && field[i] <= '9'; ++i) bits = bits * 10 + (field[i] - '0');
  if (i == 1) return false;
  for (; i < 4; ++i) {
    if (field[i] != 0) return false;
  }
  if (bits > 255) return false;
  type->bits = uint8_t(bits);
  return IsSupportedElementType(*type);
}

}  // namespace

Status DecodeIoSpecG1(ByteSpan bytes, ModelSpec* spec) {
  if (bytes.size() != kIoSpecG1Size) return InvalidArgument("G1 IO spec must be 160 bytes");
  ByteReader reader(bytes);
  ModelSpec decoded;
  uint32_t num_inputs = reader.ReadU32();
  uint32_t ranks[kMaxInputs], shapes[kMaxInputs][kMaxRank], lengths[kMaxInputs],
      size_bytes[kMaxInputs], output_lengths[kMaxOutputs];
  for (auto& rank : ranks) rank = reader.ReadU32();
  for (auto& shape : shapes) {
    for (auto& dim : shape) dim = reader.ReadU32();
  }
  for (auto& length : lengths) length = reader.ReadU32();
  for (auto& size : size_bytes) size = reader.ReadU32();
  uint32_t num_outputs = reader.ReadU32();
  for (auto& length : output_lengths) length = reader.ReadU32();
  uint32_t output_size_bytes = reader.ReadU32();
  ByteSpan dtype = reader.ReadBytes(4);
  bool names_ok = ReadName(reader, decoded.entry_function) && ReadName(reader, decoded.model_name);
  if (!reader.ok()) return DataLoss("G1 IO spec truncated");
  if (!names_ok) return InvalidArgument("IO spec name has bytes after its terminator");

  if (num_inputs < 1 || num_inputs > kMaxInputs) return InvalidArgument("number of inputs must be 1 or 2");
  if (num_outputs < 1 || num_outputs > kMaxOutputs) return InvalidArgument("number of outputs must be 1 to 12");
  ElementType input_type;
  if (!ParseDtype(dtype, &input_type)) return InvalidArgument("unknown G1 dtype");
  decoded.num_inputs = num_inputs;
  for (uint32_t i = 0; i < kMaxInputs; ++i) {
    if (i >= num_inputs) {
      if (ranks[i] || lengths[i] || size_bytes[i] || !AllZero(shapes[i], 0, kMaxRank)) {
        return InvalidArgument("unused input slot is not zero");
      }
      continue;
    }
    if (ranks[i] > kMaxRank) return InvalidArgument("tensor rank above 4");
    if (!AllZero(shapes[i], ranks[i], kMaxRank)) return InvalidArgument("shape padding is not zero");
    if (size_bytes[i] != input_type.ByteSize()) return InvalidArgument("input element size differs from dtype");
    TensorSpec& tensor = decoded.inputs[i];
    tensor.type = input_type;
    if (ranks[i] == 0) {
      tensor.rank = 1;
      tensor.dims[0] = lengths[i];
    } else {
      tensor.rank = ranks[i];
      for (uint32_t d = 0; d < ranks[i]; ++d) tensor.dims[d] = shapes[i][d];
    }
    uint64_t count = 0;
    if (!TensorElementCount(tensor, &count) || count != lengths[i]) {
      return InvalidArgument("input length differs from its shape");
    }
  }
  if (output_size_bytes == 0 || output_size_bytes > 8) return InvalidArgument("bad output element size");
  ElementType output_type{input_type.code, uint8_t(output_size_bytes * 8)};
  decoded.num_outputs = num_outputs;
  for (uint32_t i = 0; i < kMaxOutputs; ++i) {
    if (i >= num_outputs) {
      if (output_lengths[i] != 0) return InvalidArgument("unused output slot is not zero");
      continue;
    }
    decoded.outputs[i].rank = 1;
    decoded.outputs[i].dims[0] = output_lengths[i];
    decoded.outputs[i].type = output_type;
  }
  BMRT_RETURN_IF_ERROR(ValidateModelSpec(decoded));
  *spec = decoded;
  return OkStatus();
}

Status DecodeIoSpecG2(ByteSpan bytes, ModelSpec* spec) {
  if (bytes.size() != kIoSpecG2Size) return InvalidArgument("IO spec must be 356 bytes");
  ByteReader reader(bytes);
  ModelSpec decoded;
  uint32_t ranks[kMaxOutputs], shapes[kMaxOutputs][kMaxRank];
  uint8_t types[kMaxOutputs][2];
  auto read_tensors = [&](uint32_t max) {
    for (uint32_t i = 0; i < max; ++i) ranks[i] = reader.ReadU32();
    for (uint32_t i = 0; i < max; ++i) {
      for (auto& dim : shapes[i]) dim = reader.ReadU32();
    }
    for (uint32_t i = 0; i < max; ++i) {
      types[i][0] = reader.ReadU8();
      types[i][1] = reader.ReadU8();
    }
  };
  auto fill = [&](uint32_t count, uint32_t max, TensorSpec* tensors) -> Status {
    for (uint32_t i = 0; i < max; ++i) {
      if (i >= count) {
        if (ranks[i] || types[i][0] || types[i][1] || !AllZero(shapes[i], 0, kMaxRank)) {
          return InvalidArgument("unused tensor slot is not zero");
        }
        continue;
      }
      if (ranks[i] > kMaxRank) return InvalidArgument("tensor rank above 4");
      if (!AllZero(shapes[i], ranks[i], kMaxRank)) return InvalidArgument("shape padding is not zero");
      if (types[i][0] > uint8_t(ElementCode::kFloat)) return InvalidArgument("unsupported element type");
      tensors[i].rank = ranks[i];
      for (uint32_t d = 0; d < ranks[i]; ++d) tensors[i].dims[d] = shapes[i][d];
      tensors[i].type = ElementType{ElementCode(types[i][0]), types[i][1]};
    }
    return OkStatus();
  };

  uint32_t num_inputs = reader.ReadU32();
  read_tensors(kMaxInputs);
  if (num_inputs < 1 || num_inputs > kMaxInputs) return InvalidArgument("number of inputs must be 1 or 2");
  BMRT_RETURN_IF_ERROR(fill(num_inputs, kMaxInputs, decoded.inputs));
  uint32_t num_outputs = reader.ReadU32();
  read_tensors(kMaxOutputs);
  bool names_ok = ReadName(reader, decoded.entry_function) && ReadName(reader, decoded.model_name);
  if (!reader.ok()) return DataLoss("IO spec truncated");
  if (num_outputs < 1 || num_outputs > kMaxOutputs) return InvalidArgument("number of outputs must be 1 to 12");
  BMRT_RETURN_IF_ERROR(fill(num_outputs, kMaxOutputs, decoded.outputs));
  if (!names_ok) return InvalidArgument("IO spec name has bytes after its terminator");
  decoded.num_inputs = num_inputs;
  decoded.num_outputs = num_outputs;
  BMRT_RETURN_IF_ERROR(ValidateModelSpec(decoded));
  *spec = decoded;
  return OkStatus();
}

Status EncodeIoSpecG1(const ModelSpec& spec, MutableByteSpan out) {
  BMRT_RETURN_IF_ERROR(ValidateModelSpec(spec));
  const ElementType input_type = spec.inputs[0].type;
  for (uint32_t i = 1; i < spec.num_inputs; ++i) {
    if (!(spec.inputs[i].type == input_type)) return InvalidArgument("G1 needs one input dtype");
  }
  const uint32_t output_size = spec.outputs[0].type.ByteSize();
  for (uint32_t i = 1; i < spec.num_outputs; ++i) {
    if (spec.outputs[i].type.ByteSize() != output_size) return InvalidArgument("G1 needs one output width");
  }
  ByteWriter writer(out.first(kIoSpecG1Size));
  writer.WriteU32(spec.num_inputs);
  for (uint32_t i = 0; i < kMaxInputs; ++i) writer.WriteU32(i < spec.num_inputs ? spec.inputs[i].rank : 0);
  for (uint32_t i = 0; i < kMaxInputs; ++i) {
    for (uint32_t d = 0; d < kMaxRank; ++d) {
      writer.WriteU32(i < spec.num_inputs && d < spec.inputs[i].rank ? spec.inputs[i].dims[d] : 0);
    }
  }
  for (uint32_t i = 0; i < kMaxInputs; ++i) {
    uint64_t count = 0;
    if (i < spec.num_inputs && !TensorElementCount(spec.inputs[i], &count)) count = 0;
    writer.WriteU32(uint32_t(count));
  }
  for (uint32_t i = 0; i < kMaxInputs; ++i) writer.WriteU32(i < spec.num_inputs ? input_type.ByteSize() : 0);
  writer.WriteU32(spec.num_outputs);
  for (uint32_t i = 0; i < kMaxOutputs; ++i) {
    uint64_t count = 0;
    if (i < spec.num_outputs && !TensorElementCount(spec.outputs[i], &count)) count = 0;
    writer.WriteU32(uint32_t(count));
  }
  writer.WriteU32(output_size);
  char dtype[4] = {};
  dtype[0] = input_type.code == ElementCode::kInt ? 'i' : input_type.code == ElementCode::kUint ? 'u' : 'f';
  size_t n = 1;
  if (input_type.bits >= 10) dtype[n++] = char('0' + input_type.bits / 10);
  dtype[n] = char('0' + input_type.bits % 10);
  writer.WriteBytes(ByteSpan(reinterpret_cast<const uint8_t*>(dtype), 4));
  WriteName(writer, spec.entry_function);
  WriteName(writer, spec.model_name);
  return writer.ok() && writer.size() == kIoSpecG1Size ? OkStatus()
                                                       : ResourceExhausted("IO spec buffer too small");
}

Status EncodeIoSpecG2(const ModelSpec& spec, MutableByteSpan out) {
  BMRT_RETURN_IF_ERROR(ValidateModelSpec(spec));
  ByteWriter writer(out.first(kIoSpecG2Size));
  auto write_tensors = [&](const TensorSpec* tensors, uint32_t count, uint32_t max) {
    for (uint32_t i = 0; i < max; ++i) writer.WriteU32(i < count ? tensors[i].rank : 0);
    for (uint32_t i = 0; i < max; ++i) {
      for (uint32_t d = 0; d < kMaxRank; ++d) {
        writer.WriteU32(i < count && d < tensors[i].rank ? tensors[i].dims[d] : 0);
      }
    }
    for (uint32_t i = 0; i < max; ++i) {
      writer.WriteU8(i < count ? uint8_t(tensors[i].type.code) : 0);
      writer.WriteU8(i < count ? tensors[i].type.bits : 0);
    }
  };
  writer.WriteU32(spec.num_inputs);
  write_tensors(spec.inputs, spec.num_inputs, kMaxInputs);
  writer.WriteU32(spec.num_outputs);
  write_tensors(spec.outputs, spec.num_outputs, kMaxOutputs);
  WriteName(writer, spec.entry_function);
  WriteName(writer, spec.model_name);
  return writer.ok() && writer.size() == kIoSpecG2Size ? OkStatus()
                                                       : ResourceExhausted("IO spec buffer too small");
}

}  // namespace bmrt::protocol
