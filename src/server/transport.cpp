#include "server/transport.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "core/text.hpp"
#include "server/errors.hpp"

namespace hark::server {
namespace {

Request to_request(const httplib::Request& in) {
  Request r;
  r.method = in.method;
  r.path = in.path;  // cpp-httplib has already percent-decoded it
  for (const auto& [k, v] : in.params) r.query.emplace_back(k, v);
  for (const auto& [k, v] : in.headers) r.headers.emplace_back(text::to_lower_ascii(k), v);
  r.body = in.body;
  r.remote_addr = in.remote_addr;
  return r;
}

constexpr std::size_t kChunk = 64 * 1024;

// cpp-httplib listens with a backlog of 5, and Debian's is a compiled library, so its
// CPPHTTPLIB_LISTEN_BACKLOG cannot be changed from here. A burst of new connections (a page
// load opens several; wrk opens 200 at once, and reconnects when a keep-alive connection
// reaches its request cap) overflows 5: the kernel drops the handshake's last step and the
// client, which believes it is connected, waits 1, 3, 7 s for retransmits (the load test's
// "timeouts"). bind() calls listen() again with this backlog, which Linux allows on a
// listening socket. The kernel caps it at net.core.somaxconn.
constexpr int kListenBacklog = 1024;

void write_file_body(const FileBody& file, const std::string& content_type,
                     httplib::Response& out) {
  auto stream = std::make_shared<std::ifstream>(file.path, std::ios::binary);
  const auto base = file.offset;
  out.set_content_provider(
      static_cast<std::size_t>(file.length), content_type,
      [stream, base](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        if (!*stream) return false;  // the file vanished or is unreadable: drop the connection
        stream->seekg(static_cast<std::streamoff>(base) + static_cast<std::streamoff>(offset));
        char buf[kChunk];
        stream->read(buf, static_cast<std::streamsize>(std::min(length, kChunk)));
        const auto n = stream->gcount();
        if (n <= 0) return false;
        return sink.write(buf, static_cast<std::size_t>(n));
      });
}

void write_stream_body(const StreamBody& stream, const std::string& content_type,
                       const std::atomic<bool>& stopping, httplib::Response& out) {
  out.set_chunked_content_provider(content_type, [produce = stream.produce, &stopping](
                                                     std::size_t, httplib::DataSink& sink) {
    if (stopping) {
      sink.done();
      return true;
    }
    const bool more =
        produce([&sink](std::string_view data) { return sink.write(data.data(), data.size()); });
    if (!more) sink.done();
    return true;
  });
}

void from_response(const Response& in, httplib::Response& out, const std::atomic<bool>& stopping) {
  out.status = in.status;
  for (const auto& [k, v] : in.headers) out.set_header(k, v);
  if (in.stream) {
    write_stream_body(*in.stream, in.content_type, stopping, out);
  } else if (in.file) {
    write_file_body(*in.file, in.content_type, out);
  } else {
    out.set_content(in.body, in.content_type);
  }
}

const char* status_word(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 416:
      return "range_not_satisfiable";
    default:
      return status >= 500 ? "internal" : "bad_request";
  }
}

}  // namespace

struct Transport::Impl {
  TransportOptions options;
  Dispatch dispatch;
  httplib::Server http;
  bool bound = false;
  std::atomic<bool> stopping{false};
  std::atomic<bool> running{false};         // run() is between its start and its return
  socket_t listen_socket = INVALID_SOCKET;  // set while the library binds

  void handle(const httplib::Request& req, httplib::Response& res) {
    // Ranges are the dispatcher's business (it answers 206 with Content-Range itself). The
    // library would otherwise slice every response a second time, so its parsed ranges are
    // cleared. The object is the library's own non-const local, so this is well-defined.
    const_cast<httplib::Request&>(req).ranges.clear();
    from_response(dispatch(to_request(req)), res, stopping);
  }
};

