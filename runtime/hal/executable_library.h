// The ABI between the runtime and an IREE llvm-cpu executable library, version 6 (the layouts
// of IREE's hal/local/executable_library.h). Treated like a schema: the structs below are the
// wire format, and the static_asserts pin every size and offset for riscv32 (ilp32*) and x86_64.
#pragma once

#include "runtime/base/types.h"

namespace bmrt::hal::abi {

inline constexpr uint32_t kLibraryVersion = 6;
inline constexpr const char* kQuerySymbol = "iree_hal_executable_library_query";
inline constexpr int32_t kSanitizerNone = 0;
inline constexpr size_t kLocalMemoryPageSize = 4096;
inline constexpr size_t kMaxConstants = 64;
inline constexpr size_t kMaxBindings = 64;
inline constexpr size_t kProcessorDataCapacity = 8;

struct LibraryHeader {
  uint32_t version;
  const char* name;
  uint32_t features;
  int32_t sanitizer;
};

struct ImportTable {
  uint32_t count;
  const char* const* symbols;
};

struct Processor {
  uint64_t data[kProcessorDataCapacity];
};

using ImportThunk = int (*)(int (*fn)(void*, void*, void*), void* params, void* context,
                            void* reserved);

struct Environment {
  const uint32_t* constants;
  ImportThunk import_thunk;
  const void* const* import_funcs;
  void* const* import_contexts;
  Processor processor;
};

struct DispatchState {
  uint32_t workgroup_size_x;
  uint32_t workgroup_size_y;
  uint16_t workgroup_size_z;
  uint16_t constant_count;
  uint32_t workgroup_count_x;
  uint32_t workgroup_count_y;
  uint16_t workgroup_count_z;
  uint8_t max_concurrency;
  uint8_t binding_count;
  const uint32_t* constants;
  void* const* binding_ptrs;
  const size_t* binding_lengths;
};

struct WorkgroupState {
  uint32_t workgroup_id_x;
  uint32_t workgroup_id_y;
  uint16_t workgroup_id_z;
  uint16_t reserved;
  uint32_t processor_id;
  void* local_memory;
  uint32_t local_memory_size;
};

struct DispatchAttrs {
  uint64_t flags;
  uint16_t local_memory_pages;
  uint8_t constant_count;
  uint8_t binding_count;
  uint32_t workgroup_size_x;
  uint32_t workgroup_size_y;
  uint16_t workgroup_size_z;
  uint16_t parameter_count;
  uint64_t reserved_1[5];
};

using DispatchFunction = int (*)(const Environment* environment, const DispatchState* dispatch,
                                 const WorkgroupState* workgroup);

struct ExportTable {
  uint32_t count;
  const DispatchFunction* ptrs;
  const DispatchAttrs* attrs;
  const void* const* params;
  const void* occupancy;
  const char* const* names;
  const char* const* tags;
  const void* const* parameter_names;
  const void* source_locations;
  const void* stage_locations;
};

struct ConstantTable {
  uint32_t count;
};

struct SourceFileTable {
  uint32_t count;
  const void* files;
};

struct LibraryV0 {
  const LibraryHeader* header;
  ImportTable imports;
  ExportTable exports;
  ConstantTable constants;
  SourceFileTable sources;
};

using QueryFunction = const LibraryHeader** (*)(uint32_t max_version,
                                                const Environment* environment);

// Layout pins (offset/size pairs from the ABI table).
#define BMRT_ABI_CHECK(type, field, off32, off64) \
  static_assert(offsetof(type, field) == (sizeof(void*) == 4 ? (off32) : (off64)), #type "." #field)
#define BMRT_ABI_SIZE(type, size32, size64) \
  static_assert(sizeof(type) == (sizeof(void*) == 4 ? (size32) : (size64)), "sizeof " #type)

static_assert(sizeof(void*) == 4 || sizeof(void*) == 8);
BMRT_ABI_SIZE(LibraryHeader, 16, 24);
BMRT_ABI_CHECK(LibraryHeader, name, 4, 8);
BMRT_ABI_CHECK(LibraryHeader, features, 8, 16);
BMRT_ABI_CHECK(LibraryHeader, sanitizer, 12, 20);
BMRT_ABI_SIZE(ImportTable, 8, 16);
BMRT_ABI_SIZE(Processor, 64, 64);
static_assert(alignof(Processor) == 8);
BMRT_ABI_SIZE(Environment, 80, 96);
BMRT_ABI_CHECK(Environment, import_thunk, 4, 8);
BMRT_ABI_CHECK(Environment, import_funcs, 8, 16);
BMRT_ABI_CHECK(Environment, import_contexts, 12, 24);
BMRT_ABI_CHECK(Environment, processor, 16, 32);
BMRT_ABI_SIZE(DispatchState, 36, 48);
BMRT_ABI_CHECK(DispatchState, workgroup_size_z, 8, 8);
BMRT_ABI_CHECK(DispatchState, constant_count, 10, 10);
BMRT_ABI_CHECK(DispatchState, workgroup_count_x, 12, 12);
BMRT_ABI_CHECK(DispatchState, workgroup_count_z, 20, 20);
BMRT_ABI_CHECK(DispatchState, max_concurrency, 22, 22);
BMRT_ABI_CHECK(DispatchState, binding_count, 23, 23);
BMRT_ABI_CHECK(DispatchState, constants, 24, 24);
BMRT_ABI_CHECK(DispatchState, binding_ptrs, 28, 32);
BMRT_ABI_CHECK(DispatchState, binding_lengths, 32, 40);
BMRT_ABI_SIZE(WorkgroupState, 24, 32);
BMRT_ABI_CHECK(WorkgroupState, workgroup_id_z, 8, 8);
BMRT_ABI_CHECK(WorkgroupState, reserved, 10, 10);
BMRT_ABI_CHECK(WorkgroupState, processor_id, 12, 12);
BMRT_ABI_CHECK(WorkgroupState, local_memory, 16, 16);
BMRT_ABI_CHECK(WorkgroupState, local_memory_size, 20, 24);
BMRT_ABI_SIZE(DispatchAttrs, 64, 64);
static_assert(alignof(DispatchAttrs) == 8);
BMRT_ABI_CHECK(DispatchAttrs, local_memory_pages, 8, 8);
BMRT_ABI_CHECK(DispatchAttrs, constant_count, 10, 10);
BMRT_ABI_CHECK(DispatchAttrs, binding_count, 11, 11);
BMRT_ABI_CHECK(DispatchAttrs, workgroup_size_x, 12, 12);
BMRT_ABI_CHECK(DispatchAttrs, workgroup_size_y, 16, 16);
BMRT_ABI_CHECK(DispatchAttrs, workgroup_size_z, 20, 20);
BMRT_ABI_CHECK(DispatchAttrs, parameter_count, 22, 22);
BMRT_ABI_CHECK(DispatchAttrs, reserved_1, 24, 24);
BMRT_ABI_SIZE(ExportTable, 40, 80);
BMRT_ABI_CHECK(ExportTable, ptrs, 4, 8);
BMRT_ABI_CHECK(ExportTable, attrs, 8, 16);
BMRT_ABI_CHECK(ExportTable, params, 12, 24);
BMRT_ABI_CHECK(ExportTable, occupancy, 16, 32);
BMRT_ABI_CHECK(ExportTable, names, 20, 40);
BMRT_ABI_CHECK(ExportTable, tags, 24, 48);
BMRT_ABI_CHECK(ExportTable, parameter_names, 28, 56);
BMRT_ABI_CHECK(ExportTable, source_locations, 32, 64);
BMRT_ABI_CHECK(ExportTable, stage_locations, 36, 72);
BMRT_ABI_SIZE(ConstantTable, 4, 4);
BMRT_ABI_SIZE(SourceFileTable, 8, 16);
BMRT_ABI_SIZE(LibraryV0, 64, 128);
BMRT_ABI_CHECK(LibraryV0, imports, 4, 8);
BMRT_ABI_CHECK(LibraryV0, exports, 12, 24);
BMRT_ABI_CHECK(LibraryV0, constants, 52, 104);
BMRT_ABI_CHECK(LibraryV0, sources, 56, 112);

#undef BMRT_ABI_CHECK
#undef BMRT_ABI_SIZE

}  // namespace bmrt::hal::abi
