// Error values for failures a user (or the outside world) can cause.
// Exceptions are reserved for programmer errors; everything else is an Error.
#pragma once

#include <string>
#include <string_view>

namespace hark {

enum class ErrorCode {
  InvalidInput,  // the input is wrong: a malformed feed, a bad URL, a bad argument
  NotFound,      // the thing asked for does not exist
  Unavailable,   // a remote or local resource cannot be reached now; retrying may help
  Conflict,      // the request clashes with the current state
  Internal,      // a bug or an unexpected environment failure (disk full, corrupt db)
  Cancelled,     // the caller asked to stop
  Forbidden,     // refused by policy (SSRF guard, permissions)
};

std::string_view to_string(ErrorCode code);

// An error carries a domain code and a message written for the person who has to act on it.
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;

  Error() = default;
  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}

  // Returns a copy whose message is prefixed with `context: `.
  [[nodiscard]] Error with_context(std::string_view context) const;
};

inline Error invalid_input(std::string m) {
  return {ErrorCode::InvalidInput, std::move(m)};
}
inline Error not_found(std::string m) {
  return {ErrorCode::NotFound, std::move(m)};
}
inline Error unavailable(std::string m) {
  return {ErrorCode::Unavailable, std::move(m)};
}
inline Error conflict(std::string m) {
  return {ErrorCode::Conflict, std::move(m)};
}
inline Error internal_error(std::string m) {
  return {ErrorCode::Internal, std::move(m)};
}
inline Error cancelled(std::string m) {
  return {ErrorCode::Cancelled, std::move(m)};
}
inline Error forbidden(std::string m) {
  return {ErrorCode::Forbidden, std::move(m)};
}

}  // namespace hark
