// bmrt-run-module: loads a .vmfb into the bmrt VM and runs one exported function, printing the
// results in iree-run-module's format so outputs can be compared as text.
//
//   bmrt-run-module --module=m.vmfb --function=main --input=5 --input=f32=1.5
//   bmrt-run-module --module=m.vmfb --function=main --input="2x3xf32=1 2 3 4 5 6" --input=@x.npy
//   options: --arena_bytes=N (default 64 MiB)  --print_stats (arena peak to stderr)
//            --repeat=N (invoke N more times and print the mean time per invocation to stderr)
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "runtime/base/arena.h"
#include "platform/host/code_region.h"
#include "runtime/hal/hal_module.h"
#include "runtime/vm/context.h"
#include "runtime/vm/test_module.h"
#include "runtime/vmfb/verifier.h"
#include "tools/run_module/tensor_io.h"
#include "tools/run_module/value_io.h"

namespace {

using namespace bmrt;

struct Options {
  std::string module_path;
  std::string function;
  std::vector<std::string> inputs;
  size_t arena_bytes = 64u << 20;
  bool print_stats = false;
  size_t repeat = 0;
};

int Usage(const char* problem) {
  std::fprintf(stderr,
               "bmrt-run-module: %s\n"
               "usage: bmrt-run-module --module=file.vmfb --function=name [--input=value]...\n"
               "       [--arena_bytes=N] [--print_stats] [--repeat=N]\n",
               problem);
  return 2;
}

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value_of = [&](const char* flag) -> const char* {
      size_t n = std::string(flag).size();
      return arg.compare(0, n, flag) == 0 ? argv[i] + n : nullptr;
    };
    if (const char* v = value_of("--module=")) {
      options->module_path = v;
    } else if (const char* v = value_of("--function=")) {
      options->function = v;
    } else if (const char* v = value_of("--input=")) {
      options->inputs.push_back(v);
    } else if (const char* v = value_of("--arena_bytes=")) {
      options->arena_bytes = std::strtoull(v, nullptr, 0);
    } else if (const char* v = value_of("--repeat=")) {
      options->repeat = std::strtoull(v, nullptr, 0);
    } else if (arg == "--print_stats") {
      options->print_stats = true;
    } else {
      std::fprintf(stderr, "bmrt-run-module: unknown option %s\n", argv[i]);
      return false;
    }
  }
  return !options->module_path.empty() && !options->function.empty();
}

int Fail(const char* what, Status status) {
  std::fprintf(stderr, "bmrt-run-module: %s: %s: %s\n", what, StatusCodeName(status.code()),
               status.message());
  return 1;
}

// Native modules offered to every module this tool runs: the hal module and the test module.
Status RegisterNativeModules(vm::Context& context, hal::HalModule& hal) {
  BMRT_RETURN_IF_ERROR(context.RegisterNativeModule(hal::HalModule::Definition(), &hal));
  BMRT_RETURN_IF_ERROR(context.RegisterNativeModule(vm::kNativeTestModule, nullptr));
  return OkStatus();
}

