// A firmware image that checks the HAL on the rv32 board: it loads the riscv32 sample library
// (placed in memory by QEMU's loader device at kLibraryAddress; its size is the boot argument
// "size=N"), dispatches its kernels on inputs whose results are exact in float32, and ends with
// exit code 0 when every element matches. tests/py/hal/test_rv32_dispatch.py drives it.
#include <string.h>

#include "platform/qemu-virt-rv32/boot_args.h"
#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/system.h"
#include "runtime/hal/command_buffer.h"
#include "runtime/hal/device.h"
#include "runtime/hal/executable.h"

namespace bmrt::hal {
namespace {

constexpr uintptr_t kLibraryAddress = 0x81800000;
constexpr uint32_t kMulAddLength = 1000;
constexpr uint32_t kScaleLength = 10000;

size_t ParseSize(StringView arguments) {
  for (size_t i = 0; i + 5 <= arguments.size(); ++i) {
    if (!(arguments.substr(i, 5) == StringView("size="))) continue;
    size_t value = 0;
    for (size_t j = i + 5; j < arguments.size() && arguments[j] >= '0' && arguments[j] <= '9'; ++j) {
      value = value * 10 + size_t(arguments[j] - '0');
    }
    return value;
  }
  return 0;
}

uint32_t FindExport(const Executable& executable, StringView prefix) {
  for (uint32_t i = 0; i < executable.export_count(); ++i) {
    if (executable.export_name(i).StartsWith(prefix)) return i;
  }
  return ~uint32_t{0};
}

float* Floats(Buffer* buffer) { return reinterpret_cast<float*>(buffer->data()); }

// Counts elements that differ from `expected(i)`; logs the first.
template <typename Expected>
uint32_t Mismatches(const char* what, const float* actual, uint32_t count, Expected expected) {
  uint32_t wrong = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (actual[i] != expected(i)) {
      if (wrong++ == 0) {
        platform::Log("hal-rv32: %s[%u] = %d/1000, expected %d/1000", what, unsigned(i),
                      int(actual[i] * 1000), int(expected(i) * 1000));
      }
    }
  }
  return wrong;
}

int Run(uintptr_t fdt) {
  size_t size = ParseSize(platform::FindBootArguments(fdt));
  platform::Log("hal-rv32: library of %u bytes at 0x%x", unsigned(size), unsigned(kLibraryAddress));
  if (size == 0) return 2;
  Arena arena(MutableByteSpan(platform::ArenaStart(), platform::ArenaSize()));
  elf::CodeMemory code;
  code.arena = &arena;
  code.sync_instructions = &platform::SyncInstructions;
  Device* device = Device::Create(arena, code).value();
  elf::ErrorText error;
  uint64_t before = platform::InstructionCount();
  Result<Executable*> created = Executable::Create(
      arena, code, "embedded-elf-riscv_32",
      ByteSpan(reinterpret_cast<const uint8_t*>(kLibraryAddress), size), ByteSpan(), error);
  if (!created.ok()) {
    platform::Log("hal-rv32: load failed: %s", created.status().message());
    return 3;
  }
  Executable* executable = created.value();
  platform::Log("hal-rv32: loaded %u exports, instructions=%u", unsigned(executable->export_count()),
                unsigned(platform::InstructionCount() - before));
  uint32_t mul_add = FindExport(*executable, "mul_add_dispatch_0");
  uint32_t scale = FindExport(*executable, "scale_dynamic_dispatch_0");
  if (mul_add == ~uint32_t{0} || scale == ~uint32_t{0}) return 4;

  // mul_add: out = a * b + c with quarter, half and whole steps: exact with or without fma.
  auto a = [](uint32_t i) { return float(i % 17) * 0.25f - 2.0f; };
  auto b = [](uint32_t i) { return float(i % 13) * 0.5f - 3.0f; };
  auto c = [](uint32_t i) { return float(i % 7) - 3.0f; };
  Buffer* buffers[4];
  for (Buffer*& buffer : buffers) buffer = device->allocator().Allocate(0, 0, kMulAddLength * 4).value();
  for (uint32_t i = 0; i < kMulAddLength; ++i) {
    Floats(buffers[0])[i] = a(i);
    Floats(buffers[1])[i] = b(i);
    Floats(buffers[2])[i] = c(i);
  }
  void* pointers[4];
  size_t lengths[4];
  for (int i = 0; i < 4; ++i) {
    pointers[i] = buffers[i]->data();
    lengths[i] = kMulAddLength * 4;
  }
  DispatchParams params;
  params.binding_ptrs = Span<void* const>(pointers, 4);
  params.binding_lengths = Span<const size_t>(lengths, 4);
  before = platform::InstructionCount();
  Status status = executable->Dispatch(mul_add, params, arena, error);
  platform::Log("hal-rv32: mul_add of %u elements, instructions=%u", unsigned(kMulAddLength),
                unsigned(platform::InstructionCount() - before));
  if (!status.ok()) {
    platform::Log("hal-rv32: dispatch failed: %s", status.message());
    return 5;
  }
  uint32_t wrong = Mismatches("mul_add", Floats(buffers[3]), kMulAddLength,
                              [&](uint32_t i) { return a(i) * b(i) + c(i); });

  // scale_dynamic through a recorded command buffer with a binding table: out = x * y + x,
  // length as push constants, 3 workgroups.
  auto x = [](uint32_t i) { return float(i % 29) * 0.125f - 1.75f; };
  auto y = [](uint32_t i) { return float(i % 11) * 0.25f - 1.25f; };
  Buffer* table_buffers[3];
  for (Buffer*& buffer : table_buffers) {
    buffer = device->allocator().Allocate(0, 0, kScaleLength * 4).value();
  }
  for (uint32_t i = 0; i < kScaleLength; ++i) {
    Floats(table_buffers[0])[i] = x(i);
    Floats(table_buffers[1])[i] = y(i);
  }
  CommandBuffer* command_buffer = CommandBuffer::Create(arena, 0, 3, 3).value();
  const uint32_t workgroups[3] = {(kScaleLength + 4095) / 4096, 1, 1};
  const uint32_t constants[4] = {kScaleLength, 0, kScaleLength, 0};
  BufferRef bindings[3];
  for (uint32_t i = 0; i < 3; ++i) bindings[i].slot = i;
  status = command_buffer->Dispatch(*executable, scale, workgroups, constants, bindings);
  if (status.ok()) status = command_buffer->Finalize();
  BindingTableEntry table[3];
  for (int i = 0; i < 3; ++i) table[i].buffer = table_buffers[i];
  before = platform::InstructionCount();
  if (status.ok()) status = device->QueueExecute(*command_buffer, table, error);
  platform::Log("hal-rv32: scale_dynamic of %u elements, instructions=%u", unsigned(kScaleLength),
                unsigned(platform::InstructionCount() - before));
  if (!status.ok()) {
    platform::Log("hal-rv32: execute failed: %s", status.message());
    return 6;
  }
  wrong += Mismatches("scale_dynamic", Floats(table_buffers[2]), kScaleLength,
                      [&](uint32_t i) { return x(i) * y(i) + x(i); });

  command_buffer->Release();
  for (Buffer* buffer : buffers) buffer->Release();
  for (Buffer* buffer : table_buffers) buffer->Release();
  executable->Release();
  device->Release();
  platform::Log("hal-rv32: arena peak=%u live=%u", unsigned(arena.stats().peak_bytes_in_use),
                unsigned(arena.stats().live_allocations));
  if (wrong != 0 || arena.stats().live_allocations != 0) return 7;
  platform::Log("hal-rv32: PASS");
  return 0;
}

}  // namespace
}  // namespace bmrt::hal

extern "C" int bmrt_main(uintptr_t fdt) { return bmrt::hal::Run(fdt); }
