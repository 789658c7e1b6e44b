#include "runtime/protocol/frame_decoder.h"

#include <gtest/gtest.h>

#include "runtime/protocol/generation_detector.h"
#include "runtime/protocol/test_util.h"

namespace bmrt::protocol {
namespace {

using testing::Bytes;
using testing::Hex;

struct Fed {
  std::vector<DecodeStatus> statuses;  // every status other than kNeedMore, in order
  size_t last_index = 0;               // byte index of the last such status
};

Fed FeedAll(FrameDecoder& decoder, const Bytes& bytes) {
  Fed fed;
  for (size_t i = 0; i < bytes.size(); ++i) {
    DecodeStatus status = decoder.Feed(bytes[i]);
    if (status != DecodeStatus::kNeedMore) {
      fed.statuses.push_back(status);
      fed.last_index = i;
    }
  }
  return fed;
}

TEST(FrameDecoderTest, G1FrameWithPayload) {
  uint8_t buffer[32];
  FrameDecoder decoder(Generation::kG1, buffer);
  Bytes frame = Hex("05 00 00 00 02 00 AA BB CC");
  Fed fed = FeedAll(decoder, frame);
  ASSERT_EQ(fed.statuses, std::vector{DecodeStatus::kFrameReady});
  EXPECT_EQ(fed.last_index, frame.size() - 1);
  EXPECT_EQ(decoder.header().kind, MessageKind::kData);
  EXPECT_EQ(Bytes(decoder.payload().begin(), decoder.payload().end()), Hex("AA BB CC"));
  EXPECT_FALSE(decoder.InFrame());
}

TEST(FrameDecoderTest, G1SizeBelowTwoIsMalformed) {
  uint8_t buffer[8];
  FrameDecoder decoder(Generation::kG1, buffer);
  Fed fed = FeedAll(decoder, Hex("01 00 00 00 04 00"));
  ASSERT_EQ(fed.statuses, std::vector{DecodeStatus::kBadFrame});
  EXPECT_EQ(decoder.error(), DecodeError::kMalformedHeader);
}

TEST(FrameDecoderTest, OversizeIsDrainedThenNextFrameDecodes) {
  uint8_t buffer[4];
  FrameDecoder decoder(Generation::kG1, buffer);
  Bytes bytes = Hex("0A 00 00 00 02 00 01 02 03 04 05 06 07 08  02 00 00 00 04 00");
  Fed fed = FeedAll(decoder, bytes);
  ASSERT_EQ(fed.statuses, (std::vector{DecodeStatus::kTooLarge, DecodeStatus::kFrameReady}));
  EXPECT_EQ(decoder.header().kind, MessageKind::kProcess);
}

TEST(FrameDecoderTest, G4ChecksumVerified) {
  uint8_t buffer[16];
  FrameDecoder decoder(Generation::kG4, buffer);
  Bytes good = Hex("04 00 00 00 00 7F 30 00 00 00 00 00");
  EXPECT_EQ(FeedAll(decoder, good).statuses, std::vector{DecodeStatus::kFrameReady});
  EXPECT_EQ(decoder.header().kind, MessageKind::kProcess);
  Bytes bad = good;
  bad[5] = 0x7E;
  EXPECT_EQ(FeedAll(decoder, bad).statuses, std::vector{DecodeStatus::kBadFrame});
  EXPECT_EQ(decoder.error(), DecodeError::kBadChecksum);
  EXPECT_EQ(decoder.header().kind, MessageKind::kProcess);
  // A zero checksum byte means "not computed" (Kenning without error recovery).
  Bytes unchecked = good;
  unchecked[5] = 0;
  EXPECT_EQ(FeedAll(decoder, unchecked).statuses, std::vector{DecodeStatus::kFrameReady});
}

TEST(FrameDecoderTest, G2PayloadOnlyWithHasPayloadFlag) {
  uint8_t buffer[16];
  FrameDecoder decoder(Generation::kG2, buffer);
  // ACKNOWLEDGE with a count in the size field and no HAS_PAYLOAD: no payload follows.
  Bytes ack = Hex("82 00 01 00 05 00 00 00");
  ack[1] = uint8_t(0x4B ^ 0x82 ^ 0x01 ^ 0x05);
  EXPECT_EQ(FeedAll(decoder, ack).statuses, std::vector{DecodeStatus::kFrameReady});
  EXPECT_EQ(decoder.header().flow, FlowControl::kAcknowledge);
  EXPECT_EQ(decoder.header().payload_size, 0u);
  EXPECT_EQ(decoder.header().size_field, 5u);
}

TEST(FrameDecoderTest, G2ReservedFlagsAreMalformed) {
  uint8_t buffer[16];
  FrameDecoder decoder(Generation::kG2, buffer);
  EXPECT_EQ(FeedAll(decoder, Hex("04 00 30 01 00 00 00 00")).statuses,
            std::vector{DecodeStatus::kBadFrame});
  EXPECT_EQ(decoder.error(), DecodeError::kMalformedHeader);
}

TEST(FrameDecoderTest, ResetAbandonsPartialFrame) {
  uint8_t buffer[16];
  FrameDecoder decoder(Generation::kG1, buffer);
  FeedAll(decoder, Hex("08 00 00 00 02 00 01"));
  EXPECT_TRUE(decoder.InFrame());
  decoder.Reset();
  EXPECT_FALSE(decoder.InFrame());
  EXPECT_EQ(FeedAll(decoder, Hex("02 00 00 00 05 00")).statuses, std::vector{DecodeStatus::kFrameReady});
}

class ToBigBuffer : public PayloadRouter {
 public:
  MutableByteSpan RoutePayload(const FrameHeader& header, MutableByteSpan) override {
    seen = header.payload_size;
    return MutableByteSpan(big, sizeof(big));
  }
  uint8_t big[64] = {};
  uint32_t seen = 0;
};

TEST(FrameDecoderTest, RouterChoosesDestination) {
  uint8_t small[2];
  ToBigBuffer router;
  FrameDecoder decoder(Generation::kG1, small, &router);
  Bytes frame = Hex("06 00 00 00 03 00 01 02 03 04");
  EXPECT_EQ(FeedAll(decoder, frame).statuses, std::vector{DecodeStatus::kFrameReady});
  EXPECT_EQ(router.seen, 4u);
  EXPECT_EQ(router.big[3], 4);
}

TEST(GenerationDetectorTest, ClassifiesFirstFrames) {
  auto detect = [](const Bytes& bytes) {
    GenerationDetector detector;
    Generation result = Generation::kAuto;
    for (uint8_t b : bytes) result = detector.Feed(b);
    return result;
  };
  EXPECT_EQ(detect(Hex("00 00 00 00 00 7A 31 00 00 00 00 00")), Generation::kG4);
  EXPECT_EQ(detect(Hex("00 7A 31 00 00 00 00 00")), Generation::kG2);
  EXPECT_EQ(detect(Hex("00 00 31 00")), Generation::kG2);  // checksum not computed
  EXPECT_EQ(detect(Hex("A2 00 00 00 07 00")), Generation::kG1);
  EXPECT_EQ(detect(Hex("02 00 00 00 04 00")), Generation::kG1);
  EXPECT_EQ(detect(Hex("00 00 01 00")), Generation::kG1);  // G1 size 65536
  EXPECT_EQ(detect(Hex("00 7A 31")), Generation::kAuto);
}

}  // namespace
}  // namespace bmrt::protocol
