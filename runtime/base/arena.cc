#include "runtime/base/arena.h"

#include "runtime/base/utility.h"

namespace bmrt {

#ifdef BMRT_ARENA_POISONING
extern "C" void __asan_poison_memory_region(void const volatile* address, size_t size);
extern "C" void __asan_unpoison_memory_region(void const volatile* address, size_t size);
extern "C" void* __asan_region_is_poisoned(void* address, size_t size);
#endif

namespace {
constexpr size_t kHeaderSize = 16;  // BlockHeader (8) + PayloadTag (8)
constexpr size_t kGranule = 16;

#ifdef BMRT_ARENA_POISONING
void Poison(const void* start, size_t size) { __asan_poison_memory_region(start, size); }
void Unpoison(const void* start, size_t size) { __asan_unpoison_memory_region(start, size); }
bool IsPoisoned(const void* start, size_t size) {
  return __asan_region_is_poisoned(const_cast<void*>(start), size) != nullptr;
}
#else
void Poison(const void*, size_t) {}
void Unpoison(const void*, size_t) {}
bool IsPoisoned(const void*, size_t) { return false; }
#endif
}  // namespace

#ifdef BMRT_ARENA_POISONING
Arena::~Arena() {
  if (touched_end_ > base_) Unpoison(base_, size_t(touched_end_ - base_));
}
#endif

void Arena::Initialize(MutableByteSpan region) {
  // Never-used space stays accessible (its owner may still fill it); freed blocks and the slack
  // behind each request are what gets poisoned. Only what was handed out needs unpoisoning,
  // which keeps re-initializing a large, mostly unused region cheap.
#ifdef BMRT_ARENA_POISONING
  if (touched_end_ > base_) Unpoison(base_, size_t(touched_end_ - base_));
#endif
  uintptr_t start = reinterpret_cast<uintptr_t>(region.data());
  uintptr_t aligned = (start + kGranule - 1) & ~uintptr_t(kGranule - 1);
  size_t lost = aligned - start;
  size_t usable = region.size() > lost ? (region.size() - lost) & ~(kGranule - 1) : 0;
  if (usable > 0xFFFFFFF0u) usable = 0xFFFFFFF0u;
  base_ = reinterpret_cast<uint8_t*>(aligned);
  capacity_ = usable;
  stats_ = ArenaStats();
  stats_.capacity = usable;
  free_list_ = nullptr;
#ifdef BMRT_ARENA_POISONING
  touched_end_ = base_;
#endif
  if (usable >= sizeof(FreeBlock)) {
    free_list_ = reinterpret_cast<FreeBlock*>(base_);
    free_list_->size = usable;
    free_list_->next = nullptr;
  }
}

bool Arena::Owns(const void* pointer) const {
  auto p = reinterpret_cast<const uint8_t*>(pointer);
  return p >= base_ && p < base_ + capacity_;
}

void* Arena::Allocate(size_t size, size_t alignment) {
  if (!IsPowerOfTwo(alignment) || size > capacity_) {
    ++stats_.failed_allocations;
    return nullptr;
  }
  if (alignment < kMinAlignment) alignment = kMinAlignment;
  // Worst case: header, padding up to the alignment, payload, rounded to the granule.
  size_t needed = 0;
  if (!CheckedAdd(size, kHeaderSize + (alignment - kGranule), &needed)) {
    ++stats_.failed_allocations;
    return nullptr;
  }
  needed = AlignUp(needed == 0 ? kGranule : needed, kGranule);

  FreeBlock** link = &free_list_;
  for (FreeBlock* block = free_list_; block; link = &block->next, block = block->next) {
    uint8_t* start = reinterpret_cast<uint8_t*>(block);
    uintptr_t payload = AlignUp(reinterpret_cast<uintptr_t>(start) + kHeaderSize, alignment);
    size_t used = AlignUp(payload + size - reinterpret_cast<uintptr_t>(start), kGranule);
    if (used < kHeaderSize + kGranule) used = kHeaderSize + kGranule;
    if (used > block->size) continue;

    size_t remainder = block->size - used;
    FreeBlock* next = block->next;
    if (remainder >= sizeof(FreeBlock) + kHeaderSize) {
      auto* rest = reinterpret_cast<FreeBlock*>(start + used);
      Unpoison(rest, sizeof(FreeBlock));
      rest->size = remainder;
      rest->next = next;
      *link = rest;
    } else {
      used = block->size;
      *link = next;
    }
    Unpoison(start, used);
#ifdef BMRT_ARENA_POISONING
    if (start + used > touched_end_) touched_end_ = start + used;
#endif
    uint8_t* request_end = reinterpret_cast<uint8_t*>(payload) + size;
    Poison(request_end, size_t(start + used - request_end));
    auto* header = reinterpret_cast<BlockHeader*>(start);
    header->block_size = uint32_t(used);
    header->request_size = uint32_t(size);
    auto* tag = reinterpret_cast<PayloadTag*>(payload - sizeof(PayloadTag));
    tag->offset_from_block = uint32_t(payload - reinterpret_cast<uintptr_t>(start));
    tag->magic = kLiveMagic;

    stats_.bytes_in_use += used;
    stats_.peak_bytes_in_use = Max(stats_.peak_bytes_in_use, stats_.bytes_in_use);
    stats_.bytes_allocated += size;
    ++stats_.live_allocations;
    return reinterpret_cast<void*>(payload);
  }
  ++stats_.failed_allocations;
  return nullptr;
}

Arena::BlockHeader* Arena::HeaderOf(const void* pointer) const {
  if (!pointer || !Owns(pointer)) return nullptr;
  auto payload = reinterpret_cast<const uint8_t*>(pointer);
  if (payload < base_ + kHeaderSize) return nullptr;
  auto* tag = reinterpret_cast<const PayloadTag*>(payload - sizeof(PayloadTag));
  if (IsPoisoned(tag, sizeof(PayloadTag))) return nullptr;  // freed (or never allocated)
  if (tag->magic != kLiveMagic || tag->offset_from_block < kHeaderSize ||
      tag->offset_from_block > size_t(payload - base_)) {
    return nullptr;
  }
  return reinterpret_cast<BlockHeader*>(const_cast<uint8_t*>(payload) - tag->offset_from_block);
}

size_t Arena::AllocationSize(const void* pointer) const {
  const BlockHeader* header = HeaderOf(pointer);
  return header ? header->request_size : 0;
}

void Arena::Free(void* pointer) {
  BlockHeader* header = HeaderOf(pointer);
  if (!header) return;
  auto* tag = reinterpret_cast<PayloadTag*>(static_cast<uint8_t*>(pointer) - sizeof(PayloadTag));
  tag->magic = 0;  // catches a double free
  size_t block_size = header->block_size;
  stats_.bytes_in_use -= block_size;
  if (pointer == reservation_) {
    reservation_ = nullptr;
    stats_.peak_bytes_in_use = peak_before_reservation_;
  } else {
    stats_.bytes_freed += header->request_size;
  }
  --stats_.live_allocations;
  Poison(header, block_size);
  Unpoison(header, sizeof(FreeBlock));
  InsertFree(reinterpret_cast<uint8_t*>(header), block_size);
}

void Arena::Shrink(void* pointer, size_t new_size) {
  BlockHeader* header = HeaderOf(pointer);
  if (!header) return;
  if (pointer == reservation_) {
    reservation_ = nullptr;
    if (new_size > header->request_size) new_size = header->request_size;
    // The reserved size was never counted as allocated; only what stays is.
    stats_.bytes_allocated += new_size;
    ShrinkBlock(header, pointer, new_size);
    stats_.peak_bytes_in_use = Max(peak_before_reservation_, stats_.bytes_in_use);
    return;
  }
  if (new_size >= header->request_size) return;
  stats_.bytes_freed += header->request_size - new_size;
  ShrinkBlock(header, pointer, new_size);
}

void* Arena::ReserveLargest(size_t alignment, size_t* size) {
  *size = 0;
  if (reservation_ || !IsPowerOfTwo(alignment)) return nullptr;
  size_t largest = LargestFreeRequest();
  size_t slack = alignment > kMinAlignment ? alignment : 0;
  if (largest <= slack) return nullptr;
  size_t request = (largest - slack) & ~(kGranule - 1);
  size_t peak = stats_.peak_bytes_in_use;
  uint64_t allocated = stats_.bytes_allocated;
  void* pointer = Allocate(request, alignment);
  if (!pointer) return nullptr;
  stats_.bytes_allocated = allocated;
  stats_.peak_bytes_in_use = peak;
  peak_before_reservation_ = peak;
  reservation_ = pointer;
  *size = request;
  return pointer;
}

void Arena::ShrinkBlock(BlockHeader* header, void* pointer, size_t new_size) {
  auto* start = reinterpret_cast<uint8_t*>(header);
  size_t payload_offset = static_cast<uint8_t*>(pointer) - start;
  size_t used = AlignUp(payload_offset + new_size, kGranule);
  if (used < kHeaderSize + kGranule) used = kHeaderSize + kGranule;
  header->request_size = uint32_t(new_size);
  uint8_t* request_end = static_cast<uint8_t*>(pointer) + new_size;
  Poison(request_end, size_t(start + header->block_size - request_end));
  if (header->block_size - used < sizeof(FreeBlock) + kHeaderSize) return;
  size_t tail = header->block_size - used;
  header->block_size = uint32_t(used);
  stats_.bytes_in_use -= tail;
  Unpoison(start + used, sizeof(FreeBlock));
  InsertFree(start + used, tail);
}

size_t Arena::LargestFreeRequest() const {
  size_t largest = 0;
  for (FreeBlock* block = free_list_; block; block = block->next) {
    if (block->size > kHeaderSize && block->size - kHeaderSize > largest) {
      largest = block->size - kHeaderSize;
    }
  }
  return largest;
}

void Arena::InsertFree(uint8_t* start, size_t size) {
  FreeBlock* previous = nullptr;
  FreeBlock* next = free_list_;
  while (next && reinterpret_cast<uint8_t*>(next) < start) {
    previous = next;
    next = next->next;
  }
  auto* block = reinterpret_cast<FreeBlock*>(start);
  block->size = size;
  block->next = next;
  if (next && start + size == reinterpret_cast<uint8_t*>(next)) {
    block->size += next->size;
    block->next = next->next;
    Poison(next, sizeof(FreeBlock));
  }
  if (previous && reinterpret_cast<uint8_t*>(previous) + previous->size == start) {
    previous->size += block->size;
    previous->next = block->next;
    Poison(block, sizeof(FreeBlock));
  } else if (previous) {
    previous->next = block;
  } else {
    free_list_ = block;
  }
}

}  // namespace bmrt
