// Kenning wire generations: message codes, flags and header layouts (docs/protocol.md).
//   G1: u32 size (= 2 + payload) + u16 type; replies OK / ERROR.
//   G2: 8-byte header: u8 msg-id (type bits 0-5, flow bits 6-7), checksum, u16 flags, u32 size.
//   G3: as G2 with TRACE_DATA inserted at code 8 (later codes shifted by one).
//   G4: 12-byte header: 40-bit msg-id (type bits 0-37, flow bits 38-39), checksum, flags, size.
#pragma once

#include "runtime/base/types.h"

namespace bmrt::protocol {

enum class Generation : uint8_t { kAuto = 0, kG1 = 1, kG2 = 2, kG3 = 3, kG4 = 4 };

const char* GenerationName(Generation generation);

// Protocol-neutral message kinds; codes differ per generation (CodeOf / KindOf).
enum class MessageKind : uint8_t {
  kOk,      // G1 only
  kError,   // G1 only
  kPing,    // G2+ only
  kStatus,  // G2+ only
  kData,
  kModel,
  kProcess,
  kOutput,
  kStats,
  kIoSpec,
  kTraceData,  // G3/G4 only
  kOptimizers,
  kOptimizeModel,
  kRuntime,
  kUnoptimizedModel,
  kLogs,
  kUnknown,
};

const char* MessageKindName(MessageKind kind);

// Maps a wire code to its kind (kUnknown when the generation has no such code).
MessageKind KindOf(Generation generation, uint64_t code);
// Wire code of `kind`; false when the generation lacks it.
bool CodeOf(Generation generation, MessageKind kind, uint64_t* code);

// G1 framing.
inline constexpr size_t kG1HeaderSize = 6;
inline constexpr uint32_t kG1TypeFieldSize = 2;

// G2/G3/G4 framing.
enum class FlowControl : uint8_t { kRequest = 0, kRequestRetransmit = 1, kAcknowledge = 2, kTransmission = 3 };

namespace flags {
inline constexpr uint16_t kSuccess = 0x0001;
inline constexpr uint16_t kFail = 0x0002;
inline constexpr uint16_t kIsHostMessage = 0x0004;
inline constexpr uint16_t kHasPayload = 0x0008;
inline constexpr uint16_t kFirst = 0x0010;
inline constexpr uint16_t kLast = 0x0020;
inline constexpr uint16_t kIsKenning = 0x0040;
inline constexpr uint16_t kIsZephyr = 0x0080;
inline constexpr uint16_t kReserved = 0x0F00;
inline constexpr uint16_t kSerialized = 0x1000;
}  // namespace flags

inline constexpr uint8_t kChecksumSeed = 0x4B;

constexpr size_t HeaderSize(Generation generation) {
  return generation == Generation::kG1 ? kG1HeaderSize : generation == Generation::kG4 ? 12 : 8;
}
// Bits of the message-type field in the msg-id (G2/G3: 6, G4: 38).
constexpr unsigned TypeBits(Generation generation) { return generation == Generation::kG4 ? 38 : 6; }
// Payload bytes per message Kenning uses (max_message_size 136 minus the header): 128 / 124.
constexpr size_t ChunkSize(Generation generation) {
  return generation == Generation::kG4 ? 124 : 128;
}

}  // namespace bmrt::protocol
