#include "platform/qemu-virt-rv32/server_main.h"

#include "platform/qemu-virt-rv32/board.h"
#include "platform/qemu-virt-rv32/log.h"

namespace bmrt::platform {

int RunServer(Uart& uart) {
  Log("INFO |Runtime started");
  Log("ERROR |this firmware was built without the inference server");
  return kExitFailure;
}

}  // namespace bmrt::platform
