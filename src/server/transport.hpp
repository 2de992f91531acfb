// HTTP transport: accepts connections, parses requests into server::Request, and writes
// server::Response back (including file ranges streamed from disk). Everything about the
// HTTP library (cpp-httplib) stays behind this pimpl, in transport.cpp.
//
// The transport applies no policy of its own besides a hard cap on request bodies (413)
// and headers added to every response (security headers); routing, auth, ranges and
// errors are the dispatcher's. Responses the library produces itself (a body over the
// cap, a malformed request) get the same JSON error shape as the API's.
//
// Thread-safety: the dispatcher is called on the transport's worker threads, many at once;
// stop() may be called from any thread (a signal watcher) and makes run() return.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "server/http.hpp"

namespace hark::server {

struct TransportOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see bind())
  int threads = 8;  // connections served at once
  std::size_t max_body_bytes = 8 << 20;
  HeaderList default_headers;  // added to every response
};

using Dispatch = std::function<Response(const Request&)>;

class Transport {
 public:
  Transport(TransportOptions options, Dispatch dispatch);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds the listening socket and returns the port (the chosen one when port was 0).
  // Unavailable when the address is in use or cannot be bound.
  Result<int> bind();
  // Serves until stop(); returns once in-flight requests have been answered.
  Status run();
  // Stops accepting connections and makes run() return. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hark::server
