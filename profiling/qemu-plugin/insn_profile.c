/* QEMU TCG plugin: counts executed instructions by class and memory accesses, in total and
 * inside profiling windows the firmware opens and closes with marker instructions
 * (insn_class.h), and inside windows also per instruction address and per memory block.
 * Output (format bmrt-insn-profile-2), written to the file named by the `out=` argument
 * (QEMU's plugin log otherwise):
 *   "<scope>.<counter> <value>"   one per class and memory counter, scope total or window
 *   "pc 0x<address> <count>"      instructions executed at that address inside windows
 *   "mem 0x<block> <loads> <stores> <load_bytes> <store_bytes>"   accesses inside windows
 *       starting in the 64-byte RAM block (ram.block) or, outside RAM, the 4 KiB page
 *       (other.page) at that address
 * Only non-zero pc and mem lines are written; they add up exactly to window.insns and
 * window.mem_*.
 *
 *   qemu-system-riscv32 ... -plugin libbmrt_insn_profile.so,out=profile.txt[,ram=BASE:SIZE]
 *
 * Counters are plain inline adds: exact for the single vCPU the firmware uses. */
#include <stdio.h>
#include <stdlib.h>
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

/* One slot per translated instruction (a retranslation gets a new one): `count` is an inline
 * add, `window` collects its change across windows ("minus at begin, plus at end", the same
 * accounting as the class counters). Slots live in chunks that never move. */
struct PcSlot {
  uint64_t count;
  uint64_t window;
  uint64_t pc;
};
enum { SLOTS_PER_CHUNK = 4096 };
struct SlotChunk {
  struct SlotChunk *next;
  size_t used;
  struct PcSlot slots[SLOTS_PER_CHUNK];
};
static struct SlotChunk *slot_chunks;

/* Memory accesses inside windows: a direct table of 64-byte blocks over RAM (default: the
 * qemu-virt-rv32 board's 1 MiB code + 16 MiB data at 0x80000000), 4 KiB pages elsewhere. */
enum { RAM_BLOCK_SHIFT = 6, OTHER_PAGE_SHIFT = 12 };
static uint64_t ram_base = 0x80000000u;
static uint64_t ram_size = 17u << 20;
static uint64_t (*ram_blocks)[MEM_COUNTER_COUNT];
struct OtherPage {
  uint64_t page;
  uint64_t counts[MEM_COUNTER_COUNT];
};
static struct OtherPage *other_pages;
static size_t other_page_count, other_page_capacity, last_other_page;

static struct PcSlot *NewSlot(uint64_t pc) {
  if (slot_chunks == NULL || slot_chunks->used == SLOTS_PER_CHUNK) {
    struct SlotChunk *chunk = calloc(1, sizeof(struct SlotChunk));
    if (chunk == NULL) return NULL;
    chunk->next = slot_chunks;
    slot_chunks = chunk;
  }
  struct PcSlot *slot = &slot_chunks->slots[slot_chunks->used++];
  slot->pc = pc;
  return slot;
}

static void OnWindowBegin(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  (void)userdata;
  if (in_window) return;
  memcpy(window_start, total, sizeof(total));
  for (struct SlotChunk *chunk = slot_chunks; chunk != NULL; chunk = chunk->next) {
    for (size_t i = 0; i < chunk->used; ++i) chunk->slots[i].window -= chunk->slots[i].count;
  }
  in_window = 1;
  ++window_count;
}

static void CloseWindow(void) {
  if (!in_window) return;
  for (int i = 0; i < COUNTER_COUNT; ++i) window[i] += total[i] - window_start[i];
  for (struct SlotChunk *chunk = slot_chunks; chunk != NULL; chunk = chunk->next) {
    for (size_t i = 0; i < chunk->used; ++i) chunk->slots[i].window += chunk->slots[i].count;
  }
  in_window = 0;
}

