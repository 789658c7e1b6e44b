// A firmware image that runs a compiled model on the board through vmfb + vm + hal, the way
// the inference engine will: QEMU's loader device places the .vmfb at kModuleAddress and a
// input tensor at kInputAddress; the boot arguments give "module=<bytes> input=<bytes>
// shape=<d0>x<d1>x..." and, for an int8 input, "i8". The output tensor's bytes are logged as
// little-endian 32-bit words for the host to compare with IREE's runtime
// (tests/py/models/test_magic_wand_rv32.py).
#include <string.h>

#include "platform/qemu-virt-rv32/boot_args.h"
#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/system.h"
#include "runtime/base/utility.h"
#include "runtime/hal/buffer_view.h"
#include "runtime/hal/hal_module.h"
#include "runtime/hal/hal_types.h"
#include "runtime/vm/context.h"
#include "runtime/vmfb/verifier.h"

namespace bmrt::hal {
namespace {

constexpr uintptr_t kModuleAddress = 0x81800000;
constexpr uintptr_t kInputAddress = 0x81C00000;
constexpr uint32_t kFloat32 = 0x21000020;
constexpr uint32_t kInt8 = 0x10000008;

// Value of "key=<digits>" in the boot arguments, 0 when absent.
size_t Number(StringView arguments, StringView key, size_t* end = nullptr) {
  for (size_t i = 0; i + key.size() <= arguments.size(); ++i) {
    if (!(arguments.substr(i, key.size()) == key)) continue;
    size_t value = 0, j = i + key.size();
    for (; j < arguments.size() && arguments[j] >= '0' && arguments[j] <= '9'; ++j) {
      value = value * 10 + size_t(arguments[j] - '0');
    }
    if (end) *end = j;
    return value;
  }
  return 0;
}

// Parses "shape=1x128x3x1".
size_t ParseShape(StringView arguments, int64_t* shape, size_t max_rank) {
  size_t end = 0;
  size_t rank = 0;
  size_t value = Number(arguments, "shape=", &end);
  while (value != 0 && rank < max_rank) {
    shape[rank++] = int64_t(value);
    if (end >= arguments.size() || arguments[end] != 'x') break;
    StringView rest = arguments.substr(end + 1);
    value = 0;
    size_t j = 0;
    for (; j < rest.size() && rest[j] >= '0' && rest[j] <= '9'; ++j) value = value * 10 + size_t(rest[j] - '0');
    end += 1 + j;
  }
  return rank;
}

int Run(uintptr_t fdt) {
  StringView arguments = platform::FindBootArguments(fdt);
  size_t module_size = Number(arguments, "module=");
  size_t input_size = Number(arguments, "input=");
  int64_t shape[BufferView::kMaxRank] = {};
  size_t rank = ParseShape(arguments, shape, BufferView::kMaxRank);
  platform::Log("model: module %u bytes, input %u bytes, rank %u", unsigned(module_size),
                unsigned(input_size), unsigned(rank));
  if (module_size == 0 || input_size == 0 || rank == 0) return 2;
  const uint32_t element_type = platform::HasBootWord(arguments, "i8") ? kInt8 : kFloat32;

  Arena arena(MutableByteSpan(platform::ArenaStart(), platform::ArenaSize()));
  elf::CodeMemory code;
  code.arena = &arena;
  code.sync_instructions = &platform::SyncInstructions;
  static HalModule hal;
  if (!hal.Initialize(arena, code).ok()) return 3;
  vmfb::ErrorMessage message;
  uint64_t start = platform::InstructionCount();
  Result<vmfb::Module*> module = vmfb::LoadVerifiedModule(
      ByteSpan(reinterpret_cast<const uint8_t*>(kModuleAddress), module_size), arena, message);
  if (!module.ok()) {
    platform::Log("model: load failed: %s", message.text);
    return 4;
  }
  vm::Context* context = vm::Context::Create(arena).value();
  Status status = context->RegisterNativeModule(HalModule::Definition(), &hal);
  if (status.ok()) status = context->LoadModule(*module.value());
  platform::Log("model: loaded and initialized, instructions=%u",
                unsigned(platform::InstructionCount() - start));
  if (!status.ok()) {
    platform::Log("model: init failed: %s", status.message());
    return 5;
  }

  for (int round = 0; round < 2; ++round) {
    Buffer* buffer = hal.device()->allocator().Allocate(0, 0, input_size).value();
    memcpy(buffer->data(), reinterpret_cast<const void*>(kInputAddress), input_size);
    BufferView* view = BufferView::Create(arena, *buffer, Span<const int64_t>(shape, rank),
                                          element_type, kEncodingDenseRowMajor)
                           .value();
    buffer->Release();
    vm::Value args[] = {vm::Value::FromRef(vm::Ref::Adopt(view))};
    vm::Value results[2];
    size_t count = 0;
    start = platform::InstructionCount();
    status = context->Invoke("main", args, results, &count);
    platform::Log("model: main round %d, instructions=%u", round,
                  unsigned(platform::InstructionCount() - start));
    if (!status.ok()) {
      platform::Log("model: main failed: %s", status.message());
      return 6;
    }
    BufferView* output = results[0].ref.As<BufferView>();
    if (output == nullptr) return 7;
    if (round == 1) {
      const uint8_t* bytes = output->buffer()->data();
      for (uint64_t i = 0; i < output->buffer()->length(); i += 4) {
        uint32_t bits = 0;
        memcpy(&bits, bytes + i, size_t(Min<uint64_t>(4, output->buffer()->length() - i)));
        platform::Log("model: out[%u]=0x%x", unsigned(i / 4), unsigned(bits));
      }
    }
  }
  vm::Context::Destroy(context);
  vmfb::FreeModule(arena, module.value());
  hal.Deinitialize();
  platform::Log("model: arena peak=%u live=%u", unsigned(arena.stats().peak_bytes_in_use),
                unsigned(arena.stats().live_allocations));
  if (arena.stats().live_allocations != 0) return 8;
  platform::Log("model: DONE");
  return 0;
}

}  // namespace
}  // namespace bmrt::hal

extern "C" int bmrt_main(uintptr_t fdt) { return bmrt::hal::Run(fdt); }
