// libFuzzer target: running a module that verifies. Input: 8 bytes of argument material, then
// the module. A module that loads and verifies is linked against the hal and native_test modules
// and every export is called with scalar arguments drawn from the material, under a step budget
// and a small stack so that no input can hang. The hal module's code arena is too small for any
// executable, so fuzzed machine code is never run. Invariants: no memory error, no hang, and the
// arena is empty again once the context and module are gone.
// Seeds: tests/corpus/vm_exec/ (tests/corpus/make_vm_exec_seeds.py).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/hal/hal_module.h"
#include "runtime/vm/context.h"
#include "runtime/vm/test_module.h"
#include "runtime/vmfb/verifier.h"

using namespace bmrt;

namespace {

constexpr size_t kArgBytes = 8;
// BMRT_FUZZ_TRACE=1 prints each call and the arena's live allocations after it (for triage).
const bool kTrace = getenv("BMRT_FUZZ_TRACE") != nullptr;

vm::Value Argument(char kind, const uint8_t* material, size_t index) {
  uint64_t bits = 0;
  memcpy(&bits, material, kArgBytes);
  bits = (bits >> (index % 8 * 8)) | (bits << (64 - index % 8 * 8) % 64);  // rotate per argument
  vm::Value value;
  switch (kind) {
    case 'i': value.type = vm::ValueType::kI32; value.bits = uint32_t(bits); break;
    case 'f': value.type = vm::ValueType::kF32; value.bits = uint32_t(bits); break;
    case 'I': value.type = vm::ValueType::kI64; value.bits = bits; break;
    case 'F': value.type = vm::ValueType::kF64; value.bits = bits; break;
    default: break;  // 'r' and anything else: an empty value (a null ref)
  }
  return value;
}

void RunExports(vm::Context& context, const vmfb::Module& module, const uint8_t* material) {
  for (const vmfb::ExportInfo& entry : module.exports()) {
    const vmfb::Cconv& cconv = module.functions()[entry.function_ordinal].cconv;
    vm::Value args[16], results[16];
    size_t count = cconv.arguments.size();
    if (count > 16) continue;
    for (size_t i = 0; i < count; ++i) args[i] = Argument(cconv.arguments[i], material, i);
    size_t result_count = 0;
    context.InvokeFunction(entry.function_ordinal, Span<const vm::Value>(args, count),
                           Span<vm::Value>(results, 16), &result_count)
        .IgnoreError();
    if (kTrace) {
      fprintf(stderr, "export %.*s: live allocations %u\n", int(entry.name.size()), entry.name.data(),
              unsigned(context.arena().stats().live_allocations));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kArgBytes) return 0;
  static uint8_t region[8 << 20];
  static uint8_t no_code[256];
  Arena arena(MutableByteSpan(region, sizeof(region)));
  Arena code_arena(MutableByteSpan(no_code, sizeof(no_code)));
  size_t module_size = size - kArgBytes;
  // An exact-size heap copy so that reads past the end trip the address sanitizer.
  uint8_t* copy = static_cast<uint8_t*>(malloc(module_size ? module_size : 1));
  if (module_size) memcpy(copy, data + kArgBytes, module_size);
  vmfb::ErrorMessage message;
  auto module = vmfb::LoadVerifiedModule(ByteSpan(copy, module_size), arena, message);
  if (module.ok()) {
    {
      hal::HalModule hal;
      elf::CodeMemory code;
      code.arena = &code_arena;
      if (hal.Initialize(arena, code).ok()) {
        vm::ContextOptions options;
        options.stack_bytes = 16 * 1024;
        options.max_depth = 64;
        options.max_steps = 20000;
        auto context = vm::Context::Create(arena, options);
        if (context.ok()) {
          vm::Context* ctx = context.value();
          if (ctx->RegisterNativeModule(hal::HalModule::Definition(), &hal).ok() &&
              ctx->RegisterNativeModule(vm::kNativeTestModule, nullptr).ok() &&
              ctx->LoadModule(*module.value()).ok()) {
            RunExports(*ctx, *module.value(), data);
          }
          vm::Context::Destroy(ctx);
        }
      }
      hal.Deinitialize();
    }
    vmfb::FreeModule(arena, module.value());
  }
  if (kTrace) fprintf(stderr, "end: live allocations %u\n", unsigned(arena.stats().live_allocations));
  if (arena.stats().live_allocations != 0) abort();
  if (code_arena.stats().live_allocations != 0) abort();
  free(copy);
  return 0;
}
