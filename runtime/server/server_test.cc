#include "runtime/server/server.h"

#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <string>

#include "runtime/protocol/frame.h"
#include "runtime/protocol/test_util.h"
#include "runtime/server/test_engine.h"

namespace bmrt::server {
namespace {

using protocol::FlowControl;
using protocol::Generation;
using protocol::MessageKind;
using protocol::testing::Bytes;
using protocol::testing::Hex;
namespace flags = protocol::flags;

constexpr int kPause = -1;  // the host goes quiet for longer than the inter-byte timeout

class FakeTransport final : public Transport {
 public:
  bool ReadByte(uint8_t* out, uint32_t) override {
    if (input.empty()) {
      open = false;
      return false;
    }
    int next = input.front();
    input.pop_front();
    if (next == kPause) return false;
    *out = uint8_t(next);
    return true;
  }
  Status Write(ByteSpan bytes) override {
    output.insert(output.end(), bytes.begin(), bytes.end());
    return OkStatus();
  }
  uint64_t NowMicros() override { return now += 10; }
  uint64_t RetiredInstructions() override { return instructions += 1000; }
  bool IsOpen() override { return open; }

  void Send(const Bytes& bytes) { input.insert(input.end(), bytes.begin(), bytes.end()); }
  void Pause() { input.push_back(kPause); }
  Bytes Take() { return std::exchange(output, {}); }

