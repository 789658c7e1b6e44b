// The `hal` native module (HAL module version 7): all 58 functions compiled modules import,
// with their exact names and cconv strings, backed by one synchronous CPU device.
//
//   hal::HalModule hal;                                    // outlives the VM context
//   BMRT_RETURN_IF_ERROR(hal.Initialize(arena, code_memory));
//   context->RegisterNativeModule(hal::HalModule::Definition(), &hal);
//
// Channels and collectives return UNIMPLEMENTED when called; everything else behaves as IREE's
// synchronous local device does.
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/status.h"
#include "runtime/elf/code_memory.h"
#include "runtime/elf/elf_module.h"
#include "runtime/hal/device.h"
#include "runtime/vm/native_module.h"
#include "runtime/vm/ref.h"

namespace bmrt::hal {

class HalModule {
 public:
  static constexpr uint32_t kVersion = 7;

  HalModule() = default;
  HalModule(const HalModule&) = delete;
  HalModule& operator=(const HalModule&) = delete;

  // Creates the device. `arena` holds every HAL object; `code` is where executables load.
  Status Initialize(Arena& arena, const elf::CodeMemory& code);
  // Releases the module's own reference to the device (objects still held by a VM stay alive
  // until released).
  void Deinitialize() { device_.Reset(); }

  static const vm::NativeModuleDef& Definition();

  Device* device() const { return device_.As<Device>(); }
  // Scratch space for load/dispatch error text; copied into the call's message on failure.
  elf::ErrorText& error() { return error_; }
  // Scratch for hal.device.queue.execute.indirect's binding table (built once per call; kept
  // here so a call does not initialize all kMaxBindings entries on the stack).
  BindingTableEntry* binding_table() { return binding_table_; }

 private:
  vm::Ref device_;
  elf::ErrorText error_;
  BindingTableEntry binding_table_[CommandBuffer::kMaxBindings];
};

}  // namespace bmrt::hal