static uint64_t *OtherPageCounts(uint64_t address) {
  uint64_t page = address >> OTHER_PAGE_SHIFT << OTHER_PAGE_SHIFT;
  if (last_other_page < other_page_count && other_pages[last_other_page].page == page) {
    return other_pages[last_other_page].counts;
  }
  for (size_t i = 0; i < other_page_count; ++i) {
    if (other_pages[i].page == page) {
      last_other_page = i;
      return other_pages[i].counts;
    }
  }
  if (other_page_count == other_page_capacity) {
    size_t capacity = other_page_capacity ? 2 * other_page_capacity : 64;
    struct OtherPage *grown = realloc(other_pages, capacity * sizeof(struct OtherPage));
    if (grown == NULL) return NULL;
    other_pages = grown;
    other_page_capacity = capacity;
  }
  struct OtherPage *entry = &other_pages[other_page_count];
  memset(entry, 0, sizeof(*entry));
  entry->page = page;
  last_other_page = other_page_count++;
  return entry->counts;
}

static void CountBlock(uint64_t address, int is_store, uint64_t bytes) {
  uint64_t *counts = NULL;
  if (ram_blocks != NULL && address >= ram_base && address - ram_base < ram_size) {
    counts = ram_blocks[(address - ram_base) >> RAM_BLOCK_SHIFT];
  } else {
    counts = OtherPageCounts(address);
  }
  if (counts == NULL) {
    fprintf(stderr, "bmrt-insn-profile: out of memory for the block table\n");
    abort();
  }
  counts[is_store ? MEM_STORES : MEM_LOADS] += 1;
  counts[is_store ? MEM_STORE_BYTES : MEM_LOAD_BYTES] += bytes;
}

static void OnWindowEnd(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  (void)userdata;
  CloseWindow();
}

