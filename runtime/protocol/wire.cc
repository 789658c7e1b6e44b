#include "runtime/protocol/wire.h"

namespace bmrt::protocol {

namespace {

constexpr MessageKind kG1Kinds[] = {
    MessageKind::kOk,      MessageKind::kError,  MessageKind::kData,  MessageKind::kModel,
    MessageKind::kProcess, MessageKind::kOutput, MessageKind::kStats, MessageKind::kIoSpec,
};

constexpr MessageKind kG2Kinds[] = {
    MessageKind::kPing,       MessageKind::kStatus,         MessageKind::kData,
    MessageKind::kModel,      MessageKind::kProcess,        MessageKind::kOutput,
    MessageKind::kStats,      MessageKind::kIoSpec,         MessageKind::kOptimizers,
    MessageKind::kOptimizeModel, MessageKind::kRuntime,     MessageKind::kUnoptimizedModel,
    MessageKind::kLogs,
};

constexpr MessageKind kG3Kinds[] = {
    MessageKind::kPing,       MessageKind::kStatus,     MessageKind::kData,
    MessageKind::kModel,      MessageKind::kProcess,    MessageKind::kOutput,
    MessageKind::kStats,      MessageKind::kIoSpec,     MessageKind::kTraceData,
    MessageKind::kOptimizers, MessageKind::kOptimizeModel, MessageKind::kRuntime,
    MessageKind::kUnoptimizedModel, MessageKind::kLogs,
};

struct KindTable {
  const MessageKind* kinds;
  size_t count;
};

KindTable TableOf(Generation generation) {
  switch (generation) {
    case Generation::kG1:
      return {kG1Kinds, sizeof(kG1Kinds) / sizeof(kG1Kinds[0])};
    case Generation::kG2:
      return {kG2Kinds, sizeof(kG2Kinds) / sizeof(kG2Kinds[0])};
    case Generation::kG3:
    case Generation::kG4:
      return {kG3Kinds, sizeof(kG3Kinds) / sizeof(kG3Kinds[0])};
    case Generation::kAuto:
      break;
  }
  return {nullptr, 0};
}

}  // namespace

const char* GenerationName(Generation generation) {
  switch (generation) {
    case Generation::kAuto: return "auto";
    case Generation::kG1: return "g1";
    case Generation::kG2: return "g2";
    case Generation::kG3: return "g3";
    case Generation::kG4: return "g4";
  }
  return "?";
}

const char* MessageKindName(MessageKind kind) {
  switch (kind) {
    case MessageKind::kOk: return "OK";
    case MessageKind::kError: return "ERROR";
    case MessageKind::kPing: return "PING";
    case MessageKind::kStatus: return "STATUS";
    case MessageKind::kData: return "DATA";
    case MessageKind::kModel: return "MODEL";
    case MessageKind::kProcess: return "PROCESS";
    case MessageKind::kOutput: return "OUTPUT";
    case MessageKind::kStats: return "STATS";
    case MessageKind::kIoSpec: return "IO_SPEC";
    case MessageKind::kTraceData: return "TRACE_DATA";
    case MessageKind::kOptimizers: return "OPTIMIZERS";
    case MessageKind::kOptimizeModel: return "OPTIMIZE_MODEL";
    case MessageKind::kRuntime: return "RUNTIME";
    case MessageKind::kUnoptimizedModel: return "UNOPTIMIZED_MODEL";
    case MessageKind::kLogs: return "LOGS";
    case MessageKind::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

MessageKind KindOf(Generation generation, uint64_t code) {
  KindTable table = TableOf(generation);
  return code < table.count ? table.kinds[code] : MessageKind::kUnknown;
}

bool CodeOf(Generation generation, MessageKind kind, uint64_t* code) {
  KindTable table = TableOf(generation);
  for (size_t i = 0; i < table.count; ++i) {
    if (table.kinds[i] == kind) {
      *code = i;
      return true;
    }
  }
  return false;
}

}  // namespace bmrt::protocol
