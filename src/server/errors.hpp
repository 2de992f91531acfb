// The one place where domain errors become HTTP statuses, and the JSON shape of every
// error the API returns: {"error": {"code": "not_found", "message": "..."}}.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "server/http.hpp"

namespace hark::server {

// InvalidInput 400, Forbidden 403, NotFound 404, Conflict 409, Cancelled 503 (the server is
// shutting down; 499 is only for a client that went away, which never gets a response),
// Unavailable 503, Internal 500.
int http_status(ErrorCode code);

// An error response for a domain error.
Response error_response(const Error& error);
// An error response for conditions that are HTTP's own (401, 405, 413, 415, 429, ...).
// `code` is a short snake_case word a client can switch on.
Response error_response(int status, std::string_view code, std::string_view message);

}  // namespace hark::server