static void OnMemoryAccess(unsigned int vcpu_index, qemu_plugin_meminfo_t info, uint64_t vaddr,
                           void *userdata) {
  (void)vcpu_index;
  (void)userdata;
  uint64_t bytes = (uint64_t)1 << qemu_plugin_mem_size_shift(info);
  int is_store = qemu_plugin_mem_is_store(info);
  if (in_window) CountBlock(vaddr, is_store, bytes);
  if (is_store) {
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
    struct PcSlot *slot = NewSlot(qemu_plugin_insn_vaddr(insn));
    if (slot == NULL) {
      fprintf(stderr, "bmrt-insn-profile: out of memory for instruction slots\n");
      abort();
    }
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &slot->count,
                                               1);
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

static int CompareSlotPc(const void *a, const void *b) {
  uint64_t left = ((const struct PcSlot *)a)->pc, right = ((const struct PcSlot *)b)->pc;
  return left < right ? -1 : left > right;
}

/* "pc" lines: the window counts of every slot, summed per address. */
static void WritePcLines(FILE *out) {
  size_t count = 0;
  for (struct SlotChunk *chunk = slot_chunks; chunk != NULL; chunk = chunk->next) {
    for (size_t i = 0; i < chunk->used; ++i) count += chunk->slots[i].window != 0;
  }
  struct PcSlot *hits = malloc((count ? count : 1) * sizeof(struct PcSlot));
  if (hits == NULL) {
    fprintf(out, "error out of memory for the pc lines\n");
    return;
  }
  size_t used = 0;
  for (struct SlotChunk *chunk = slot_chunks; chunk != NULL; chunk = chunk->next) {
    for (size_t i = 0; i < chunk->used; ++i) {
      if (chunk->slots[i].window != 0) hits[used++] = chunk->slots[i];
    }
  }
  qsort(hits, used, sizeof(struct PcSlot), CompareSlotPc);
  for (size_t i = 0; i < used;) {
    uint64_t pc = hits[i].pc, sum = 0;
    for (; i < used && hits[i].pc == pc; ++i) sum += hits[i].window;
    fprintf(out, "pc 0x%llx %llu\n", (unsigned long long)pc, (unsigned long long)sum);
  }
  free(hits);
}

static void WriteMemLine(FILE *out, uint64_t address, const uint64_t *counts) {
  if (counts[MEM_LOADS] == 0 && counts[MEM_STORES] == 0) return;
  fprintf(out, "mem 0x%llx %llu %llu %llu %llu\n", (unsigned long long)address,
          (unsigned long long)counts[MEM_LOADS], (unsigned long long)counts[MEM_STORES],
          (unsigned long long)counts[MEM_LOAD_BYTES], (unsigned long long)counts[MEM_STORE_BYTES]);
}

static int CompareOtherPage(const void *a, const void *b) {
  uint64_t left = ((const struct OtherPage *)a)->page, right = ((const struct OtherPage *)b)->page;
  return left < right ? -1 : left > right;
}

static void WriteMemLines(FILE *out) {
  qsort(other_pages, other_page_count, sizeof(struct OtherPage), CompareOtherPage);
  size_t other = 0;
  for (; other < other_page_count && other_pages[other].page < ram_base; ++other) {
    WriteMemLine(out, other_pages[other].page, other_pages[other].counts);
  }
  if (ram_blocks != NULL) {
    for (uint64_t block = 0; block < ram_size >> RAM_BLOCK_SHIFT; ++block) {
      WriteMemLine(out, ram_base + (block << RAM_BLOCK_SHIFT), ram_blocks[block]);
    }
  }
  for (; other < other_page_count; ++other) {
    WriteMemLine(out, other_pages[other].page, other_pages[other].counts);
  }
}

static void WriteReport(FILE *out) {
  uint64_t total_insns = 0, window_insns = 0;
  for (int i = 0; i < BMRT_INSN_CLASS_COUNT; ++i) {
    total_insns += total[i];
    window_insns += window[i];
  }
  fprintf(out, "format bmrt-insn-profile-2\n");
  fprintf(out, "windows %llu\n", (unsigned long long)window_count);
  fprintf(out, "total.insns %llu\n", (unsigned long long)total_insns);
  fprintf(out, "window.insns %llu\n", (unsigned long long)window_insns);
  for (int i = 0; i < COUNTER_COUNT; ++i) {
    fprintf(out, "total.%s %llu\n", CounterName(i), (unsigned long long)total[i]);
    fprintf(out, "window.%s %llu\n", CounterName(i), (unsigned long long)window[i]);
  }
  fprintf(out, "ram 0x%llx 0x%llx\n", (unsigned long long)ram_base, (unsigned long long)ram_size);
  fprintf(out, "ram.block %d\n", 1 << RAM_BLOCK_SHIFT);
  fprintf(out, "other.page %d\n", 1 << OTHER_PAGE_SHIFT);
  WritePcLines(out);
  WriteMemLines(out);
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
  char *buffer = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&buffer, &size);
  if (out == NULL) return;
  WriteReport(out);
  fclose(out);
  qemu_plugin_outs(buffer);
  free(buffer);
}

/* "BASE:SIZE", both numbers in C notation (0x... for hexadecimal). */
static int ParseRam(const char *text) {
  char *end = NULL;
  unsigned long long base = strtoull(text, &end, 0);
  if (end == text || *end != ':') return -1;
  const char *size_text = end + 1;
  unsigned long long size = strtoull(size_text, &end, 0);
  if (end == size_text || *end != '\0' || size == 0 || size > (1ull << 32)) return -1;
  ram_base = base;
  ram_size = (size + (1u << RAM_BLOCK_SHIFT) - 1) >> RAM_BLOCK_SHIFT << RAM_BLOCK_SHIFT;
  return 0;
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
    } else if (strncmp(argv[i], "ram=", 4) == 0) {
      if (ParseRam(argv[i] + 4) != 0) {
        fprintf(stderr, "bmrt-insn-profile: ram= wants BASE:SIZE, not %s\n", argv[i] + 4);
        return -1;
      }
    } else {
      fprintf(stderr, "bmrt-insn-profile: unknown argument %s\n", argv[i]);
      return -1;
    }
  }
  ram_blocks = calloc(ram_size >> RAM_BLOCK_SHIFT, sizeof(*ram_blocks));
  if (ram_blocks == NULL) {
    fprintf(stderr, "bmrt-insn-profile: no memory for the RAM block table\n");
    return -1;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, OnTranslate);
  qemu_plugin_register_atexit_cb(id, OnExit, NULL);
  return 0;
}
