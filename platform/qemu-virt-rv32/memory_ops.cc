// memset, memcpy and memmove for the firmware, in place of picolibc's byte/word loops: with a
// vector unit, one e8/m8 strip moves VLEN/8 * 8 bytes (256 at VLEN 512) per load/store pair.
// The same image runs on a CPU without one, so the vector loops run only once start.S's probe
// has set bmrt_vlenb; before that, and on the scalar CPU, word loops do the work. The vector
// instructions are inline assembly so that the compiler never vectorizes the scalar loops by
// itself; the file is built with -fno-builtin so that it does not turn those loops back into
// calls to the functions they implement.
#include <stddef.h>
#include <stdint.h>

extern "C" uint32_t bmrt_vlenb;  // platform/qemu-virt-rv32/system.cc; 0 until probed, or none

namespace {

using Word = uint32_t __attribute__((may_alias));

bool VectorUnitReady() { return bmrt_vlenb != 0; }

#define BMRT_VECTOR_ASM(body) \
  ".option push\n.option arch, +zve32x\n" body ".option pop\n"

void CopyForwardVector(uint8_t* to, const uint8_t* from, size_t size) {
  size_t strip;
  asm volatile(BMRT_VECTOR_ASM(
                   "1:\n"
                   "vsetvli %[strip], %[size], e8, m8, ta, ma\n"
                   "vle8.v v0, (%[from])\n"
                   "sub %[size], %[size], %[strip]\n"
                   "add %[from], %[from], %[strip]\n"
                   "vse8.v v0, (%[to])\n"
                   "add %[to], %[to], %[strip]\n"
                   "bnez %[size], 1b\n")
               : [to] "+r"(to), [from] "+r"(from), [size] "+r"(size), [strip] "=&r"(strip)
               :
               : "memory");
}

// From the end down: safe when `to` overlaps `from` from above.
void CopyBackwardVector(uint8_t* to, const uint8_t* from, size_t size) {
  size_t strip;
  const uint8_t* source;
  uint8_t* target;
  asm volatile(BMRT_VECTOR_ASM(
                   "1:\n"
                   "vsetvli %[strip], %[size], e8, m8, ta, ma\n"
                   "sub %[size], %[size], %[strip]\n"
                   "add %[source], %[from], %[size]\n"
                   "vle8.v v0, (%[source])\n"
                   "add %[target], %[to], %[size]\n"
                   "vse8.v v0, (%[target])\n"
                   "bnez %[size], 1b\n")
               : [size] "+r"(size), [strip] "=&r"(strip), [source] "=&r"(source),
                 [target] "=&r"(target)
               : [to] "r"(to), [from] "r"(from)
               : "memory");
}

void FillVector(uint8_t* to, uint8_t value, size_t size) {
  size_t strip;
  asm volatile(BMRT_VECTOR_ASM(
                   "vsetvli %[strip], %[size], e8, m8, ta, ma\n"
                   "vmv.v.x v0, %[value]\n"
                   "1:\n"
                   "vsetvli %[strip], %[size], e8, m8, ta, ma\n"
                   "vse8.v v0, (%[to])\n"
                   "sub %[size], %[size], %[strip]\n"
                   "add %[to], %[to], %[strip]\n"
                   "bnez %[size], 1b\n")
               : [to] "+r"(to), [size] "+r"(size), [strip] "=&r"(strip)
               : [value] "r"(value)
               : "memory");
}

#undef BMRT_VECTOR_ASM

// Words (eight at a time) when both sides share their alignment, bytes otherwise.
void CopyForwardScalar(uint8_t* to, const uint8_t* from, size_t size) {
  if (((uintptr_t(to) ^ uintptr_t(from)) & 3) == 0) {
    for (; size != 0 && (uintptr_t(to) & 3) != 0; --size) *to++ = *from++;
    auto* target = reinterpret_cast<Word*>(to);
    const auto* source = reinterpret_cast<const Word*>(from);
    for (; size >= 32; size -= 32, target += 8, source += 8) {
      Word a = source[0], b = source[1], c = source[2], d = source[3];
      Word e = source[4], f = source[5], g = source[6], h = source[7];
      target[0] = a;
      target[1] = b;
      target[2] = c;
      target[3] = d;
      target[4] = e;
      target[5] = f;
      target[6] = g;
      target[7] = h;
    }
    for (; size >= 4; size -= 4) *target++ = *source++;
    to = reinterpret_cast<uint8_t*>(target);
    from = reinterpret_cast<const uint8_t*>(source);
  }
  for (; size != 0; --size) *to++ = *from++;
}

void CopyBackwardScalar(uint8_t* to, const uint8_t* from, size_t size) {
  while (size != 0) {
    --size;
    to[size] = from[size];
  }
}

void FillScalar(uint8_t* to, uint8_t value, size_t size) {
  for (; size != 0 && (uintptr_t(to) & 3) != 0; --size) *to++ = value;
  Word word = value * 0x01010101u;
  auto* target = reinterpret_cast<Word*>(to);
  for (; size >= 32; size -= 32, target += 8) {
    target[0] = word;
    target[1] = word;
    target[2] = word;
    target[3] = word;
    target[4] = word;
    target[5] = word;
    target[6] = word;
    target[7] = word;
  }
  for (; size >= 4; size -= 4) *target++ = word;
  to = reinterpret_cast<uint8_t*>(target);
  for (; size != 0; --size) *to++ = value;
}

}  // namespace

extern "C" {

void* memcpy(void* __restrict to, const void* __restrict from, size_t size) {
  if (size == 0) return to;
  auto* target = static_cast<uint8_t*>(to);
  const auto* source = static_cast<const uint8_t*>(from);
  if (VectorUnitReady()) {
    CopyForwardVector(target, source, size);
  } else {
    CopyForwardScalar(target, source, size);
  }
  return to;
}

// A forward copy is safe unless `to` starts inside [from, from + size).
void* memmove(void* to, const void* from, size_t size) {
  if (size == 0) return to;
  auto* target = static_cast<uint8_t*>(to);
  const auto* source = static_cast<const uint8_t*>(from);
  bool forward = uintptr_t(target) - uintptr_t(source) >= size;
  if (VectorUnitReady()) {
    if (forward) {
      CopyForwardVector(target, source, size);
    } else {
      CopyBackwardVector(target, source, size);
    }
  } else if (forward) {
    CopyForwardScalar(target, source, size);
  } else {
    CopyBackwardScalar(target, source, size);
  }
  return to;
}

void* memset(void* to, int value, size_t size) {
  if (size == 0) return to;
  auto* target = static_cast<uint8_t*>(to);
  if (VectorUnitReady()) {
    FillVector(target, uint8_t(value), size);
  } else {
    FillScalar(target, uint8_t(value), size);
  }
  return to;
}

}  // extern "C"
