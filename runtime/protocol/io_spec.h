// IO-specification codecs: the G1 160-byte struct and the G2+ 356-byte struct, both decoded
// into (and encoded from) the neutral ModelSpec. Decoders validate every field and never
// read past the input; names are bounded to their 20-byte fields.
//
// G1 has no output shapes: outputs decode as rank-1 tensors of output_length[n] elements of the
// input dtype's code and output_size_bytes width. A G1 input of rank 0 decodes as rank 1 of
// input_length elements.
#pragma once

#include "runtime/base/span.h"
#include "runtime/base/status.h"
#include "runtime/protocol/model_spec.h"

namespace bmrt::protocol {

inline constexpr size_t kIoSpecG1Size = 160;
inline constexpr size_t kIoSpecG2Size = 356;

// Both return a validated spec in *spec; *spec is left untouched on error.
Status DecodeIoSpecG1(ByteSpan bytes, ModelSpec* spec);
Status DecodeIoSpecG2(ByteSpan bytes, ModelSpec* spec);

// `out` must hold kIoSpecG1Size / kIoSpecG2Size bytes. G1 needs one element type for all
// inputs and one element width for all outputs.
Status EncodeIoSpecG1(const ModelSpec& spec, MutableByteSpan out);
Status EncodeIoSpecG2(const ModelSpec& spec, MutableByteSpan out);

}  // namespace bmrt::protocol
