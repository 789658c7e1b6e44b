// Self-test of the firmware's memcpy, memmove and memset (memory_ops.cc) over many lengths and
// alignments: every byte of and around the destination must hold what a byte-by-byte copy or
// fill would leave. Built with -fno-builtin, so that the calls stay calls and the reference
// loops stay loops.
#include <string.h>

#include "platform/qemu-virt-rv32/log.h"
#include "platform/qemu-virt-rv32/selftest.h"
#include "platform/qemu-virt-rv32/system.h"

namespace bmrt::platform {
namespace {

constexpr size_t kBufferSize = 4352;
constexpr size_t kMaxLength = 4100;
constexpr size_t kSlack = 8;  // checked bytes on either side of a destination
constexpr uint8_t kGuard = 0xA5;
constexpr uint8_t kFill = 0xC3;
uint8_t source[kBufferSize];
uint8_t target[kBufferSize];

// Below 0x80, unlike kGuard and kFill; the period is not a power of two, so a strip landing at
// the wrong offset shows.
uint8_t Pattern(size_t index) { return uint8_t((index * 7 + (index >> 7)) & 0x7F); }

size_t LengthAt(size_t step) {
  constexpr size_t kLongLengths[] = {511, 512, 513, 1536, 4096, kMaxLength};
  return step <= 300 ? step : kLongLengths[step - 301];
}
constexpr size_t kLengthSteps = 301 + 6;

using CopyFunction = void* (*)(void*, const void*, size_t);

// Copies source[from, from + length) to target[to, ...) and checks target[0, to + length + slack).
bool CopyMatches(CopyFunction copy, size_t to, size_t from, size_t length) {
  size_t end = to + length + kSlack;
  for (size_t i = 0; i < end; ++i) target[i] = kGuard;
  if (copy(target + to, source + from, length) != target + to) return false;
  for (size_t i = 0; i < end; ++i) {
    bool inside = i >= to && i < to + length;
    if (target[i] != (inside ? Pattern(from + i - to) : kGuard)) return false;
  }
  return true;
}

bool FillMatches(size_t to, size_t length) {
  size_t end = to + length + kSlack;
  for (size_t i = 0; i < end; ++i) target[i] = kGuard;
  if (memset(target + to, kFill, length) != target + to) return false;
  for (size_t i = 0; i < end; ++i) {
    if (target[i] != (i >= to && i < to + length ? kFill : kGuard)) return false;
  }
  return true;
}

// memmove within one buffer holding Pattern(i) at i, from `from` to `from + shift`.
bool OverlappingMoveMatches(size_t from, int shift, size_t length) {
  size_t to = size_t(int(from) + shift);
  size_t begin = (to < from ? to : from) - kSlack;
  size_t end = (to > from ? to : from) + length + kSlack;
  for (size_t i = begin; i < end; ++i) target[i] = Pattern(i);
  if (memmove(target + to, target + from, length) != target + to) return false;
  for (size_t i = begin; i < end; ++i) {
    bool inside = i >= to && i < to + length;
    if (target[i] != Pattern(inside ? from + i - to : i)) return false;
  }
  return true;
}

}  // namespace

bool CheckMemoryRoutines() {
  for (size_t i = 0; i < kBufferSize; ++i) source[i] = Pattern(i);
  unsigned cases = 0;
  bool ok = true;
  for (size_t step = 0; step < kLengthSteps; ++step) {
    size_t length = LengthAt(step);
    for (size_t to = 0; to < 4; ++to) {
      for (size_t from = 0; from < 4; ++from) {
        ok = CopyMatches(memcpy, to, from, length) && ok;
        ok = CopyMatches(memmove, to, from, length) && ok;
        cases += 2;
      }
      ok = FillMatches(to, length) && ok;
      ++cases;
    }
  }
  constexpr int kShifts[] = {-300, -257, -256, -255, -17, -4, -3, -1,
                             1,    3,    4,    17,   255, 256, 257, 300};
  constexpr size_t kMoveLengths[] = {1, 2, 3, 5, 8, 31, 64, 255, 256, 257, 300, 1000, 3000};
  for (int shift : kShifts) {
    for (size_t length : kMoveLengths) {
      for (size_t offset = 0; offset < 4; ++offset) {
        ok = OverlappingMoveMatches(320 + offset, shift, length) && ok;
        ++cases;
      }
    }
  }
  for (size_t i = 0; i < 1536; ++i) target[i] = kGuard;
  uint64_t start = InstructionCount();
  memcpy(target, source + 1, 1536);
  uint64_t copy_instructions = InstructionCount() - start;
  Log("selftest: memory routines (%s) cases=%u matches=%d, memcpy 1536 B instructions=%llu",
      HasVectorUnit() ? "vector" : "scalar", cases, int(ok),
      (unsigned long long)copy_instructions);
  return ok;
}

}  // namespace bmrt::platform
