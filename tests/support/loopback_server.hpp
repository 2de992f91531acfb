// A real HTTP server on 127.0.0.1 for integration tests: an ephemeral port, its own
// threads, handlers as plain functions, and a record of what clients sent. cpp-httplib is
// confined to loopback_server.cpp so test files compile fast.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hark::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct ServerRequest {
  std::string method{};
  std::string path{};                                        // without the query string
  std::vector<std::pair<std::string, std::string>> query{};  // decoded, in order
  HeaderList headers{};                                      // names lower case
  std::string body{};
  // First header with this (case-insensitive) name, or "".
  std::string header(std::string_view name) const;
  // First query parameter with this name, or "".
  std::string query_value(std::string_view name) const;
};

struct ServerResponse {
  int status = 200;
  HeaderList headers{};  // besides Content-Type and Content-Length
  std::string content_type = "text/plain";
  std::string body{};
  std::chrono::milliseconds delay{0};  // wait this long before answering
  // Streaming: send the body `chunk_bytes` at a time, pausing `chunk_delay` after each.
  std::size_t chunk_bytes = 0;
  std::chrono::milliseconds chunk_delay{0};
  bool chunked_encoding = false;  // no Content-Length; Transfer-Encoding: chunked
};

using Handler = std::function<ServerResponse(const ServerRequest&)>;

// Thread-safe. Destruction stops the server and wakes handlers that are waiting, so a test
// that times out on a slow handler does not wait for it. Destroy HTTP clients first: their
// idle keep-alive connections would hold server threads for up to a second.
class LoopbackServer {
 public:
  LoopbackServer();
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // Serves `path` (exact match, any method); a path ending in '*' serves every path that
  // starts with what comes before it (the longest match wins, exact paths first).
  // Unregistered paths answer 404.
  void on(const std::string& path, Handler handler);

  int port() const;
  std::string host_port() const;                 // "127.0.0.1:PORT"
  std::string url(std::string_view path) const;  // "http://127.0.0.1:PORT/path"
  std::vector<ServerRequest> requests() const;   // every request so far, in order
  std::vector<ServerRequest> requests_to(std::string_view path) const;
  // Body bytes the server handed to the socket, summed over all responses.
  std::int64_t body_bytes_sent() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Serves `data` honouring a "Range: bytes=N-" (206 with Content-Range, 416 when N is past
// the end) unless `honour_range` is false, in which case it always answers 200.
ServerResponse serve_bytes(const ServerRequest& request, const std::string& data,
                           std::string content_type, bool honour_range = true);

// gzip-compresses `data` (for Content-Encoding: gzip responses).
std::string gzip(std::string_view data);

}  // namespace hark::testing
