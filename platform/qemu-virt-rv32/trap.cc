// Reports an unexpected trap on the log channel and ends the run with an exit code that
// carries the cause (board.h). Entered from start.S on a private stack.
#include "platform/qemu-virt-rv32/board.h"
#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/system.h"

namespace bmrt::platform {
namespace {

bool in_trap = false;

const char* ExceptionName(uint32_t code) {
  switch (code) {
    case 0: return "instruction address misaligned";
    case 1: return "instruction access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "load address misaligned";
    case 5: return "load access fault";
    case 6: return "store address misaligned";
    case 7: return "store access fault";
    case 8: return "environment call from U-mode";
    case 9: return "environment call from S-mode";
    case 11: return "environment call from M-mode";
    case 12: return "instruction page fault";
    case 13: return "load page fault";
    case 15: return "store page fault";
    default: return "reserved exception";
  }
}

}  // namespace
}  // namespace bmrt::platform

extern "C" [[noreturn]] void bmrt_handle_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval) {
  using namespace bmrt::platform;
  // Reporting goes through semihosting; if that traps too, leave without a word.
  if (in_trap) Exit(kExitNestedTrap);
  in_trap = true;
  bool interrupt = (mcause & 0x80000000u) != 0;
  uint32_t code = mcause & 0x7FFFFFFFu;
  Log("TRAP | %s: mcause=0x%x mepc=0x%x mtval=0x%x",
      interrupt ? "unexpected interrupt" : ExceptionName(code), unsigned(mcause), unsigned(mepc),
      unsigned(mtval));
  if (interrupt) Exit(kExitInterruptBase + int(code < 62 ? code : 62));
  Exit(kExitTrapBase + int(code < 63 ? code : 63));
}
