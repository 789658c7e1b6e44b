// The bytecode interpreter: runs one invocation of a function of a context's module on the
// context's stack. Internal.
#pragma once

#include "runtime/vm/context.h"

namespace bmrt::vm {

struct Frame {
  Frame* caller;
  const vmfb::FunctionInfo* function;
  int32_t* i32;
  Ref* refs;
  const uint8_t* return_list;  // the caller's call result list (u16 count, registers)
  const uint8_t* resume_ip;    // where the caller continues after the return
  size_t stack_mark;           // stack bytes in use below this frame
  uint32_t depth;
};

class Interpreter {
 public:
  explicit Interpreter(Context& context) : context_(context) {}
  Status Run(uint32_t function_ordinal, Span<const Value> args, Span<Value> results,
             size_t* result_count);

 private:
  Frame* PushFrame(uint32_t function_ordinal, Frame* caller);
  void PopFrame(Frame* frame);
  Status Execute(Frame* entry);
  Status CallImport(Frame* frame, uint32_t import_ordinal, const uint8_t* args,
                    const uint8_t* segments, const uint8_t* results);
  Status Trap(Status status, Frame* frame, const uint8_t* ip);

  Context& context_;
  Span<Value> host_results_;
  size_t stack_used_ = 0;
};

// SipHash-2-4 with key 00 01 .. 0f (what vm.buffer.hash computes).
uint64_t BufferHash(const uint8_t* data, size_t length);

}  // namespace bmrt::vm
