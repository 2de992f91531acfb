#include "core/error.hpp"

namespace hark {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput:
      return "invalid_input";
    case ErrorCode::NotFound:
      return "not_found";
    case ErrorCode::Unavailable:
      return "unavailable";
    case ErrorCode::Conflict:
      return "conflict";
    case ErrorCode::Internal:
      return "internal";
    case ErrorCode::Cancelled:
      return "cancelled";
    case ErrorCode::Forbidden:
      return "forbidden";
  }
  return "internal";
}

Error Error::with_context(std::string_view context) const {
  Error e = *this;
  e.message = std::string(context) + ": " + message;
  return e;
}

}  // namespace hark
