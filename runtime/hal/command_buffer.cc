#include "runtime/hal/command_buffer.h"

#include <string.h>

#include "runtime/base/utility.h"

namespace bmrt::hal {

// A recorded operand. A buffer's storage never moves, so a direct buffer's range is resolved
// (and checked) once when recorded; a slot operand keeps its offset and length in native width
// (saturated: a value past SIZE_MAX never fits a binding, and fails the same check at execute).
struct CommandBuffer::StoredRef {
  vm::Ref buffer;  // retained; null for a binding-table slot
  // A direct buffer's range, resolved when recorded; for a slot operand the range the last
  // execute resolved (the replay cache, see CommandBuffer::Execute).
  mutable MutableByteSpan range;
  uint32_t slot = 0;
  bool whole = true;  // slot operand to the end of the binding
  size_t offset = 0;
  size_t length = 0;
};

enum class CommandKind : uint8_t { kFill, kUpdate, kCopy, kDispatch };

// One recorded command; the variable parts (constants, bindings, update payload) follow it in
// the same allocation.
struct CommandBuffer::Command {
  Command* next = nullptr;
  CommandKind kind = CommandKind::kFill;
  StoredRef target;  // fill / update / copy target
  StoredRef source;  // copy source; indirect dispatch workgroup counts
  uint64_t pattern = 0;
  uint32_t pattern_length = 0;
  vm::Ref executable;
  uint32_t ordinal = 0;
  uint32_t workgroups[3] = {};
  bool indirect = false;
  uint32_t* constants = nullptr;
  size_t constant_count = 0;
  StoredRef* bindings = nullptr;
  size_t binding_count = 0;
  uint32_t slot_mask = 0;         // slots (below kCachedSlots) of the dispatch's operands
  void** binding_ptrs = nullptr;  // dispatch: the resolved bindings (replay cache)
  size_t* binding_lengths = nullptr;
  uint8_t* payload = nullptr;
  size_t payload_size = 0;
};

Result<CommandBuffer*> CommandBuffer::Create(Arena& arena, uint32_t mode, uint32_t categories,
                                             uint32_t binding_capacity) {
  if (binding_capacity > 4096) return InvalidArgument("hal.command_buffer: binding capacity");
  void* memory = arena.Allocate(sizeof(CommandBuffer), alignof(CommandBuffer));
  if (memory == nullptr) return ResourceExhausted("hal.command_buffer: out of memory");
  CommandBuffer* command_buffer = new (memory) CommandBuffer(arena);
  command_buffer->binding_capacity_ = binding_capacity;
  return command_buffer;
}

CommandBuffer::~CommandBuffer() {
  Command* command = first_;
  while (command != nullptr) {
    Command* next = command->next;
    for (size_t i = 0; i < command->binding_count; ++i) command->bindings[i].~StoredRef();
    command->~Command();
    arena_->Free(command);
    command = next;
  }
}

void CommandBuffer::Destroy(vm::RefObject* object) {
  CommandBuffer* command_buffer = static_cast<CommandBuffer*>(object);
  Arena* arena = command_buffer->arena_;
  command_buffer->~CommandBuffer();
  arena->Free(command_buffer);
}

Result<CommandBuffer::Command*> CommandBuffer::Append(size_t constant_count,
                                                      size_t binding_count,
                                                      size_t payload_size) {
  if (finalized_) return FailedPrecondition("hal.command_buffer: already finalized");
  size_t constants_at = AlignUp(sizeof(Command), alignof(StoredRef));
  size_t bindings_at = constants_at + AlignUp(constant_count * sizeof(uint32_t), alignof(StoredRef));
  size_t pointers_at = bindings_at + binding_count * sizeof(StoredRef);
  size_t lengths_at = pointers_at + binding_count * sizeof(void*);
  size_t payload_at = lengths_at + binding_count * sizeof(size_t);
  size_t total = 0;
  if (!CheckedAdd(payload_at, payload_size, &total)) {
    return ResourceExhausted("hal.command_buffer: command too large");
  }
  uint8_t* memory = static_cast<uint8_t*>(arena_->Allocate(total, alignof(Command)));
  if (memory == nullptr) return ResourceExhausted("hal.command_buffer: out of memory");
  Command* command = new (memory) Command();
  command->constants = reinterpret_cast<uint32_t*>(memory + constants_at);
  command->constant_count = constant_count;
  command->bindings = reinterpret_cast<StoredRef*>(memory + bindings_at);
  for (size_t i = 0; i < binding_count; ++i) new (&command->bindings[i]) StoredRef();
  command->binding_count = binding_count;
  command->binding_ptrs = reinterpret_cast<void**>(memory + pointers_at);
  command->binding_lengths = reinterpret_cast<size_t*>(memory + lengths_at);
  command->payload = memory + payload_at;
  command->payload_size = payload_size;
  if (last_ != nullptr) {
    last_->next = command;
  } else {
    first_ = command;
  }
  last_ = command;
  ++command_count_;
  return command;
}

Status CommandBuffer::Check(const BufferRef& ref) const {
  if (ref.buffer == nullptr && ref.slot >= binding_capacity_) {
    return OutOfRange("hal.command_buffer: binding slot beyond the binding capacity");
  }
  if (ref.buffer != nullptr) {
    Result<MutableByteSpan> range = ref.buffer->Range(ref.offset, ref.length);
    if (!range.ok()) return range.status();
  }
  return OkStatus();
}

void CommandBuffer::NoteSlot(const BufferRef& ref) {
  if (ref.buffer != nullptr) return;
  if (ref.slot < kCachedSlots) {
    used_slots_ |= uint32_t(1) << ref.slot;
  } else {
    cacheable_ = false;
  }
}

void CommandBuffer::Store(const BufferRef& ref, StoredRef& stored) {
  NoteSlot(ref);
  constexpr uint64_t kMaxSize = ~size_t(0);
  stored.buffer = vm::Ref::Retain(ref.buffer);
  if (ref.buffer != nullptr) {
    stored.range = ref.buffer->Range(ref.offset, ref.length).value();  // checked by Check()
  }
  stored.slot = ref.slot;
  stored.whole = ref.length == kWholeBuffer;
  stored.offset = size_t(Min(ref.offset, kMaxSize));
  stored.length = size_t(Min(ref.length, kMaxSize));
}

Status CommandBuffer::Fill(const BufferRef& target, uint64_t pattern, uint32_t pattern_length) {
  if (pattern_length != 1 && pattern_length != 2 && pattern_length != 4 && pattern_length != 8) {
    return InvalidArgument("hal.command_buffer: fill pattern must be 1, 2, 4 or 8 bytes");
  }
  BMRT_RETURN_IF_ERROR(Check(target));
  BMRT_ASSIGN_OR_RETURN(Command * command, Append(0, 0, 0));
  command->kind = CommandKind::kFill;
  command->pattern = pattern;
  command->pattern_length = pattern_length;
  Store(target, command->target);
  return OkStatus();
}

Status CommandBuffer::Update(ByteSpan source, const BufferRef& target) {
  BMRT_RETURN_IF_ERROR(Check(target));
  BMRT_ASSIGN_OR_RETURN(Command * command, Append(0, 0, source.size()));
  command->kind = CommandKind::kUpdate;
  if (!source.empty()) memcpy(command->payload, source.data(), source.size());
  Store(target, command->target);
  return OkStatus();
}

Status CommandBuffer::Copy(const BufferRef& source, const BufferRef& target) {
  BMRT_RETURN_IF_ERROR(Check(source));
  BMRT_RETURN_IF_ERROR(Check(target));
  BMRT_ASSIGN_OR_RETURN(Command * command, Append(0, 0, 0));
  command->kind = CommandKind::kCopy;
  Store(source, command->source);
  Store(target, command->target);
  return OkStatus();
}

Status CommandBuffer::Dispatch(Executable& executable, uint32_t ordinal,
                               const uint32_t workgroups[3], Span<const uint32_t> constants,
                               Span<const BufferRef> bindings) {
  return RecordDispatch(executable, ordinal, workgroups, nullptr, constants, bindings);
}

Status CommandBuffer::DispatchIndirect(Executable& executable, uint32_t ordinal,
                                       const BufferRef& workgroups_buffer,
                                       Span<const uint32_t> constants,
                                       Span<const BufferRef> bindings) {
  const uint32_t unused[3] = {0, 0, 0};
  return RecordDispatch(executable, ordinal, unused, &workgroups_buffer, constants, bindings);
}

Status CommandBuffer::RecordDispatch(Executable& executable, uint32_t ordinal,
                                     const uint32_t workgroups[3],
                                     const BufferRef* workgroups_buffer,
                                     Span<const uint32_t> constants,
                                     Span<const BufferRef> bindings) {
  if (ordinal >= executable.export_count()) {
    return OutOfRange("hal.command_buffer: dispatch function id out of range");
  }
  if (constants.size() > abi::kMaxConstants || bindings.size() > kMaxBindings) {
    return InvalidArgument("hal.command_buffer: too many dispatch constants or bindings");
  }
  BufferRef counts;
  if (workgroups_buffer != nullptr) {
    counts = *workgroups_buffer;
    counts.length = 3 * sizeof(uint32_t);
    BMRT_RETURN_IF_ERROR(Check(counts));
  }
  for (const BufferRef& binding : bindings) BMRT_RETURN_IF_ERROR(Check(binding));
  BMRT_ASSIGN_OR_RETURN(Command * command, Append(constants.size(), bindings.size(), 0));
  command->kind = CommandKind::kDispatch;
  command->executable = vm::Ref::Retain(&executable);
  command->ordinal = ordinal;
  for (int i = 0; i < 3; ++i) command->workgroups[i] = workgroups[i];
  for (size_t i = 0; i < constants.size(); ++i) command->constants[i] = constants[i];
  if (workgroups_buffer != nullptr) {
    command->indirect = true;
    Store(counts, command->source);
  }
  for (size_t i = 0; i < bindings.size(); ++i) Store(bindings[i], command->bindings[i]);
  for (size_t i = 0; i < bindings.size(); ++i) {  // slot operands are resolved at execute
    command->binding_ptrs[i] = command->bindings[i].range.data();
    command->binding_lengths[i] = command->bindings[i].range.size();
  }
  for (size_t i = 0; i <= bindings.size(); ++i) {
    const StoredRef& stored = i < bindings.size() ? command->bindings[i] : command->source;
    if (!stored.buffer && (i < bindings.size() || command->indirect)) {
      command->slot_mask |= stored.slot < kCachedSlots ? uint32_t(1) << stored.slot : ~uint32_t(0);
    }
  }
  return OkStatus();
}

Status CommandBuffer::Barrier() {
  return finalized_ ? FailedPrecondition("hal.command_buffer: already finalized") : OkStatus();
}

Status CommandBuffer::Finalize() {
  if (finalized_) return FailedPrecondition("hal.command_buffer: finalized twice");
  finalized_ = true;
  return OkStatus();
}

// The byte range of each binding-table slot, computed on a slot's first use during one Execute
// (a table slot is typically bound by several commands); unused slots are never checked.
class CommandBuffer::SlotRanges {
 public:
  explicit SlotRanges(Span<const BindingTableEntry> table) : table_(table) {}

