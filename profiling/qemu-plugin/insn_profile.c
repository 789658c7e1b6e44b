/* QEMU TCG plugin: counts executed instructions by class and memory accesses, in total and
 * inside profiling windows the firmware opens and closes with marker instructions
 * (insn_class.h). Output: one "<scope>.<counter> <value>" line per counter, written to the
 * file named by the `out=` argument (QEMU's plugin log otherwise).
 *
 *   qemu-system-riscv32 ... -plugin libbmrt_insn_profile.so,out=profile.txt
 *
 * Counters are plain inline adds: exact for the single vCPU the firmware uses. */
#include <stdio.h>
#include <string.h>

#include "insn_class.h"
#include "qemu_plugin_api.h"

BMRT_PLUGIN_EXPORT int qemu_plugin_version = BMRT_QEMU_PLUGIN_API_VERSION;

enum { MEM_LOADS, MEM_STORES, MEM_LOAD_BYTES, MEM_STORE_BYTES, MEM_COUNTER_COUNT };
static const char *const kMemoryNames[MEM_COUNTER_COUNT] = {
    "mem_loads", "mem_stores", "mem_load_bytes", "mem_store_bytes"};

/* All counters in one array so that a window is "now minus the snapshot at its start". */
enum { COUNTER_COUNT = BMRT_INSN_CLASS_COUNT + MEM_COUNTER_COUNT };
static uint64_t total[COUNTER_COUNT];
static uint64_t window[COUNTER_COUNT];
static uint64_t window_start[COUNTER_COUNT];
static uint64_t window_count;
static int in_window;
static const char *output_path;

static void OnWindowBegin(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  (void)userdata;
  if (in_window) return;
  memcpy(window_start, total, sizeof(total));
  in_window = 1;
  ++window_count;
}

static void CloseWindow(void) {
  if (!in_window) return;
  for (int i = 0; i < COUNTER_COUNT; ++i) window[i] += total[i] - window_start[i];
  in_window = 0;
}

static void OnWindowEnd(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  (void)userdata;
  CloseWindow();
}

static void OnMemoryAccess(unsigned int vcpu_index, qemu_plugin_meminfo_t info, uint64_t vaddr,
                           void *userdata) {
  (void)vcpu_index;
  (void)vaddr;
  (void)userdata;
  uint64_t bytes = (uint64_t)1 << qemu_plugin_mem_size_shift(info);
  if (qemu_plugin_mem_is_store(info)) {
    total[BMRT_INSN_CLASS_COUNT + MEM_STORES] += 1;
    total[BMRT_INSN_CLASS_COUNT + MEM_STORE_BYTES] += bytes;
  } else {
    total[BMRT_INSN_CLASS_COUNT + MEM_LOADS] += 1;
    total[BMRT_INSN_CLASS_COUNT + MEM_LOAD_BYTES] += bytes;
  }
}

static int AccessesMemory(enum bmrt_insn_class insn_class) {
  switch (insn_class) {
    case BMRT_INSN_INT_LOAD:
    case BMRT_INSN_INT_STORE:
    case BMRT_INSN_FP_LOAD:
    case BMRT_INSN_FP_STORE:
    case BMRT_INSN_VECTOR_LOAD:
    case BMRT_INSN_VECTOR_STORE:
    case BMRT_INSN_ATOMIC:
    case BMRT_INSN_COMPRESSED:
      return 1;
    default:
      return 0;
  }
}

static void OnTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t count = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < count; ++i) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    const uint8_t *bytes = qemu_plugin_insn_data(insn);
    size_t size = qemu_plugin_insn_size(insn);
    enum bmrt_insn_class insn_class = bmrt_classify_insn(bytes, size);
    uint32_t word = bmrt_insn_word(bytes, size);
    if (size == 4 && word == BMRT_PROFILE_BEGIN_ENCODING) {
      qemu_plugin_register_vcpu_insn_exec_cb(insn, OnWindowBegin, QEMU_PLUGIN_CB_NO_REGS, NULL);
    } else if (size == 4 && word == BMRT_PROFILE_END_ENCODING) {
      qemu_plugin_register_vcpu_insn_exec_cb(insn, OnWindowEnd, QEMU_PLUGIN_CB_NO_REGS, NULL);
    }
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
                                               &total[insn_class], 1);
    if (AccessesMemory(insn_class)) {
      qemu_plugin_register_vcpu_mem_cb(insn, OnMemoryAccess, QEMU_PLUGIN_CB_NO_REGS,
                                       QEMU_PLUGIN_MEM_RW, NULL);
    }
  }
}

static const char *CounterName(int index) {
  return index < BMRT_INSN_CLASS_COUNT ? bmrt_insn_class_name((enum bmrt_insn_class)index)
                                       : kMemoryNames[index - BMRT_INSN_CLASS_COUNT];
}

static void WriteReport(FILE *out) {
  uint64_t total_insns = 0, window_insns = 0;
  for (int i = 0; i < BMRT_INSN_CLASS_COUNT; ++i) {
    total_insns += total[i];
    window_insns += window[i];
  }
  fprintf(out, "format bmrt-insn-profile-1\n");
  fprintf(out, "windows %llu\n", (unsigned long long)window_count);
  fprintf(out, "total.insns %llu\n", (unsigned long long)total_insns);
  fprintf(out, "window.insns %llu\n", (unsigned long long)window_insns);
  for (int i = 0; i < COUNTER_COUNT; ++i) {
    fprintf(out, "total.%s %llu\n", CounterName(i), (unsigned long long)total[i]);
    fprintf(out, "window.%s %llu\n", CounterName(i), (unsigned long long)window[i]);
  }
}

static void OnExit(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  CloseWindow();
  if (output_path != NULL) {
    FILE *out = fopen(output_path, "w");
    if (out != NULL) {
      WriteReport(out);
      fclose(out);
      return;
    }
    qemu_plugin_outs("bmrt-insn-profile: cannot open the output file; report follows\n");
  }
  char buffer[8192];
  FILE *out = fmemopen(buffer, sizeof(buffer), "w");
  if (out == NULL) return;
  WriteReport(out);
  fclose(out);
  buffer[sizeof(buffer) - 1] = '\0';
  qemu_plugin_outs(buffer);
}

BMRT_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv) {
  if (info->version.min > BMRT_QEMU_PLUGIN_API_VERSION ||
      info->version.cur < BMRT_QEMU_PLUGIN_API_VERSION) {
    fprintf(stderr, "bmrt-insn-profile: built for plugin API %d, QEMU offers %d..%d\n",
            BMRT_QEMU_PLUGIN_API_VERSION, info->version.min, info->version.cur);
    return -1;
  }
  if (strcmp(info->target_name, "riscv32") != 0) {
    fprintf(stderr, "bmrt-insn-profile: riscv32 only, not %s\n", info->target_name);
    return -1;
  }
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "out=", 4) == 0) {
      output_path = argv[i] + 4;
    } else {
      fprintf(stderr, "bmrt-insn-profile: unknown argument %s\n", argv[i]);
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, OnTranslate);
  qemu_plugin_register_atexit_cb(id, OnExit, NULL);
  return 0;
}
