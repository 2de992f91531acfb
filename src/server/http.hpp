// The server's own request and response types. Handlers and everything else in server/
// see only these; the HTTP library stays inside transport.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/accounts.hpp"

namespace hark::server {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // upper case: GET, HEAD, POST, PUT, DELETE, ...
  std::string path;    // percent-decoded, without the query string
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  HeaderList headers;                                      // names lower case
  std::string body;
  std::string remote_addr;

  // Filled by the server before a handler runs.
  std::map<std::string, std::string, std::less<>> params;  // {name} segments of the route
  std::optional<app::Principal> principal;                 // who is asking (API routes)

  // First header with this (case-insensitive) name, or "".
  [[nodiscard]] std::string header(std::string_view name) const;
  // First query parameter with this name.
  [[nodiscard]] std::optional<std::string> query_value(std::string_view name) const;
  // A cookie sent in the Cookie header, or "".
  [[nodiscard]] std::string cookie(std::string_view name) const;
  // The id of the signed-in user; only call on routes that require one.
  [[nodiscard]] Id user_id() const { return principal ? principal->user.id : 0; }
};

// A part of a file on disk, streamed instead of held in memory (audio).
struct FileBody {
  std::filesystem::path path;
  std::int64_t offset = 0;
  std::int64_t length = 0;
};

// A body written for as long as the response lasts (server-sent events). The transport
// calls `produce` again and again until it returns false; each call writes what it has
// through `write` (which returns false once the client has gone) and may wait, but only
// briefly (about a second), so that shutdown never waits long on an open stream. When
// the server stops, the transport ends the stream between two calls.
using StreamWrite = std::function<bool(std::string_view)>;
struct StreamBody {
  std::function<bool(const StreamWrite& write)> produce;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  HeaderList headers;                // besides Content-Type and Content-Length
  std::optional<FileBody> file;      // when set, the body is this file range
  std::optional<StreamBody> stream;  // when set, the body is streamed (chunked) from it

  // Replaces a header of the same name (case-insensitive), or adds it.
  void set_header(std::string name, std::string value);
  [[nodiscard]] std::string header(std::string_view name) const;
};

}  // namespace hark::server
