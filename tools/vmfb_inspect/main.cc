// Host tool: loads and verifies a .vmfb with bmrt and prints what the loader saw as JSON, or
// the error. Used by tests/py/vm/test_vmfb_loader.py to compare with iree-dump-module.
//   vmfb_inspect module.vmfb        exit 0 and JSON on stdout, or exit 1 and "error: ..." on stderr
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <vector>

#include "runtime/vmfb/op_table.h"
#include "runtime/vmfb/verifier.h"

namespace {

std::string Quote(bmrt::StringView text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20 || c >= 0x7F) {
      char escape[8];
      snprintf(escape, sizeof(escape), "\\u%04x", c);
      out += escape;
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

void Print(const bmrt::vmfb::Module& module) {
  using bmrt::StringView;
  printf("{\"name\": %s, \"version\": %u, \"bytecode_version\": %u, \"requirements\": %u,\n",
         Quote(module.name()).c_str(), module.version(), module.bytecode_version(),
         module.requirements());
  printf(" \"global_bytes_capacity\": %u, \"global_ref_count\": %u,\n",
         module.global_bytes_capacity(), module.global_ref_count());
  printf(" \"types\": [");
  for (size_t i = 0; i < module.types().size(); ++i) {
    const auto& type = module.types()[i];
    printf("%s{\"name\": %s, \"ref_type\": %s}", i ? ", " : "", Quote(type.name).c_str(),
           Quote(bmrt::vm::RefTypeName(type.ref_type)).c_str());
  }
  printf("],\n \"dependencies\": [");
  for (size_t i = 0; i < module.dependencies().size(); ++i) {
    const auto& dependency = module.dependencies()[i];
    printf("%s{\"name\": %s, \"minimum_version\": %u, \"optional\": %s}", i ? ", " : "",
           Quote(dependency.name).c_str(), dependency.minimum_version,
           dependency.optional ? "true" : "false");
  }
  printf("],\n \"imports\": [");
  for (size_t i = 0; i < module.imports().size(); ++i) {
    const auto& import = module.imports()[i];
    printf("%s{\"name\": %s, \"cconv\": %s, \"optional\": %s}", i ? ",\n   " : "",
           Quote(import.full_name).c_str(), Quote(import.cconv.text).c_str(),
           import.optional ? "true" : "false");
  }
  printf("],\n \"exports\": [");
  for (size_t i = 0; i < module.exports().size(); ++i) {
    const auto& entry = module.exports()[i];
    printf("%s{\"name\": %s, \"ordinal\": %u}", i ? ", " : "", Quote(entry.name).c_str(),
           entry.function_ordinal);
  }
  printf("],\n \"functions\": [");
  for (size_t i = 0; i < module.functions().size(); ++i) {
    const auto& function = module.functions()[i];
    printf("%s{\"offset\": %u, \"length\": %zu, \"blocks\": %u, \"i32\": %u, \"ref\": %u, "
           "\"requirements\": %u, \"cconv\": %s}",
           i ? ",\n   " : "", function.bytecode_offset, function.bytecode.size(),
           function.block_count, function.i32_register_count, function.ref_register_count,
           function.requirements, Quote(function.cconv.text).c_str());
  }
  printf("],\n \"rodata\": [");
  for (size_t i = 0; i < module.rodata().size(); ++i) {
    const auto& segment = module.rodata()[i];
    printf("%s{\"offset\": %zu, \"size\": %zu}", i ? ", " : "",
           size_t(segment.data() - module.archive().data()), segment.size());
  }
  printf("],\n \"bytecode_size\": %zu}\n", module.bytecode_data().size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s module.vmfb\n", argv[0]);
    return 2;
  }
  FILE* file = fopen(argv[1], "rb");
  if (!file) {
    fprintf(stderr, "error: cannot open %s\n", argv[1]);
    return 2;
  }
  std::vector<unsigned char> contents;
  unsigned char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof(chunk), file)) > 0) contents.insert(contents.end(), chunk, chunk + got);
  fclose(file);
  // The archive is used in place at a 64-byte-aligned address, as a device would hold it.
  void* image = aligned_alloc(64, (contents.size() + 63) / 64 * 64 + 64);
  memcpy(image, contents.data(), contents.size());
  std::vector<unsigned char> region(64 << 20);
  bmrt::Arena arena(bmrt::MutableByteSpan(region.data(), region.size()));
  bmrt::vmfb::ErrorMessage message;
  auto module = bmrt::vmfb::LoadVerifiedModule(
      bmrt::ByteSpan(static_cast<const uint8_t*>(image), contents.size()), arena, message);
  if (!module.ok()) {
    fprintf(stderr, "error: %s: %s\n", bmrt::StatusCodeName(module.status().code()),
            module.status().message());
    free(image);
    return 1;
  }
  Print(*module.value());
  bmrt::vmfb::FreeModule(arena, module.value());
  free(image);
  return 0;
}