  // The table entry for `slot`, or null when the table has none (no buffer).
  const BindingTableEntry* entry(uint32_t slot) const {
    return slot < table_.size() && table_[slot].buffer != nullptr ? &table_[slot] : nullptr;
  }

  Status Get(uint32_t slot, MutableByteSpan* out) {
    static_assert(kMaxBindings <= 64, "one bit per slot");
    if (slot < kMaxBindings && (resolved_ >> slot) & 1) {
      *out = MutableByteSpan(data_[slot], sizes_[slot]);
      return OkStatus();
    }
    if (slot >= table_.size() || table_[slot].buffer == nullptr) {
      return InvalidArgument("hal.command_buffer: binding table slot missing at execute");
    }
    const BindingTableEntry& entry = table_[slot];
    BMRT_ASSIGN_OR_RETURN(*out, entry.buffer->Range(entry.offset, entry.length));
    if (slot < kMaxBindings) {
      data_[slot] = out->data();
      sizes_[slot] = out->size();
      resolved_ |= uint64_t(1) << slot;
    }
    return OkStatus();
  }

 private:
  Span<const BindingTableEntry> table_;
  uint64_t resolved_ = 0;
  // Plain arrays: only slots whose bit is set in resolved_ are ever read, so nothing is zeroed.
  uint8_t* data_[kMaxBindings];
  size_t sizes_[kMaxBindings];
};

Status CommandBuffer::Resolve(const StoredRef& ref, SlotRanges& slots,
                              MutableByteSpan* out) const {
  if (ref.buffer) {
    *out = ref.range;
    return OkStatus();
  }
  MutableByteSpan base;
  BMRT_RETURN_IF_ERROR(slots.Get(ref.slot, &base));
  if (ref.offset > base.size()) return OutOfRange("hal.command_buffer: offset past binding end");
  size_t rest = base.size() - ref.offset;
  size_t length = ref.whole ? rest : ref.length;
  if (length > rest) {
    return OutOfRange("hal.command_buffer: range runs past the end of its binding");
  }
  *out = MutableByteSpan(base.data() + ref.offset, length);
  ref.range = *out;
  return OkStatus();
}

uint32_t CommandBuffer::ChangedSlots(SlotRanges& slots) const {
  if (!cacheable_) return ~uint32_t(0);
  if (!cache_valid_) return used_slots_;
  uint32_t changed = 0;
  for (uint32_t slot = 0; slot < kCachedSlots; ++slot) {
    if (((used_slots_ >> slot) & 1) == 0) continue;
    const BindingTableEntry* entry = slots.entry(slot);
    const SlotSource& cached = cached_slots_[slot];
    if (entry == nullptr || entry->buffer->data() != cached.data ||
        entry->buffer->length() != cached.buffer_length || entry->offset != cached.offset ||
        entry->length != cached.length) {
      changed |= uint32_t(1) << slot;
    }
  }
  return changed;
}

void CommandBuffer::RememberSlots(SlotRanges& slots) const {
  for (uint32_t slot = 0; slot < kCachedSlots; ++slot) {
    if (((used_slots_ >> slot) & 1) == 0) continue;
    const BindingTableEntry* entry = slots.entry(slot);
    if (entry == nullptr) return;  // cannot happen: every command resolved it
    cached_slots_[slot] = {entry->buffer->data(), entry->buffer->length(), entry->offset,
                           entry->length};
  }
  cache_valid_ = true;
}

namespace {

Status FillBytes(MutableByteSpan target, uint64_t pattern, uint32_t pattern_length) {
  if (target.size() % pattern_length != 0 ||
      reinterpret_cast<uintptr_t>(target.data()) % pattern_length != 0) {
    return InvalidArgument("hal: fill range not aligned to the pattern length");
  }
  if (pattern_length == 1) {
    memset(target.data(), int(pattern & 0xFF), target.size());
    return OkStatus();
  }
  for (size_t i = 0; i < target.size(); i += pattern_length) {
    memcpy(target.data() + i, &pattern, pattern_length);  // little-endian: low bytes first
  }
  return OkStatus();
}

}  // namespace

Status FillBuffer(MutableByteSpan target, uint64_t pattern, uint32_t pattern_length) {
  return FillBytes(target, pattern, pattern_length);
}

Status CommandBuffer::ResolveDispatch(const Command& command, SlotRanges& slots) const {
  for (size_t i = 0; i < command.binding_count; ++i) {
    MutableByteSpan range;
    BMRT_RETURN_IF_ERROR(Resolve(command.bindings[i], slots, &range));
    command.binding_ptrs[i] = range.data();
    command.binding_lengths[i] = range.size();
  }
  if (command.indirect) {
    MutableByteSpan counts;
    BMRT_RETURN_IF_ERROR(Resolve(command.source, slots, &counts));
  }
  return OkStatus();
}

Status CommandBuffer::RunDispatch(const Command& command, Arena& scratch,
                                  elf::ErrorText& error) const {
  DispatchParams params;
  for (int i = 0; i < 3; ++i) params.workgroup_count[i] = command.workgroups[i];
  if (command.indirect) {
    const uint8_t* counts = command.source.range.data();
    for (int i = 0; i < 3; ++i) params.workgroup_count[i] = LoadLe32(counts + 4 * i);
  }
  params.constants = Span<const uint32_t>(command.constants, command.constant_count);
  params.binding_ptrs = Span<void* const>(command.binding_ptrs, command.binding_count);
  params.binding_lengths = Span<const size_t>(command.binding_lengths, command.binding_count);
  auto* executable = static_cast<Executable*>(command.executable.get());
  return executable->Dispatch(command.ordinal, params, scratch, error);
}

// Replays the commands. The operand ranges resolved (and checked) by the last successful
// Execute are kept in the commands; an operand whose binding-table slot resolves to the same
// range again (a compiled model executes its command buffer with the same transient
// allocation every time) is used as it is instead of being resolved again.
Status CommandBuffer::Execute(Span<const BindingTableEntry> binding_table, Arena& scratch,
                              elf::ErrorText& error) const {
  if (!finalized_) return FailedPrecondition("hal.command_buffer: executed before finalize");
  SlotRanges slots(binding_table);
  uint32_t changed = ChangedSlots(slots);
  cache_valid_ = false;  // until every command ran: a failure may leave operands half-resolved
  BMRT_RETURN_IF_ERROR(ExecuteCommands(slots, changed, scratch, error));
  if (cacheable_ && changed != 0) {
    RememberSlots(slots);
  } else {
    cache_valid_ = cacheable_;
  }
  return OkStatus();
}

Status CommandBuffer::ExecuteCommands(SlotRanges& slots, uint32_t changed, Arena& scratch,
                                      elf::ErrorText& error) const {
  auto resolve = [&](const StoredRef& ref, MutableByteSpan* out) -> Status {
    if (ref.buffer || (ref.slot < kCachedSlots && ((changed >> ref.slot) & 1) == 0)) {
      *out = ref.range;
      return OkStatus();
    }
    return Resolve(ref, slots, out);
  };
  for (const Command* command = first_; command != nullptr; command = command->next) {
    MutableByteSpan target;
    switch (command->kind) {
      case CommandKind::kFill:
        BMRT_RETURN_IF_ERROR(resolve(command->target, &target));
        BMRT_RETURN_IF_ERROR(FillBytes(target, command->pattern, command->pattern_length));
        break;
      case CommandKind::kUpdate:
        BMRT_RETURN_IF_ERROR(resolve(command->target, &target));
        if (target.size() != command->payload_size) {
          return OutOfRange("hal.command_buffer: update length mismatch");
        }
        if (!target.empty()) memcpy(target.data(), command->payload, target.size());
        break;
      case CommandKind::kCopy: {
        MutableByteSpan source;
        BMRT_RETURN_IF_ERROR(resolve(command->source, &source));
        BMRT_RETURN_IF_ERROR(resolve(command->target, &target));
        if (source.size() != target.size()) {
          return OutOfRange("hal.command_buffer: copy length mismatch");
        }
        if (!target.empty()) memmove(target.data(), source.data(), target.size());
        break;
      }
      case CommandKind::kDispatch:
        if (command->slot_mask & changed) BMRT_RETURN_IF_ERROR(ResolveDispatch(*command, slots));
        BMRT_RETURN_IF_ERROR(RunDispatch(*command, scratch, error));
        break;
    }
  }
  return OkStatus();
}

}  // namespace bmrt::hal