int Run(const Options& options) {
  std::ifstream file(options.module_path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "bmrt-run-module: cannot open %s\n", options.module_path.c_str());
    return 1;
  }
  std::vector<char> raw((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // The module is used in place: keep it at a 64-byte-aligned address for its whole life.
  size_t padded = (raw.size() + 63) & ~size_t(63);
  auto* bytes = static_cast<uint8_t*>(std::aligned_alloc(64, padded ? padded : 64));
  std::copy(raw.begin(), raw.end(), bytes);

  std::vector<uint8_t> region(options.arena_bytes + 64);
  Arena arena(MutableByteSpan(region.data(), region.size()));

  platform::CodeRegion code(64u << 20);
  hal::HalModule hal;
  if (Status hal_status = hal.Initialize(arena, code.memory()); !hal_status.ok()) {
    std::free(bytes);
    return Fail("creating the hal device", hal_status);
  }

  int exit_code = 0;
  vmfb::ErrorMessage load_message;
  Result<vmfb::Module*> module =
      vmfb::LoadVerifiedModule(ByteSpan(bytes, raw.size()), arena, load_message);
  if (!module.ok()) {
    std::free(bytes);
    return Fail("loading module", module.status());
  }
  Result<vm::Context*> created = vm::Context::Create(arena);
  if (!created.ok()) return Fail("creating context", created.status());
  vm::Context* context = created.value();
  Status status = RegisterNativeModules(*context, hal);
  if (status.ok()) status = context->LoadModule(*module.value());
  if (!status.ok()) {
    exit_code = Fail("linking module", status);
  } else if (const vmfb::ExportInfo* function = module.value()->FindExport(
                 StringView(options.function.data(), options.function.size()));
             !function) {
    std::fprintf(stderr, "bmrt-run-module: no exported function '%s'\n", options.function.c_str());
    exit_code = 1;
  } else {
    const vmfb::Cconv& cconv = module.value()->functions()[function->function_ordinal].cconv;
    std::vector<vm::Value> args;
    if (options.inputs.size() != cconv.arguments.size()) {
      std::fprintf(stderr, "bmrt-run-module: function '%s' takes %zu inputs, %zu given\n",
                   options.function.c_str(), cconv.arguments.size(), options.inputs.size());
      exit_code = 1;
    }
    for (size_t i = 0; exit_code == 0 && i < options.inputs.size(); ++i) {
      vm::Value value;
      std::string error;
      bool parsed = cconv.arguments[i] == 'r' && tools::IsTensorInput(options.inputs[i])
                        ? tools::ParseTensorInput(options.inputs[i], hal, arena, &value, &error)
                        : tools::ParseScalarInput(options.inputs[i], cconv.arguments[i], &value,
                                                  &error);
      if (!parsed) {
        std::fprintf(stderr, "bmrt-run-module: %s\n", error.c_str());
        exit_code = 1;
      }
      args.push_back(std::move(value));
    }
    if (exit_code == 0) {
      std::vector<vm::Value> results(cconv.results.size());
      size_t count = 0;
      std::printf("EXEC @%s\n", options.function.c_str());
      status = context->InvokeFunction(function->function_ordinal,
                                       Span<const vm::Value>(args.data(), args.size()),
                                       Span<vm::Value>(results.data(), results.size()), &count);
      if (!status.ok()) {
        std::fflush(stdout);
        exit_code = Fail("invoking function", status);
      }
      for (size_t i = 0; i < count; ++i) {
        std::string view = tools::FormatBufferView(results[i]);
        std::printf("result[%zu]: %s", i,
                    view.empty() ? tools::FormatValue(results[i]).c_str() : view.c_str());
      }
      if (status.ok() && options.repeat > 0) {
        auto cpu_now = [] {
          timespec t;
          clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
          return double(t.tv_sec) * 1e9 + double(t.tv_nsec);
        };
        double cpu_start = cpu_now();
        auto start = std::chrono::steady_clock::now();
        for (size_t i = 0; i < options.repeat && status.ok(); ++i) {
          status = context->InvokeFunction(function->function_ordinal,
                                           Span<const vm::Value>(args.data(), args.size()),
                                           Span<vm::Value>(results.data(), results.size()),
                                           &count);
        }
        auto elapsed = std::chrono::steady_clock::now() - start;
        double ns = std::chrono::duration<double, std::nano>(elapsed).count();
        double cpu_ns = cpu_now() - cpu_start;
        std::fprintf(stderr,
                     "bmrt-run-module: %zu invocations, %.1f ns CPU (%.1f ns wall) per invocation\n",
                     options.repeat, cpu_ns / double(options.repeat), ns / double(options.repeat));
        if (!status.ok()) exit_code = Fail("repeating the invocation", status);
      }
    }
  }
  vm::Context::Destroy(context);
  vmfb::FreeModule(arena, module.value());
  hal.Deinitialize();
  if (options.print_stats) {
    const ArenaStats& stats = arena.stats();
    std::fprintf(stderr, "arena: peak %zu bytes, live at exit %zu bytes (%u allocations)\n",
                 stats.peak_bytes_in_use, stats.bytes_in_use, stats.live_allocations);
  }
  std::free(bytes);
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) return Usage("--module and --function are required");
  return Run(options);
}
