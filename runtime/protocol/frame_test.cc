// Golden traces from kenning-protocol.md (1.5 G1 trace table, 2.8 G2/G4 header traces).
#include "runtime/protocol/frame.h"

#include <gtest/gtest.h>

#include "runtime/protocol/test_util.h"

namespace bmrt::protocol {
namespace {

using testing::Bytes;
using testing::Hex;
using testing::HexDump;

Bytes Header(Generation generation, MessageKind kind, FlowControl flow, uint16_t flags,
             const Bytes& payload = {}) {
  Bytes out(HeaderSize(generation));
  auto size = EncodeHeader(generation, kind, flow, flags, ByteSpan(payload.data(), payload.size()),
                           MutableByteSpan(out.data(), out.size()));
  EXPECT_TRUE(size.ok());
  return out;
}

Bytes G1(MessageKind kind, size_t payload_size) {
  return Header(Generation::kG1, kind, FlowControl::kRequest, 0, Bytes(payload_size));
}

TEST(FrameTest, G1TraceTable) {
  EXPECT_EQ(G1(MessageKind::kIoSpec, 160), Hex("A2 00 00 00 07 00"));
  EXPECT_EQ(G1(MessageKind::kOk, 0), Hex("02 00 00 00 00 00"));
  EXPECT_EQ(G1(MessageKind::kModel, 20600), Hex("7A 50 00 00 03 00"));
  EXPECT_EQ(G1(MessageKind::kData, 1536), Hex("02 06 00 00 02 00"));
  EXPECT_EQ(G1(MessageKind::kProcess, 0), Hex("02 00 00 00 04 00"));
  EXPECT_EQ(G1(MessageKind::kOutput, 0), Hex("02 00 00 00 05 00"));
  EXPECT_EQ(G1(MessageKind::kOk, 16), Hex("12 00 00 00 00 00"));
  EXPECT_EQ(G1(MessageKind::kStats, 0), Hex("02 00 00 00 06 00"));
  EXPECT_EQ(G1(MessageKind::kOk, 24), Hex("1A 00 00 00 00 00"));
  EXPECT_EQ(G1(MessageKind::kError, 0), Hex("02 00 00 00 01 00"));
}

constexpr uint16_t kReply = flags::kSuccess | flags::kFirst | flags::kLast | flags::kIsZephyr;
constexpr uint16_t kSingle = flags::kFirst | flags::kLast;

struct Trace {
  MessageKind kind;
  FlowControl flow;
  uint16_t flags;
  const char* g4;
  const char* g2;
};

// Frames without payload: their headers are fully determined.
const Trace kEmptyTraces[] = {
    {MessageKind::kPing, FlowControl::kRequest, flags::kSuccess | kSingle,
     "00 00 00 00 00 | 7A | 31 00 | 00 00 00 00", "00 | 7A | 31 00 | 00 00 00 00"},
    {MessageKind::kPing, FlowControl::kTransmission, kReply,
     "00 00 00 00 C0 | 3A | B1 00 | 00 00 00 00", "C0 | 3A | B1 00 | 00 00 00 00"},
    {MessageKind::kIoSpec, FlowControl::kTransmission, kReply,
     "07 00 00 00 C0 | 3D | B1 00 | 00 00 00 00", "C7 | 3D | B1 00 | 00 00 00 00"},
    {MessageKind::kModel, FlowControl::kTransmission, kReply,
     "03 00 00 00 C0 | 39 | B1 00 | 00 00 00 00", "C3 | 39 | B1 00 | 00 00 00 00"},
    {MessageKind::kData, FlowControl::kTransmission, kReply,
     "02 00 00 00 C0 | 38 | B1 00 | 00 00 00 00", "C2 | 38 | B1 00 | 00 00 00 00"},
    {MessageKind::kProcess, FlowControl::kRequest, kSingle,
     "04 00 00 00 00 | 7F | 30 00 | 00 00 00 00", "04 | 7F | 30 00 | 00 00 00 00"},
    {MessageKind::kProcess, FlowControl::kTransmission, kReply,
     "04 00 00 00 C0 | 3E | B1 00 | 00 00 00 00", "C4 | 3E | B1 00 | 00 00 00 00"},
    {MessageKind::kOutput, FlowControl::kRequest, kSingle,
     "05 00 00 00 00 | 7E | 30 00 | 00 00 00 00", "05 | 7E | 30 00 | 00 00 00 00"},
    {MessageKind::kStats, FlowControl::kRequest, kSingle,
     "06 00 00 00 00 | 7D | 30 00 | 00 00 00 00", "06 | 7D | 30 00 | 00 00 00 00"},
    {MessageKind::kPing, FlowControl::kRequest, flags::kFail | kSingle,
     "00 00 00 00 00 | 79 | 32 00 | 00 00 00 00", "00 | 79 | 32 00 | 00 00 00 00"},
};

TEST(FrameTest, G2AndG4HeadersWithoutPayload) {
  for (const Trace& t : kEmptyTraces) {
    SCOPED_TRACE(MessageKindName(t.kind));
    EXPECT_EQ(Header(Generation::kG4, t.kind, t.flow, t.flags), Hex(t.g4));
    EXPECT_EQ(Header(Generation::kG2, t.kind, t.flow, t.flags), Hex(t.g2));
  }
}

// Checksums of chunked uploads depend on the payload: the magic-wand IO spec (356 bytes, the
// reference dump), 1536 zero input bytes, the real 20600-byte magic_wand.tflite.
Bytes Chunk(const Bytes& payload, size_t index, size_t chunk_size) {
  size_t begin = index * chunk_size;
  size_t end = std::min(payload.size(), begin + chunk_size);
  return Bytes(payload.begin() + begin, payload.begin() + end);
}

void ExpectChunks(Generation generation, MessageKind kind, const Bytes& payload,
                  const char* first, const char* last) {
  size_t chunk = ChunkSize(generation);
  size_t count = (payload.size() + chunk - 1) / chunk;
  EXPECT_EQ(Header(generation, kind, FlowControl::kRequest, flags::kFirst, Chunk(payload, 0, chunk)),
            Hex(first));
  EXPECT_EQ(Header(generation, kind, FlowControl::kRequest, flags::kLast,
                   Chunk(payload, count - 1, chunk)),
            Hex(last));
}

const char kMagicWandG2Spec[] = R"(
0000: 01 00 00 00 04 00 00 00 00 00 00 00 01 00 00 00
0010: 80 00 00 00 03 00 00 00 01 00 00 00 00 00 00 00
0020: 00 00 00 00 00 00 00 00 00 00 00 00 02 20 00 00
0030: 01 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00
0060: 00 00 00 00 01 00 00 00 04 00 00 00 00 00 00 00
0120: 00 00 00 00 02 20 00 00 00 00 00 00 00 00 00 00
0150: 6d 6f 64 75 6c 65 00 00 00 00 00 00 00 00 00 00
)";

TEST(FrameTest, ChunkedUploadChecksums) {
  Bytes spec = HexDump(kMagicWandG2Spec, 356);
  ExpectChunks(Generation::kG4, MessageKind::kIoSpec, spec, "07 00 00 00 00 | 8A | 18 00 | 7C 00 00 00",
               "07 00 00 00 00 | 30 | 28 00 | 6C 00 00 00");
  ExpectChunks(Generation::kG2, MessageKind::kIoSpec, spec, "07 | 76 | 18 00 | 80 00 00 00",
               "07 | 38 | 28 00 | 64 00 00 00");
  Bytes input(1536, 0);
  ExpectChunks(Generation::kG4, MessageKind::kData, input, "02 00 00 00 00 | 2D | 18 00 | 7C 00 00 00",
               "02 00 00 00 00 | 51 | 28 00 | 30 00 00 00");
  ExpectChunks(Generation::kG2, MessageKind::kData, input, "02 | D1 | 18 00 | 80 00 00 00",
               "02 | E1 | 28 00 | 80 00 00 00");
  Bytes model = testing::ReadFile(BMRT_SHARED_DIR "/models/magic_wand/magic_wand.tflite");
  ASSERT_EQ(model.size(), 20600u);
  ExpectChunks(Generation::kG4, MessageKind::kModel, model, "03 00 00 00 00 | B1 | 18 00 | 7C 00 00 00",
               "03 00 00 00 00 | 78 | 28 00 | 10 00 00 00");
  ExpectChunks(Generation::kG2, MessageKind::kModel, model, "03 | 44 | 18 00 | 80 00 00 00",
               "03 | E9 | 28 00 | 78 00 00 00");
}

TEST(FrameTest, OutputReplyChecksum) {
  // 4 x float32 (0.1, 0.2, 0.3, 0.4).
  const float values[] = {0.1f, 0.2f, 0.3f, 0.4f};
  Bytes payload(16);
  memcpy(payload.data(), values, 16);
  EXPECT_EQ(Header(Generation::kG4, MessageKind::kOutput, FlowControl::kTransmission, kReply, payload),
            Hex("05 00 00 00 C0 | F3 | B9 00 | 10 00 00 00"));
  EXPECT_EQ(Header(Generation::kG2, MessageKind::kOutput, FlowControl::kTransmission, kReply, payload),
            Hex("C5 | F3 | B9 00 | 10 00 00 00"));
}

TEST(FrameTest, KindsPerGeneration) {
  EXPECT_EQ(KindOf(Generation::kG2, 8), MessageKind::kOptimizers);
  EXPECT_EQ(KindOf(Generation::kG4, 8), MessageKind::kTraceData);
  EXPECT_EQ(KindOf(Generation::kG4, 13), MessageKind::kLogs);
  EXPECT_EQ(KindOf(Generation::kG2, 13), MessageKind::kUnknown);
  EXPECT_EQ(KindOf(Generation::kG1, 8), MessageKind::kUnknown);
  uint64_t code = 0;
  EXPECT_FALSE(CodeOf(Generation::kG1, MessageKind::kPing, &code));
  EXPECT_TRUE(CodeOf(Generation::kG3, MessageKind::kLogs, &code));
  EXPECT_EQ(code, 13u);
}


}  // namespace
}  // namespace bmrt::protocol
