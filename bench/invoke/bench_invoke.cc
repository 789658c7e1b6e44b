// bmrt-bench-invoke: the invoke loop of a .vmfb through bmrt's vmfb + vm + hal, the way
// iree-benchmark-module measures IREE's: inputs are created once, then the function is invoked
// N times (its outputs released after each call) and only that loop is timed.
//
//   bmrt-bench-invoke --module=m.vmfb --function=main --input=1x128x3x1xf32 --repeat=1000
//
// Inputs are tensor shapes with an element type (f32, i8, i32); their contents are zeros, like
// iree-benchmark-module's `--input=<shape>x<type>` without values. Prints one line to stdout:
//   invocations=N ns_per_invocation=X cpu_ns_per_invocation=C arena_peak_bytes=P
// (X: wall clock; C: this process's CPU time, less disturbed by other load on a shared machine)
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
#include "runtime/hal/buffer_view.h"
#include "runtime/hal/hal_module.h"
#include "runtime/vm/context.h"
#include "runtime/vmfb/verifier.h"

namespace {

using namespace bmrt;

struct TensorArg {
  std::vector<int64_t> shape;
  uint32_t element_type = 0;
  size_t bytes = 0;
};

struct Options {
  std::string module_path;
  std::string function = "main";
  std::vector<TensorArg> inputs;
  size_t repeat = 1;
  size_t arena_bytes = 64u << 20;
};

bool ParseTensor(const std::string& text, TensorArg* out) {
  size_t last = text.rfind('x');
  if (last == std::string::npos) return false;
  std::string type = text.substr(last + 1);
  size_t element_bytes = 0;
  if (type == "f32") {
    out->element_type = 0x21000020, element_bytes = 4;
  } else if (type == "i32") {
    out->element_type = 0x10000020, element_bytes = 4;
  } else if (type == "i8") {
    out->element_type = 0x10000008, element_bytes = 1;
  } else {
    return false;
  }
  out->bytes = element_bytes;
  size_t start = 0;
  while (start < last) {
    size_t end = text.find('x', start);
    char* parse_end = nullptr;
    long long dim = std::strtoll(text.c_str() + start, &parse_end, 10);
    if (parse_end != text.c_str() + end || dim < 0) return false;
    out->shape.push_back(dim);
    out->bytes *= size_t(dim);
    start = end + 1;
  }
  return true;
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
      TensorArg tensor;
      if (!ParseTensor(v, &tensor)) {
        std::fprintf(stderr, "bmrt-bench-invoke: bad --input %s (want e.g. 1x128x3x1xf32)\n", v);
        return false;
      }
      options->inputs.push_back(tensor);
    } else if (const char* v = value_of("--repeat=")) {
      options->repeat = std::strtoull(v, nullptr, 0);
    } else if (const char* v = value_of("--arena_bytes=")) {
      options->arena_bytes = std::strtoull(v, nullptr, 0);
    } else {
      std::fprintf(stderr, "bmrt-bench-invoke: unknown option %s\n", argv[i]);
      return false;
    }
  }
  return !options->module_path.empty() && options->repeat > 0;
}

int Fail(const char* what, Status status) {
  std::fprintf(stderr, "bmrt-bench-invoke: %s: %s: %s\n", what, StatusCodeName(status.code()),
               status.message());
  return 1;
}

double CpuNanoseconds() {
  timespec now;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return double(now.tv_sec) * 1e9 + double(now.tv_nsec);
}

int Run(const Options& options) {
  std::ifstream file(options.module_path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "bmrt-bench-invoke: cannot open %s\n", options.module_path.c_str());
    return 1;
  }
  std::vector<char> raw((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  size_t padded = (raw.size() + 63) & ~size_t(63);
  auto* bytes = static_cast<uint8_t*>(std::aligned_alloc(64, padded ? padded : 64));
  std::copy(raw.begin(), raw.end(), bytes);
  std::vector<uint8_t> region(options.arena_bytes);
  Arena arena(MutableByteSpan(region.data(), region.size()));
  platform::CodeRegion code(16u << 20);
  if (!code.ok()) {
    std::perror("bmrt-bench-invoke: mmap");
    return 1;
  }

  vmfb::ErrorMessage message;
  Result<vmfb::Module*> module = vmfb::LoadVerifiedModule(ByteSpan(bytes, raw.size()), arena, message);
  if (!module.ok()) return Fail("loading module", module.status());
  hal::HalModule hal;
  Status status = hal.Initialize(arena, code.memory());
  if (!status.ok()) return Fail("hal device", status);
  Result<vm::Context*> created = vm::Context::Create(arena);
  if (!created.ok()) return Fail("creating context", created.status());
  vm::Context* context = created.value();
  status = context->RegisterNativeModule(hal::HalModule::Definition(), &hal);
  if (status.ok()) status = context->LoadModule(*module.value());
  if (!status.ok()) return Fail("linking module", status);
  const vmfb::ExportInfo* function = module.value()->FindExport(
      StringView(options.function.data(), options.function.size()));
  if (function == nullptr) {
    std::fprintf(stderr, "bmrt-bench-invoke: no exported function '%s'\n", options.function.c_str());
    return 1;
  }
  const vmfb::Cconv& cconv = module.value()->functions()[function->function_ordinal].cconv;
  if (cconv.arguments.size() != options.inputs.size()) {
    std::fprintf(stderr, "bmrt-bench-invoke: '%s' takes %zu inputs, %zu given\n",
                 options.function.c_str(), cconv.arguments.size(), options.inputs.size());
    return 1;
  }
  std::vector<vm::Value> args;
  for (const TensorArg& input : options.inputs) {
    Result<hal::Buffer*> buffer = hal.device()->allocator().Allocate(0, 0, input.bytes);
    if (!buffer.ok()) return Fail("allocating an input", buffer.status());
    Result<hal::BufferView*> view = hal::BufferView::Create(
        arena, *buffer.value(), Span<const int64_t>(input.shape.data(), input.shape.size()),
        input.element_type, hal::kEncodingDenseRowMajor);
    buffer.value()->Release();
    if (!view.ok()) return Fail("creating an input view", view.status());
    args.push_back(vm::Value::FromRef(vm::Ref::Adopt(view.value())));
  }
  std::vector<vm::Value> results(cconv.results.size());
  size_t count = 0;
  double cpu_start = CpuNanoseconds();
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < options.repeat && status.ok(); ++i) {
    status = context->InvokeFunction(function->function_ordinal,
                                     Span<const vm::Value>(args.data(), args.size()),
                                     Span<vm::Value>(results.data(), results.size()), &count);
    // The outputs are dropped after every invocation, as the server and iree-benchmark-module do.
    for (vm::Value& result : results) result = vm::Value();
  }
  double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
                  .count();
  double cpu_ns = CpuNanoseconds() - cpu_start;
  if (!status.ok()) return Fail("invoking", status);
  std::printf("invocations=%zu ns_per_invocation=%.1f cpu_ns_per_invocation=%.1f "
              "arena_peak_bytes=%zu\n", options.repeat, ns / double(options.repeat),
              cpu_ns / double(options.repeat), arena.stats().peak_bytes_in_use);
  results.clear();
  args.clear();
  vm::Context::Destroy(context);
  vmfb::FreeModule(arena, module.value());
  hal.Deinitialize();
  std::free(bytes);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    std::fprintf(stderr, "usage: bmrt-bench-invoke --module=m.vmfb [--function=main] "
                         "[--input=<shape>x<type>]... [--repeat=N] [--arena_bytes=N]\n");
    return 2;
  }
  return Run(options);
}
