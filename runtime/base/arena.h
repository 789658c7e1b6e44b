// Arena: the one memory pool of the runtime. A fixed region handed over at start-up, managed
// as an address-ordered first-fit free list with coalescing, with statistics including the
// high-water mark. Not thread-safe (the runtime is single-threaded).
#pragma once

#include "runtime/base/span.h"
#include "runtime/base/types.h"

// Host builds with AddressSanitizer poison freed blocks and the slack behind every request, so
// that reads and writes past a request or after a free are reported like heap errors.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BMRT_ARENA_POISONING 1
#endif
#endif
#if !defined(BMRT_ARENA_POISONING) && defined(__SANITIZE_ADDRESS__)
#define BMRT_ARENA_POISONING 1
#endif

namespace bmrt {

struct ArenaStats {
  size_t capacity = 0;          // bytes managed
  size_t bytes_in_use = 0;      // live bytes, block overhead included
  size_t peak_bytes_in_use = 0; // high-water mark of bytes_in_use
  uint64_t bytes_allocated = 0; // requested bytes, summed over all allocations
  uint64_t bytes_freed = 0;     // requested bytes, summed over all frees
  uint32_t live_allocations = 0;
  uint32_t failed_allocations = 0;
};

class Arena {
 public:
  static constexpr size_t kMinAlignment = 16;

  Arena() = default;
  explicit Arena(MutableByteSpan region) { Initialize(region); }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
#ifdef BMRT_ARENA_POISONING
  ~Arena();  // hands the region back unpoisoned
#endif

  // Takes over `region`; every earlier allocation is forgotten.
  void Initialize(MutableByteSpan region);

  // Returns null when the request cannot be satisfied. `alignment` must be a power of two;
  // values below kMinAlignment are raised to it.
  void* Allocate(size_t size, size_t alignment = kMinAlignment);
  // Accepts null. Pointers not from this arena are a programming error (checked: ignored).
  void Free(void* pointer);
  // Gives back the tail of a live allocation so that only `new_size` bytes stay reserved; for
  // buffers whose final size is known only after filling them. Growing is not supported.
  void Shrink(void* pointer, size_t new_size);
  // Reserves the largest block available (less `alignment` slack) for a buffer whose final size
  // is known only after filling it; *size receives the usable size (0 and null when nothing is
  // free). A reservation counts in the statistics only with the size that Shrink (or Free)
  // leaves, so the peak stays meaningful. One reservation at a time.
  void* ReserveLargest(size_t alignment, size_t* size);
  // Size of the largest request that could succeed now (at kMinAlignment).
  size_t LargestFreeRequest() const;
  // Requested size of a live allocation, or 0 for null.
  size_t AllocationSize(const void* pointer) const;

  template <typename T>
  T* AllocateArray(size_t count) {
    size_t bytes = 0;
    if (__builtin_mul_overflow(count, sizeof(T), &bytes)) return nullptr;
    return static_cast<T*>(Allocate(bytes, alignof(T) > kMinAlignment ? alignof(T) : kMinAlignment));
  }

  const ArenaStats& stats() const { return stats_; }
  void ResetPeak() { stats_.peak_bytes_in_use = stats_.bytes_in_use; }
  bool Owns(const void* pointer) const;

 private:
  struct FreeBlock {
    size_t size;
    FreeBlock* next;
  };
  // The first 8 bytes of every live block; the PayloadTag follows in the next 8 when the
  // payload is not over-aligned. Sizes fit 32 bits because the region does.
  struct BlockHeader {
    uint32_t block_size;    // whole block: header, padding and payload
    uint32_t request_size;  // bytes the caller asked for
  };
  // Stored right before every payload; locates the block header.
  struct PayloadTag {
    uint32_t offset_from_block;
    uint32_t magic;
  };
  static constexpr uint32_t kLiveMagic = 0xA11C0DE5u;

  BlockHeader* HeaderOf(const void* pointer) const;
  void InsertFree(uint8_t* start, size_t size);
  void ShrinkBlock(BlockHeader* header, void* pointer, size_t new_size);

  uint8_t* base_ = nullptr;
  size_t capacity_ = 0;
  FreeBlock* free_list_ = nullptr;
  void* reservation_ = nullptr;
  size_t peak_before_reservation_ = 0;
  ArenaStats stats_;
#ifdef BMRT_ARENA_POISONING
  uint8_t* touched_end_ = nullptr;  // end of the highest block ever handed out (may be poisoned)
#endif
};

}  // namespace bmrt
