// Status: one error code plus a static message. OK is code 0 and carries no message.
#pragma once

#include "runtime/base/types.h"

namespace bmrt {

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument,
  kOutOfRange,
  kResourceExhausted,
  kFailedPrecondition,
  kUnimplemented,
  kDataLoss,        // malformed or truncated input bytes
  kNotFound,
  kAborted,         // a module called vm.fail or an import reported failure
  kDeadlineExceeded,
  kInternal,
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  constexpr Status() = default;
  constexpr Status(StatusCode code, const char* message) : code_(code), message_(message) {}

  constexpr bool ok() const { return code_ == StatusCode::kOk; }
  constexpr StatusCode code() const { return code_; }
  // Never null: OK statuses answer "ok".
  constexpr const char* message() const { return message_ ? message_ : (ok() ? "ok" : ""); }

  // Makes an intentionally ignored status explicit.
  constexpr void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  const char* message_ = nullptr;
};

constexpr Status OkStatus() { return Status(); }
constexpr Status InvalidArgument(const char* m) { return {StatusCode::kInvalidArgument, m}; }
constexpr Status OutOfRange(const char* m) { return {StatusCode::kOutOfRange, m}; }
constexpr Status ResourceExhausted(const char* m) { return {StatusCode::kResourceExhausted, m}; }
constexpr Status FailedPrecondition(const char* m) { return {StatusCode::kFailedPrecondition, m}; }
constexpr Status Unimplemented(const char* m) { return {StatusCode::kUnimplemented, m}; }
constexpr Status DataLoss(const char* m) { return {StatusCode::kDataLoss, m}; }
constexpr Status NotFound(const char* m) { return {StatusCode::kNotFound, m}; }
constexpr Status Aborted(const char* m) { return {StatusCode::kAborted, m}; }
constexpr Status DeadlineExceeded(const char* m) { return {StatusCode::kDeadlineExceeded, m}; }
constexpr Status Internal(const char* m) { return {StatusCode::kInternal, m}; }

}  // namespace bmrt

#define BMRT_STATUS_CONCAT_INNER(a, b) a##b
#define BMRT_STATUS_CONCAT(a, b) BMRT_STATUS_CONCAT_INNER(a, b)

#define BMRT_RETURN_IF_ERROR(expr)                      \
  do {                                                  \
    ::bmrt::Status bmrt_status_ = (expr);               \
    if (!bmrt_status_.ok()) return bmrt_status_;        \
  } while (0)

// BMRT_ASSIGN_OR_RETURN(auto value, FunctionReturningResult());
#define BMRT_ASSIGN_OR_RETURN(lhs, expr) \
  BMRT_ASSIGN_OR_RETURN_IMPL(BMRT_STATUS_CONCAT(bmrt_result_, __LINE__), lhs, expr)
#define BMRT_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                               \
  if (!result.ok()) return result.status();           \
  lhs = ::bmrt::Move(result.value())