  std::deque<int> input;
  Bytes output;
  bool open = true;
  uint64_t now = 0;
  uint64_t instructions = 0;
};

Bytes G1Frame(uint16_t type, const Bytes& payload = {}) {
  Bytes out = Hex("00 00 00 00 00 00");
  uint32_t size = uint32_t(payload.size() + 2);
  memcpy(out.data(), &size, 4);
  memcpy(out.data() + 4, &type, 2);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Bytes Frame(Generation g, MessageKind kind, FlowControl flow, uint16_t flag_bits,
            const Bytes& payload = {}) {
  Bytes out(protocol::HeaderSize(g) + payload.size());
  auto size = protocol::EncodeFrame(g, kind, flow, flag_bits, ByteSpan(payload.data(), payload.size()),
                                    MutableByteSpan(out.data(), out.size()));
  EXPECT_TRUE(size.ok());
  return out;
}

// Kenning-style request: payload split into FIRST ... LAST chunks.
Bytes Request(Generation g, MessageKind kind, const Bytes& payload = {}, uint16_t extra = 0) {
  if (payload.empty()) return Frame(g, kind, FlowControl::kRequest, flags::kFirst | flags::kLast | extra);
  Bytes out;
  size_t chunk = protocol::ChunkSize(g);
  for (size_t offset = 0; offset < payload.size(); offset += chunk) {
    size_t end = std::min(payload.size(), offset + chunk);
    uint16_t bits = (offset == 0 ? flags::kFirst : 0) | (end == payload.size() ? flags::kLast : 0);
    Bytes part = Frame(g, kind, FlowControl::kRequest, bits, Bytes(payload.begin() + offset, payload.begin() + end));
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

constexpr uint16_t kSuccessReply = flags::kSuccess | flags::kFirst | flags::kLast | flags::kIsZephyr;

Bytes SuccessReply(Generation g, MessageKind kind, const Bytes& payload = {}) {
  return Frame(g, kind, FlowControl::kTransmission, kSuccessReply, payload);
}

Bytes MagicWandSpecG1() {
  protocol::ModelSpec spec;
  spec.num_inputs = 1;
  spec.inputs[0] = {4, {1, 128, 3, 1}, {protocol::ElementCode::kFloat, 32}};
  spec.num_outputs = 1;
  spec.outputs[0] = {2, {1, 4}, {protocol::ElementCode::kFloat, 32}};
  strcpy(spec.entry_function, "module.main");
  strcpy(spec.model_name, "module");
  Bytes out(160);
  EXPECT_TRUE(protocol::EncodeIoSpecG1(spec, MutableByteSpan(out.data(), 160)).ok());
  return out;
}

Bytes MagicWandSpecG2() {
  protocol::ModelSpec spec;
  spec.num_inputs = 1;
  spec.inputs[0] = {4, {1, 128, 3, 1}, {protocol::ElementCode::kFloat, 32}};
  spec.num_outputs = 1;
  spec.outputs[0] = {2, {1, 4}, {protocol::ElementCode::kFloat, 32}};
  strcpy(spec.model_name, "module");
  Bytes out(356);
  EXPECT_TRUE(protocol::EncodeIoSpecG2(spec, MutableByteSpan(out.data(), 356)).ok());
  return out;
}

Bytes TestModel(size_t size, uint8_t first = 'x') {
  Bytes model(size);
  memcpy(model.data(), "BMRTTEST", 8);
  for (size_t i = 8; i < size; ++i) model[i] = uint8_t(i * 7 + 3);
  model[8] = first;
  return model;
}

// The test engine's documented function.
Bytes ExpectedOutput(const Bytes& model, const Bytes& input, size_t output_size) {
  uint32_t sum = 0;
  for (size_t i = 8; i < model.size(); ++i) sum += model[i];
  for (uint8_t b : input) sum += b;
  Bytes out(output_size);
  for (size_t j = 0; j < output_size; ++j) out[j] = uint8_t(sum + j);
  return out;
}

Bytes Input(size_t size) {
  Bytes input(size);
  for (size_t i = 0; i < size; ++i) input[i] = uint8_t(i * 13 + 1);
  return input;
}

class ServerTest : public ::testing::Test {
 protected:
  explicit ServerTest(size_t arena_size = 1 << 20) : memory_(arena_size), arena_(MutableByteSpan(memory_.data(), memory_.size())) {}

  void Start(Generation generation) {
    ServerOptions options;
    options.generation = generation;
    server_ = std::make_unique<InferenceServer>(transport_, engine_, arena_, options);
  }
  // Sends bytes, serves until they are consumed, returns what the server wrote.
  Bytes Exchange(const Bytes& bytes) {
    transport_.Send(bytes);
    while (!transport_.input.empty()) server_->ServeOne();
    transport_.open = true;
    return transport_.Take();
  }
  Bytes PauseAndServe() {
    transport_.Pause();
    while (!transport_.input.empty()) server_->ServeOne();
    transport_.open = true;
    return transport_.Take();
  }

  Bytes memory_;
  Arena arena_;
  FakeTransport transport_;
  TestEngine engine_;
  std::unique_ptr<InferenceServer> server_;
};

const Bytes kOk = Hex("02 00 00 00 00 00");
const Bytes kError = Hex("02 00 00 00 01 00");

TEST_F(ServerTest, G1FullSequence) {
  Start(Generation::kAuto);
  EXPECT_EQ(Exchange(G1Frame(7, MagicWandSpecG1())), kOk);
  EXPECT_EQ(server_->generation(), Generation::kG1);
  Bytes model = TestModel(20600);
  EXPECT_EQ(Exchange(G1Frame(3, model)), kOk);
  Bytes input = Input(1536);
  EXPECT_EQ(Exchange(G1Frame(2, input)), kOk);
  EXPECT_EQ(Exchange(G1Frame(4)), kOk);
  Bytes expected = Hex("12 00 00 00 00 00");
  Bytes output = ExpectedOutput(model, input, 16);
  expected.insert(expected.end(), output.begin(), output.end());
  EXPECT_EQ(Exchange(G1Frame(5)), expected);
  Bytes stats = Exchange(G1Frame(6));
  ASSERT_EQ(stats.size(), 30u);
  EXPECT_EQ(Bytes(stats.begin(), stats.begin() + 6), Hex("1A 00 00 00 00 00"));
  uint32_t peak = 0;
  memcpy(&peak, stats.data() + 6, 4);
  EXPECT_EQ(peak, arena_.stats().peak_bytes_in_use);
  EXPECT_GE(peak, 20600u + 1536u + 16u);
}

TEST_F(ServerTest, G1GatingAnswersError) {
  Start(Generation::kG1);
  EXPECT_EQ(Exchange(G1Frame(3, TestModel(64))), kError);
  EXPECT_STREQ(server_->last_error(), "MODEL before IO spec");
  EXPECT_EQ(Exchange(G1Frame(2, Input(1536))), kError);
  EXPECT_EQ(Exchange(G1Frame(4)), kError);
  EXPECT_EQ(Exchange(G1Frame(5)), kError);
  EXPECT_EQ(Exchange(G1Frame(6)), kError);
  EXPECT_EQ(Exchange(G1Frame(7, MagicWandSpecG1())), kOk);
  EXPECT_EQ(Exchange(G1Frame(2, Input(1536))), kError);
  EXPECT_EQ(Exchange(G1Frame(3, TestModel(64))), kOk);
  EXPECT_EQ(Exchange(G1Frame(4)), kError);
  EXPECT_EQ(Exchange(G1Frame(2, Input(1535))), kError);
  EXPECT_EQ(server_->state(), ServerState::kModelLoaded);
  EXPECT_EQ(Exchange(G1Frame(2, Input(1536))), kOk);
  EXPECT_EQ(Exchange(G1Frame(5)), kError);
  EXPECT_EQ(Exchange(G1Frame(4)), kOk);
  EXPECT_EQ(Exchange(G1Frame(4)), kOk);  // PROCESS may repeat
  EXPECT_EQ(server_->inference_count(), 2u);
  // A new IO spec drops the model: DATA needs a new MODEL.
  EXPECT_EQ(Exchange(G1Frame(7, MagicWandSpecG1())), kOk);
  EXPECT_EQ(server_->state(), ServerState::kSpecLoaded);
  EXPECT_FALSE(engine_.loaded());
  EXPECT_EQ(Exchange(G1Frame(2, Input(1536))), kError);
}

TEST_F(ServerTest, G1NonRequestsAndUnknownTypesAnswerError) {
  Start(Generation::kG1);
  for (uint16_t type : {0, 1, 8, 9, 0x7FFF, 0xFFFF}) {
    EXPECT_EQ(Exchange(G1Frame(type)), kError) << type;
  }
  EXPECT_EQ(Exchange(G1Frame(4, Hex("01"))), kError);  // PROCESS with payload
  EXPECT_EQ(Exchange(G1Frame(7, MagicWandSpecG1())), kOk);
}

TEST_F(ServerTest, G1MalformedAndTruncatedFramesRecover) {
  Start(Generation::kG1);
  // size < 2: discarded until idle, then ERROR.
  transport_.Send(Hex("01 00 00 00 04 00 AA BB"));
  EXPECT_EQ(PauseAndServe(), kError);
  // Truncated IO spec: inter-byte timeout, ERROR, then the next frame decodes.
  Bytes spec = G1Frame(7, MagicWandSpecG1());
  transport_.Send(Bytes(spec.begin(), spec.begin() + 50));
  EXPECT_EQ(PauseAndServe(), kError);
  EXPECT_STREQ(server_->last_error(), "inter-byte timeout inside a frame");
  EXPECT_EQ(Exchange(spec), kOk);
  // An oversized frame is drained completely and answered.
  EXPECT_EQ(Exchange(G1Frame(6, Bytes(5000, 0x55))), kError);
  EXPECT_EQ(Exchange(G1Frame(4)), kError);  // still in sync: PROCESS before DATA
  EXPECT_STREQ(server_->last_error(), "PROCESS before DATA");
  // A bad IO spec leaves the committed one in place.
  Bytes bad = MagicWandSpecG1();
  bad[0] = 3;
  EXPECT_EQ(Exchange(G1Frame(7, bad)), kError);
  EXPECT_EQ(server_->state(), ServerState::kSpecLoaded);
  EXPECT_EQ(server_->spec().inputs[0].dims[1], 128u);
}

TEST_F(ServerTest, G1ModelAndRunFailuresKeepStateConsistent) {
  Start(Generation::kG1);
  EXPECT_EQ(Exchange(G1Frame(7, MagicWandSpecG1())), kOk);
  EXPECT_EQ(Exchange(G1Frame(3, TestModel(64))), kOk);
  Bytes not_a_model(64, 0x11);
  EXPECT_EQ(Exchange(G1Frame(3, not_a_model)), kError);
  EXPECT_EQ(server_->state(), ServerState::kSpecLoaded);
  EXPECT_EQ(Exchange(G1Frame(2, Input(1536))), kError);
  EXPECT_EQ(Exchange(G1Frame(3, TestModel(64, 'F'))), kOk);
  EXPECT_EQ(Exchange(G1Frame(2, Input(1536))), kOk);
  EXPECT_EQ(Exchange(G1Frame(4)), kError);
  EXPECT_EQ(server_->state(), ServerState::kInputLoaded);
  EXPECT_EQ(Exchange(G1Frame(5)), kError);
}

TEST_F(ServerTest, G1ModelLargerThanArenaIsDrainedAndRefused) {
  Start(Generation::kG1);
  EXPECT_EQ(Exchange(G1Frame(7, MagicWandSpecG1())), kOk);
  EXPECT_EQ(Exchange(G1Frame(3, TestModel(2 << 20))), kError);
  EXPECT_STREQ(server_->last_error(), "model does not fit in the arena");
  EXPECT_EQ(Exchange(G1Frame(3, TestModel(4096))), kOk);
}


class HeaderServerTest : public ServerTest, public ::testing::WithParamInterface<Generation> {};

TEST_P(HeaderServerTest, KenningSequence) {
  Generation g = GetParam();
  Start(g == Generation::kG3 ? g : Generation::kAuto);
  EXPECT_EQ(Exchange(Request(g, MessageKind::kPing, {}, flags::kSuccess)), SuccessReply(g, MessageKind::kPing));
  EXPECT_EQ(server_->generation(), g);
  EXPECT_EQ(Exchange(Request(g, MessageKind::kIoSpec, MagicWandSpecG2())), SuccessReply(g, MessageKind::kIoSpec));
  Bytes model = TestModel(20600);
  EXPECT_EQ(Exchange(Request(g, MessageKind::kModel, model)), SuccessReply(g, MessageKind::kModel));
  Bytes input = Input(1536);
  EXPECT_EQ(Exchange(Request(g, MessageKind::kData, input)), SuccessReply(g, MessageKind::kData));
  EXPECT_EQ(Exchange(Request(g, MessageKind::kProcess)), SuccessReply(g, MessageKind::kProcess));
  EXPECT_EQ(Exchange(Request(g, MessageKind::kOutput)),
            SuccessReply(g, MessageKind::kOutput, ExpectedOutput(model, input, 16)));
  Bytes stats = Exchange(Request(g, MessageKind::kStats));
  size_t header = protocol::HeaderSize(g);
  ASSERT_GT(stats.size(), header);
  // 10 records of 48 bytes: 480 bytes in chunks of ChunkSize.
  size_t chunk = protocol::ChunkSize(g);
  size_t chunks = (480 + chunk - 1) / chunk;
  EXPECT_EQ(stats.size(), 480 + chunks * header);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(stats.data() + header)), "arena_capacity_bytes");
  EXPECT_EQ(Exchange(Request(g, MessageKind::kPing, {}, flags::kFail)), SuccessReply(g, MessageKind::kPing));
}

INSTANTIATE_TEST_SUITE_P(Generations, HeaderServerTest,
                         ::testing::Values(Generation::kG2, Generation::kG3, Generation::kG4));

TEST_F(ServerTest, G4TraceReplies) {
  Start(Generation::kAuto);
  EXPECT_EQ(Exchange(Hex("00 00 00 00 00 7A 31 00 00 00 00 00")), Hex("00 00 00 00 C0 3A B1 00 00 00 00 00"));
  EXPECT_EQ(Exchange(Request(Generation::kG4, MessageKind::kIoSpec, MagicWandSpecG2())),
            Hex("07 00 00 00 C0 3D B1 00 00 00 00 00"));
  EXPECT_EQ(Exchange(Hex("00 00 00 00 00 79 32 00 00 00 00 00")), Hex("00 00 00 00 C0 3A B1 00 00 00 00 00"));
}

TEST_F(ServerTest, G2TraceReplies) {
  Start(Generation::kAuto);
  EXPECT_EQ(Exchange(Hex("00 7A 31 00 00 00 00 00")), Hex("C0 3A B1 00 00 00 00 00"));
  EXPECT_EQ(Exchange(Request(Generation::kG2, MessageKind::kIoSpec, MagicWandSpecG2())),
            Hex("C7 3D B1 00 00 00 00 00"));
}

class G4ServerTest : public ServerTest {
 protected:
  G4ServerTest() : ServerTest(8 << 20) {}
  static constexpr Generation g = Generation::kG4;
  Bytes Fail(MessageKind kind, const std::string& reason) {
    return Frame(g, kind, FlowControl::kTransmission,
                 flags::kFail | flags::kFirst | flags::kLast | flags::kIsZephyr, Bytes(reason.begin(), reason.end()));
  }
  Bytes Deny(MessageKind kind) {
    return Frame(g, kind, FlowControl::kAcknowledge,
                 flags::kFail | flags::kFirst | flags::kLast | flags::kIsZephyr);
  }
};

TEST_F(G4ServerTest, FourMegabyteModelUploads) {
  Start(g);
  EXPECT_EQ(Exchange(Request(g, MessageKind::kIoSpec, MagicWandSpecG2())), SuccessReply(g, MessageKind::kIoSpec));
  Bytes model = TestModel(4 << 20);
  EXPECT_EQ(Exchange(Request(g, MessageKind::kModel, model)), SuccessReply(g, MessageKind::kModel));
  Bytes input = Input(1536);
  EXPECT_EQ(Exchange(Request(g, MessageKind::kData, input)), SuccessReply(g, MessageKind::kData));
  EXPECT_EQ(Exchange(Request(g, MessageKind::kProcess)), SuccessReply(g, MessageKind::kProcess));
  EXPECT_EQ(Exchange(Request(g, MessageKind::kOutput)),
            SuccessReply(g, MessageKind::kOutput, ExpectedOutput(model, input, 16)));
  // Shrunk after LAST: most of the arena is free again.
  EXPECT_LT(arena_.stats().bytes_in_use, (4u << 20) + 4096u);
}

TEST_F(G4ServerTest, ModelLargerThanArenaFailsAfterLast) {
  Start(g);
  Exchange(Request(g, MessageKind::kIoSpec, MagicWandSpecG2()));
  EXPECT_EQ(Exchange(Request(g, MessageKind::kModel, TestModel(9 << 20))),
            Fail(MessageKind::kModel, "model does not fit in the arena"));
  EXPECT_EQ(arena_.stats().live_allocations, 2u);  // input and output tensors only
  EXPECT_EQ(Exchange(Request(g, MessageKind::kModel, TestModel(1000))), SuccessReply(g, MessageKind::kModel));
}

TEST_F(G4ServerTest, ErrorsAndDenials) {
  Start(g);
  EXPECT_EQ(Exchange(Request(g, MessageKind::kModel, TestModel(100))),
            Fail(MessageKind::kModel, "MODEL before IO spec"));
  EXPECT_EQ(Exchange(Request(g, MessageKind::kLogs)), Deny(MessageKind::kLogs));
  EXPECT_EQ(Exchange(Request(g, MessageKind::kTraceData)), Deny(MessageKind::kTraceData));
  Bytes bad = Request(g, MessageKind::kProcess);
  bad[5] ^= 0x40;
  EXPECT_EQ(Exchange(bad), Fail(MessageKind::kProcess, "checksum mismatch"));
  EXPECT_EQ(Exchange(Frame(g, MessageKind::kProcess, FlowControl::kTransmission, flags::kFirst | flags::kLast)),
            Deny(MessageKind::kProcess));
  // Bad IO spec: rejected after LAST, nothing committed.
  Bytes spec = MagicWandSpecG2();
  spec[4] = 7;  // rank 7
  EXPECT_EQ(Exchange(Request(g, MessageKind::kIoSpec, spec)), Fail(MessageKind::kIoSpec, "tensor rank above 4"));
  EXPECT_EQ(server_->state(), ServerState::kIdle);
  // Truncated chunk: timeout, FAIL, upload abandoned; the next request works.
  Bytes good = Request(g, MessageKind::kIoSpec, MagicWandSpecG2());
  transport_.Send(Bytes(good.begin(), good.begin() + 40));
  EXPECT_EQ(PauseAndServe(), Fail(MessageKind::kIoSpec, "inter-byte timeout inside a frame"));
  EXPECT_EQ(Exchange(good), SuccessReply(g, MessageKind::kIoSpec));
  // Input of the wrong size (chunks add up to more than the spec allows).
  Exchange(Request(g, MessageKind::kModel, TestModel(100)));
  EXPECT_EQ(Exchange(Request(g, MessageKind::kData, Input(1600))),
            Fail(MessageKind::kData, "input larger than the IO spec"));
  EXPECT_EQ(Exchange(Request(g, MessageKind::kData, Input(1000))),
            Fail(MessageKind::kData, "input size differs from the IO spec"));
  EXPECT_EQ(Exchange(Request(g, MessageKind::kData, Input(1536))), SuccessReply(g, MessageKind::kData));
}

TEST_F(G4ServerTest, OneAnswerPerTransmission) {
  Start(g);
  // STATS sent with a payload in 10 chunks: one FAIL, after the LAST chunk.
  EXPECT_EQ(Exchange(Request(g, MessageKind::kStats, Bytes(1200, 1))), Fail(MessageKind::kStats, "unexpected payload"));
  // A request without LAST is not answered; the next complete one is.
  EXPECT_EQ(Exchange(Frame(g, MessageKind::kProcess, FlowControl::kRequest, flags::kFirst)), Bytes());
  EXPECT_EQ(Exchange(Request(g, MessageKind::kPing, {}, flags::kSuccess)), SuccessReply(g, MessageKind::kPing));
  // A faulty middle message fails the whole request even when LAST itself is fine.
  Bytes first = Frame(g, MessageKind::kOutput, FlowControl::kRequest, flags::kFirst);
  Bytes middle = Frame(g, MessageKind::kOutput, FlowControl::kRequest, 0, Hex("01"));
  Bytes last = Frame(g, MessageKind::kOutput, FlowControl::kRequest, flags::kLast);
  Bytes stream = first;
  stream.insert(stream.end(), middle.begin(), middle.end());
  stream.insert(stream.end(), last.begin(), last.end());
  EXPECT_EQ(Exchange(stream), Fail(MessageKind::kOutput, "unexpected payload"));
  // Unsupported chunked transmissions are denied once.
  EXPECT_EQ(Exchange(Request(g, MessageKind::kRuntime, Bytes(300, 2))), Deny(MessageKind::kRuntime));
}

TEST_F(ServerTest, GarbageBeforeFirstFrameThenDetection) {
  Start(Generation::kAuto);
  transport_.Send(Hex("55 AA"));
  EXPECT_EQ(PauseAndServe(), Bytes());  // too short to recognise: silently dropped
  EXPECT_EQ(server_->generation(), Generation::kAuto);
  EXPECT_EQ(Exchange(Hex("00 00 00 00 00 7A 31 00 00 00 00 00")), Hex("00 00 00 00 C0 3A B1 00 00 00 00 00"));
  EXPECT_EQ(server_->generation(), Generation::kG4);
}

}  // namespace
}  // namespace bmrt::server