Transport::Transport(TransportOptions options, Dispatch dispatch)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->dispatch = std::move(dispatch);
  auto& http = impl_->http;
  const int threads = std::max(1, impl_->options.threads);
  http.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(threads));
  };
  http.set_payload_max_length(impl_->options.max_body_bytes);
  http.set_keep_alive_timeout(5);
  // The default closes a keep-alive connection after 5 requests, so a busy client reconnects
  // all the time; idle connections still close after the timeout above.
  http.set_keep_alive_max_count(1000);
  // Headers and body go out in separate writes; with Nagle's algorithm on, the body waits for
  // the client's delayed ACK of the headers: ~40 ms added to every keep-alive response.
  http.set_tcp_nodelay(true);
  // The library's default also sets SO_REUSEPORT, with which a second server binds the same
  // port and silently takes half its connections; SO_REUSEADDR only allows a restart while
  // the old server's connections linger in TIME_WAIT, and a port in use is an error.
  http.set_socket_options([impl = impl_.get()](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    impl->listen_socket = sock;
  });
  httplib::Headers defaults;
  for (const auto& [k, v] : impl_->options.default_headers) defaults.emplace(k, v);
  http.set_default_headers(defaults);

  auto handler = [impl = impl_.get()](const httplib::Request& req, httplib::Response& res) {
    impl->handle(req, res);
  };
  http.Get(".*", handler);  // HEAD is served by the GET handler, without the body
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  http.Options(".*", handler);

  // Errors the library answers itself (body over the cap, bad request line, unknown
  // method) come without a body: give them the API's JSON error shape.
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty() || res.content_length_ > 0)
          return httplib::Server::HandlerResponse::Unhandled;
        const std::string message = res.status == 413   ? "the request body is too large"
                                    : res.status == 416 ? "the Range header cannot be satisfied"
                                                        : "the request could not be understood";
        const auto e = error_response(res.status, status_word(res.status), message);
        res.set_content(e.body, e.content_type);
        return httplib::Server::HandlerResponse::Handled;
      }));
  // The dispatcher never throws (it turns exceptions into 500s); this is the last resort.
  http.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        std::cerr << "hark serve: unexpected error while answering " << req.method << " "
                  << req.path << "\n";
        const auto e = error_response(500, "internal", "the server failed to answer; see its log");
        res.status = 500;
        res.set_content(e.body, e.content_type);
      });
}

Transport::~Transport() {
  stop();
}

Result<int> Transport::bind() {
  auto& o = impl_->options;
  int port = o.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(o.host);
    if (port <= 0) return unavailable("cannot listen on " + o.host + " (any port)");
  } else if (!impl_->http.bind_to_port(o.host, port)) {
    return unavailable(
        "cannot listen on " + o.host + ":" + std::to_string(port) +
        " (in use, or not an address of this machine); choose another with --listen");
  }
  if (impl_->listen_socket == INVALID_SOCKET || ::listen(impl_->listen_socket, kListenBacklog) != 0)
    return unavailable("cannot listen on " + o.host + ":" + std::to_string(port) +
                       " with a backlog of " + std::to_string(kListenBacklog));
  impl_->bound = true;
  return port;
}

Status Transport::run() {
  if (!impl_->bound) {
    auto bound = bind();
    if (!bound) return bound.error();
  }
  impl_->running = true;
  struct NotRunning {
    std::atomic<bool>& flag;
    ~NotRunning() { flag = false; }
  } not_running{impl_->running};
  if (impl_->stopping) return ok();  // stopped before it started
  if (!impl_->http.listen_after_bind() && !impl_->stopping)
    return unavailable("the HTTP server stopped unexpectedly");
  return ok();
}

void Transport::stop() {
  impl_->stopping = true;
  // cpp-httplib's stop() does nothing until its accept loop has started, so a stop that
  // arrives between run()'s start and that moment (a SIGTERM right after the port is
  // printed) would be lost and the server would never exit. Wait for the loop, briefly.
  for (int i = 0; i < 2000 && impl_->running && !impl_->http.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->http.stop();
}

}  // namespace hark::server
