#include "platform/qemu-virt-rv32/server_main.h"

#include "platform/qemu-virt-rv32/board.h"
#include "platform/qemu-virt-rv32/firmware_engine.h"
#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/profiled_engine.h"
#include "platform/qemu-virt-rv32/system.h"
#include "platform/qemu-virt-rv32/uart_transport.h"
#include "runtime/base/arena.h"
#include "runtime/server/server.h"

namespace bmrt::platform {

int RunServer(Uart& uart, StringView boot_arguments) {
  // Static storage: the server's frame buffers are too large for comfort on the stack.
  static Arena arena(MutableByteSpan(ArenaStart(), ArenaSize()));
  const char* engine_name = "";
  static ProfiledEngine engine(FirmwareEngine(arena, boot_arguments, &engine_name));
  static UartTransport transport(uart);
  static server::InferenceServer server(transport, engine, arena);
  Log("INFO |engine: %s; arena %u bytes free", engine_name, unsigned(arena.LargestFreeRequest()));
  Log("INFO |Runtime started");
  server.Serve();
  Log("INFO |server stopped (link closed)");
  return kExitSuccess;
}

}  // namespace bmrt::platform
