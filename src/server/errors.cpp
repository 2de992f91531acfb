#include "server/errors.hpp"

#include <nlohmann/json.hpp>

namespace hark::server {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput:
      return 400;
    case ErrorCode::Forbidden:
      return 403;
    case ErrorCode::NotFound:
      return 404;
    case ErrorCode::Conflict:
      return 409;
    case ErrorCode::Cancelled:
      return 503;
    case ErrorCode::Unavailable:
      return 503;
    case ErrorCode::Internal:
      return 500;
  }
  return 500;
}

Response error_response(const Error& error) {
  return error_response(http_status(error.code), to_string(error.code), error.message);
}

Response error_response(int status, std::string_view code, std::string_view message) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace hark::server
