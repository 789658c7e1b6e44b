// Numeric constants of the HAL ABI shared with compiled modules (IREE's buffer.h,
// buffer_view.h and command_buffer.h values).
#pragma once

#include "runtime/base/types.h"

namespace bmrt::hal {

namespace memory_type {
inline constexpr uint32_t kOptimal = 1u << 0;
inline constexpr uint32_t kHostVisible = 1u << 1;
inline constexpr uint32_t kHostCoherent = 1u << 2;
inline constexpr uint32_t kHostCached = 1u << 3;
inline constexpr uint32_t kDeviceVisible = 1u << 4;
inline constexpr uint32_t kDeviceLocal = kDeviceVisible | (1u << 5);
// Everything a unified-memory CPU device offers.
inline constexpr uint32_t kAll = kOptimal | kHostVisible | kHostCoherent | kHostCached |
                                 kDeviceLocal;
}  // namespace memory_type

namespace buffer_usage {
inline constexpr uint32_t kTransferSource = 1u << 0;
inline constexpr uint32_t kTransferTarget = 1u << 1;
inline constexpr uint32_t kDispatchIndirectParameters = 1u << 8;
inline constexpr uint32_t kDispatchUniformRead = 1u << 9;
inline constexpr uint32_t kDispatchStorageRead = 1u << 10;
inline constexpr uint32_t kDispatchStorageWrite = 1u << 11;
inline constexpr uint32_t kMappingScoped = 1u << 24;
inline constexpr uint32_t kMappingPersistent = 1u << 25;
}  // namespace buffer_usage

inline constexpr uint32_t kEncodingDenseRowMajor = 1;
// Element type: (numerical type << 24) | bit count.
inline constexpr uint32_t ElementBits(uint32_t element_type) { return element_type & 0xFF; }
// Byte size of one element, 0 for sub-byte or opaque types.
inline constexpr uint32_t ElementBytes(uint32_t element_type) {
  return (element_type & 0xFF) % 8 == 0 ? (element_type & 0xFF) / 8 : 0;
}

// "Whole buffer" length sentinel used by bindings and ranges.
inline constexpr uint64_t kWholeBuffer = ~uint64_t{0};

}  // namespace bmrt::hal
