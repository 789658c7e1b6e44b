#include "runtime/vm/stack_bound.h"

#include "runtime/base/utility.h"
#include "runtime/vm/interpreter.h"
#include "runtime/vmfb/verifier.h"

namespace bmrt::vm {
namespace {

// The call graph as edge lists (caller -> callee, one per call site), in scratch memory.
struct CallGraph {
  uint32_t* first = nullptr;    // [n + 1] offsets into callees
  uint32_t* callees = nullptr;  // [edges]
  uint32_t* pending = nullptr;  // [n] per function: callers not yet ordered, then scratch
  uint32_t* order = nullptr;    // [n] topological order (callers before callees)
  uint64_t* bytes = nullptr;    // [n] deepest chain starting at the function
};

struct EdgeSink {
  CallGraph* graph;
  uint32_t cursor;
  bool counting;
};

void VisitCall(void* context, uint32_t callee) {
  EdgeSink& sink = *static_cast<EdgeSink*>(context);
  if (sink.counting) {
    ++sink.cursor;
  } else {
    sink.graph->callees[sink.cursor++] = callee;
  }
}

}  // namespace

size_t FrameBytes(const vmfb::FunctionInfo& function) {
  return AlignUp(sizeof(Frame), 16) + AlignUp(size_t(function.i32_register_count) * 4, 16) +
         size_t(function.ref_register_count) * sizeof(Ref);
}

Result<size_t> DeepestCallChainBytes(const vmfb::Module& module, Arena& scratch,
                                     vmfb::ErrorMessage& message) {
  const uint32_t n = uint32_t(module.functions().size());
  if (n == 0) return size_t(0);
  CallGraph graph;
  graph.first = scratch.AllocateArray<uint32_t>(size_t(n) + 1);
  graph.pending = scratch.AllocateArray<uint32_t>(n);
  graph.order = scratch.AllocateArray<uint32_t>(n);
  graph.bytes = scratch.AllocateArray<uint64_t>(n);
  auto release = [&]() {
    scratch.Free(graph.first);
    scratch.Free(graph.callees);
    scratch.Free(graph.pending);
    scratch.Free(graph.order);
    scratch.Free(graph.bytes);
  };
  Status status = OkStatus();
  if (!graph.first || !graph.pending || !graph.order || !graph.bytes) {
    status = ResourceExhausted("out of memory sizing the VM stack");
  }
  // Two walks: count the call sites, then record them.
  EdgeSink sink{&graph, 0, true};
  vmfb::CallVisitor visitor{VisitCall, &sink};
  for (uint32_t f = 0; f < n && status.ok(); ++f) {
    graph.first[f] = sink.cursor;
    status = vmfb::VerifyFunction(module, f, scratch, message, visitor);
  }
  if (status.ok()) {
    graph.first[n] = sink.cursor;
    graph.callees = scratch.AllocateArray<uint32_t>(sink.cursor ? sink.cursor : 1);
    if (!graph.callees) status = ResourceExhausted("out of memory sizing the VM stack");
  }
  sink.counting = false;
  sink.cursor = 0;
  for (uint32_t f = 0; f < n && status.ok(); ++f) {
    status = vmfb::VerifyFunction(module, f, scratch, message, visitor);
  }
  if (!status.ok()) {
    release();
    return status;
  }
  // Kahn's algorithm: a function is ordered once all its callers are; what stays unordered
  // lies on or behind a cycle.
  for (uint32_t f = 0; f < n; ++f) graph.pending[f] = 0;
  for (uint32_t e = 0; e < graph.first[n]; ++e) ++graph.pending[graph.callees[e]];
  uint32_t ordered = 0;
  for (uint32_t f = 0; f < n; ++f) {
    if (graph.pending[f] == 0) graph.order[ordered++] = f;
  }
  for (uint32_t next = 0; next < ordered; ++next) {
    uint32_t f = graph.order[next];
    for (uint32_t e = graph.first[f]; e < graph.first[f + 1]; ++e) {
      if (--graph.pending[graph.callees[e]] == 0) graph.order[ordered++] = graph.callees[e];
    }
  }
  uint64_t deepest = 0;
  if (ordered == n) {
    // Callees before callers: each function's chain is its frame plus its deepest callee's.
    for (uint32_t i = n; i-- > 0;) {
      uint32_t f = graph.order[i];
      uint64_t below = 0;
      for (uint32_t e = graph.first[f]; e < graph.first[f + 1]; ++e) {
        below = Max<uint64_t>(below, graph.bytes[graph.callees[e]]);
      }
      graph.bytes[f] = AlignUp(FrameBytes(module.functions()[f]), 16) + below;
      deepest = Max<uint64_t>(deepest, graph.bytes[f]);
    }
  }
  release();
  return size_t(Min<uint64_t>(deepest, ~size_t(0)));
}

}  // namespace bmrt::vm
