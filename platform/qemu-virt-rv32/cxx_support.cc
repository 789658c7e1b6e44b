// The few C++ runtime hooks a freestanding image needs. Nothing in the firmware allocates
// from a heap; reaching one of these is a programming error and ends the run.
#include "platform/qemu-virt-rv32/board.h"
#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/system.h"

namespace {
[[noreturn]] void Fatal(const char* what) {
  bmrt::platform::Log("FATAL | %s", what);
  bmrt::platform::Exit(bmrt::platform::kExitFailure);
}
}  // namespace

extern "C" {
void* __dso_handle = nullptr;
[[noreturn]] void __cxa_pure_virtual() { Fatal("pure virtual function called"); }
}

// Deleting destructors of classes with virtual destructors reference these.
void operator delete(void*) noexcept { Fatal("operator delete called"); }
void operator delete(void*, size_t) noexcept { Fatal("operator delete called"); }
