// Firmware entry: banner and CPU facts on the log, then the mode chosen by the boot command
// line (QEMU -append): "selftest [trap]", "echo", or by default the inference server (with the
// IREE engine; "test-engine" selects the protocol test engine).
#include "platform/qemu-virt-rv32/board.h"
#include "platform/qemu-virt-rv32/boot_args.h"
#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/selftest.h"
#include "platform/qemu-virt-rv32/server_main.h"
#include "platform/qemu-virt-rv32/system.h"
#include "platform/qemu-virt-rv32/uart.h"

namespace bmrt::platform {
namespace {

// Echo mode: returns every byte received. Lets the host check that a connection delivers the
// very first bytes intact, both ways.
[[noreturn]] void RunEcho(Uart& uart) {
  Log("echo: ready");
  for (int polls = 0;; ++polls) {
    int byte = uart.TryRead();
    if (byte >= 0) {
      uart.WriteByte(uint8_t(byte));
      polls = 0;
    } else if (polls > 16) {
      Idle(20);
    }
  }
}

}  // namespace
}  // namespace bmrt::platform

extern "C" int bmrt_main(uintptr_t fdt) {
  using namespace bmrt;
  using namespace bmrt::platform;
  // The UART first: the host may send as soon as the log says it is ready.
  static Uart uart(kUart0Address);
  uart.Initialize();
  StringView arguments = FindBootArguments(fdt);
  Log("bmrt firmware (qemu-virt-rv32), misa=0x%x", unsigned(Misa()));
  if (HasVectorUnit()) {
    Log("VLEN=%u", unsigned(VectorLengthBits()));
  } else {
    Log("no vector unit");
  }
  Log("boot arguments: \"%.*s\"", int(arguments.size()), arguments.data());
  Log("arena: %u bytes at 0x%x", unsigned(ArenaSize()), unsigned(uintptr_t(ArenaStart())));
  Log("UART ready");

  if (HasBootWord(arguments, "selftest")) {
    SelfTestFault fault = HasBootWord(arguments, "trap")             ? SelfTestFault::kIllegalInstruction
                          : HasBootWord(arguments, "stack-overflow") ? SelfTestFault::kStackOverflow
                                                                     : SelfTestFault::kNone;
    return RunSelfTest(fault);
  }

  if (HasBootWord(arguments, "echo")) RunEcho(uart);
  return RunServer(uart, arguments);
}
