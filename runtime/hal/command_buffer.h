// hal.command_buffer: commands recorded once and replayed on every execute. A buffer operand
// is either a buffer (retained by the command) or a slot of the binding table supplied when the
// command buffer is executed (how memoized command buffers in compiled models are reused).
#pragma once

#include "runtime/base/arena.h"
#include "runtime/base/result.h"
#include "runtime/base/span.h"
#include "runtime/elf/elf_module.h"
#include "runtime/hal/buffer.h"
#include "runtime/hal/executable.h"
#include "runtime/hal/hal_types.h"
#include "runtime/vm/ref.h"

namespace bmrt::hal {

// A buffer operand as recorded: `buffer` (borrowed by the caller, retained by the command) or,
// when null, binding-table entry `slot`. offset/length are relative to the resolved range.
struct BufferRef {
  Buffer* buffer = nullptr;
  uint32_t slot = 0;
  uint64_t offset = 0;
  uint64_t length = kWholeBuffer;
};

// One binding-table entry given at execute time.
struct BindingTableEntry {
  Buffer* buffer = nullptr;
  uint64_t offset = 0;
  uint64_t length = kWholeBuffer;
};

// Fills `target` with the low `pattern_length` (1, 2, 4 or 8) bytes of `pattern`, repeated.
Status FillBuffer(MutableByteSpan target, uint64_t pattern, uint32_t pattern_length);

class CommandBuffer : public vm::RefObject {
 public:
  static constexpr vm::RefType kRefType = vm::RefType::kHalCommandBuffer;
  static constexpr size_t kMaxBindings = abi::kMaxBindings;

  static Result<CommandBuffer*> Create(Arena& arena, uint32_t mode, uint32_t categories,
                                       uint32_t binding_capacity);

  uint32_t binding_capacity() const { return binding_capacity_; }
  bool finalized() const { return finalized_; }
  size_t command_count() const { return command_count_; }

  // Recording (fails once finalized).
  Status Fill(const BufferRef& target, uint64_t pattern, uint32_t pattern_length);
  Status Update(ByteSpan source, const BufferRef& target);
  Status Copy(const BufferRef& source, const BufferRef& target);
  Status Dispatch(Executable& executable, uint32_t ordinal, const uint32_t workgroups[3],
                  Span<const uint32_t> constants, Span<const BufferRef> bindings);
  // Workgroup counts are three u32 read from `workgroups_buffer` when the command runs.
  Status DispatchIndirect(Executable& executable, uint32_t ordinal,
                          const BufferRef& workgroups_buffer, Span<const uint32_t> constants,
                          Span<const BufferRef> bindings);
  // Commands run in order on one thread, so a barrier only checks the recording state.
  Status Barrier();
  Status Finalize();

  // Runs every command. Slot operands resolve against `binding_table`.
  Status Execute(Span<const BindingTableEntry> binding_table, Arena& scratch,
                 elf::ErrorText& error) const;

 private:
  struct StoredRef;
  struct Command;
  class SlotRanges;

  CommandBuffer(Arena& arena) : RefObject(kRefType, &Destroy), arena_(&arena) {}
  ~CommandBuffer();
  static void Destroy(vm::RefObject* object);

  Result<Command*> Append(size_t constant_count, size_t binding_count, size_t payload_size);
  // Validates an operand before anything is recorded, so a rejected command leaves no trace.
  Status Check(const BufferRef& ref) const;
  void Store(const BufferRef& ref, StoredRef& stored);
  // Resolves `ref` against the binding table and keeps the result in the ref's replay cache.
  Status Resolve(const StoredRef& ref, SlotRanges& slots, MutableByteSpan* out) const;
  Status ResolveDispatch(const Command& command, SlotRanges& slots) const;
  Status RunDispatch(const Command& command, Arena& scratch, elf::ErrorText& error) const;
  // The slots (bit per slot) that do not resolve to the range the last successful Execute
  // saw: operands of the other slots keep the ranges it resolved (and checked).
  uint32_t ChangedSlots(SlotRanges& slots) const;
  void RememberSlots(SlotRanges& slots) const;
  Status ExecuteCommands(SlotRanges& slots, uint32_t changed, Arena& scratch,
                         elf::ErrorText& error) const;
  void NoteSlot(const BufferRef& ref);
  Status RecordDispatch(Executable& executable, uint32_t ordinal, const uint32_t workgroups[3],
                        const BufferRef* workgroups_buffer, Span<const uint32_t> constants,
                        Span<const BufferRef> bindings);

  Arena* arena_;
  uint32_t binding_capacity_ = 0;
  bool finalized_ = false;
  Command* first_ = nullptr;
  Command* last_ = nullptr;
  size_t command_count_ = 0;
  // Replay cache: the slot ranges of the last successful Execute (only when every slot used
  // is below kCachedSlots); the resolved operand ranges are kept in the commands.
  static constexpr uint32_t kCachedSlots = 8;
  uint32_t used_slots_ = 0;  // bit per slot operand below kCachedSlots
  bool cacheable_ = true;    // no slot operand at or beyond kCachedSlots
  mutable bool cache_valid_ = false;
  // What each used slot's range was computed from: a range is a function of the buffer's
  // storage and length and the entry's offset and length, so equal inputs mean an equal range.
  struct SlotSource {
    const uint8_t* data = nullptr;
    uint64_t buffer_length = 0;
    uint64_t offset = 0;
    uint64_t length = 0;
  };
  mutable SlotSource cached_slots_[kCachedSlots] = {};
};

}  // namespace bmrt::hal
