#include "loopback_server.hpp"

#include <httplib.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace hark::testing {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

ServerRequest convert(const httplib::Request& req) {
  ServerRequest out;
  out.method = req.method;
  out.path = req.path;
  out.body = req.body;
  for (const auto& [name, value] : req.params) out.query.emplace_back(name, value);
  for (const auto& [name, value] : req.headers) out.headers.emplace_back(lower(name), value);
  return out;
}

bool has_body(const ServerRequest& request, const ServerResponse& response) {
  return request.method != "HEAD" && response.status != 204 && response.status != 304 &&
         !response.body.empty();
}

}  // namespace

struct LoopbackServer::Impl {
  httplib::Server server;
  std::thread thread;
  int port = 0;

  mutable std::mutex mutex;
  std::condition_variable stopping_cv;
  bool stopping = false;
  std::map<std::string, Handler> handlers;
  std::vector<ServerRequest> seen;
  std::atomic<std::int64_t> body_bytes{0};

  // Sleeps unless the server is being stopped; false once it is.
  bool pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex);
    return !stopping_cv.wait_for(lock, duration, [this] { return stopping; });
  }

  Handler find(const std::string& path) {
    std::lock_guard lock(mutex);
    const auto it = handlers.find(path);
    if (it != handlers.end()) return it->second;
    // "/prefix/*" serves every path under /prefix/ (the longest such prefix wins).
    const Handler* best = nullptr;
    std::size_t best_len = 0;
    for (const auto& [pattern, handler] : handlers) {
      if (!pattern.ends_with('*')) continue;
      const std::string_view prefix(pattern.data(), pattern.size() - 1);
      if (path.starts_with(prefix) && prefix.size() >= best_len) {
        best = &handler;
        best_len = prefix.size();
      }
    }
    return best != nullptr ? *best : Handler{};
  }

  void dispatch(const httplib::Request& req, httplib::Response& res) {
    ServerRequest request = convert(req);
    {
      std::lock_guard lock(mutex);
      seen.push_back(request);
    }
    const Handler handler = find(request.path);
    ServerResponse response;
    if (handler) {
      response = handler(request);
    } else {
      response.status = 404;
      response.body = "not found";
    }
    if (response.delay.count() > 0 && !pause(response.delay)) return;
    res.status = response.status;
    for (const auto& [name, value] : response.headers) res.set_header(name, value);
    if (has_body(request, response)) provide_body(res, std::move(response));
  }

  // Always through a content provider, so that body_bytes counts what reached the socket.
  void provide_body(httplib::Response& res, ServerResponse response) {
    auto shared = std::make_shared<ServerResponse>(std::move(response));
    const std::string type = shared->content_type;
    if (shared->chunked_encoding) {
      res.set_chunked_content_provider(type, [this, shared](size_t offset,
                                                            httplib::DataSink& sink) {
        if (!send_chunk(*shared, offset, shared->body.size() - offset, sink)) return false;
        if (offset + std::min(step(*shared), shared->body.size() - offset) >= shared->body.size())
          sink.done();
        return true;
      });
      return;
    }
    res.set_content_provider(shared->body.size(), type,
                             [this, shared](size_t offset, size_t length, httplib::DataSink& sink) {
                               return send_chunk(*shared, offset, length, sink);
                             });
  }

  static std::size_t step(const ServerResponse& response) {
    return response.chunk_bytes > 0 ? response.chunk_bytes : response.body.size();
  }

  bool send_chunk(const ServerResponse& response, size_t offset, size_t length,
                  httplib::DataSink& sink) {
    const auto n = std::min(length, step(response));
    // Counted before the write so a client that has the bytes always sees them counted.
    body_bytes += static_cast<std::int64_t>(n);
    if (!sink.write(response.body.data() + offset, n)) {
      body_bytes -= static_cast<std::int64_t>(n);
      return false;
    }
    if (response.chunk_delay.count() > 0 && !pause(response.chunk_delay)) return false;
    return true;
  }
};

std::string ServerRequest::header(std::string_view name) const {
  const std::string key = lower(name);
  for (const auto& [k, v] : headers) {
    if (k == key) return v;
  }
  return {};
}

std::string ServerRequest::query_value(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return {};
}

LoopbackServer::LoopbackServer() : impl_(std::make_unique<Impl>()) {
  auto& server = impl_->server;
  // Enough workers for concurrency tests whose clients keep connections alive.
  server.new_task_queue = [] { return new httplib::ThreadPool(24); };
  server.set_keep_alive_timeout(1);
  // Headers and body go out in separate writes; without this, Nagle + delayed ACK add 40 ms.
  server.set_tcp_nodelay(true);
  // Handlers decide about Range themselves (serve_bytes, or a server that ignores it);
  // httplib would otherwise slice their bodies a second time. The request object is not
  // const itself, only the reference handed to this hook.
  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    const_cast<httplib::Request&>(req).ranges.clear();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  const auto dispatch = [impl = impl_.get()](const httplib::Request& req, httplib::Response& res) {
    impl->dispatch(req, res);
  };
  server.Get(".*", dispatch);
  server.Post(".*", dispatch);
  server.Put(".*", dispatch);
  server.Patch(".*", dispatch);
  server.Delete(".*", dispatch);
  server.Options(".*", dispatch);
  impl_->port = server.bind_to_any_port("127.0.0.1");
  if (impl_->port <= 0) throw std::runtime_error("could not bind a loopback port");
  impl_->thread = std::thread([&server] { server.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so a server destroyed right away would
  // otherwise never stop.
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

LoopbackServer::~LoopbackServer() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->stopping_cv.notify_all();
  impl_->server.stop();
  impl_->thread.join();
}

void LoopbackServer::on(const std::string& path, Handler handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->handlers[path] = std::move(handler);
}

int LoopbackServer::port() const {
  return impl_->port;
}

std::string LoopbackServer::host_port() const {
  return "127.0.0.1:" + std::to_string(port());
}

std::string LoopbackServer::url(std::string_view path) const {
  return "http://" + host_port() + std::string(path);
}

std::vector<ServerRequest> LoopbackServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

std::vector<ServerRequest> LoopbackServer::requests_to(std::string_view path) const {
  std::vector<ServerRequest> out;
  for (auto& request : requests()) {
    if (request.path == path) out.push_back(std::move(request));
  }
  return out;
}

std::int64_t LoopbackServer::body_bytes_sent() const {
  return impl_->body_bytes.load();
}

ServerResponse serve_bytes(const ServerRequest& request, const std::string& data,
                           std::string content_type, bool honour_range) {
  ServerResponse response;
  response.content_type = std::move(content_type);
  const std::string range = request.header("range");
  std::size_t first = 0;
  if (honour_range && range.starts_with("bytes=") && range.ends_with("-")) {
    first = std::stoull(range.substr(6, range.size() - 7));
    if (first >= data.size()) {
      response.status = 416;
      response.headers.emplace_back("Content-Range", "bytes */" + std::to_string(data.size()));
      return response;
    }
    response.status = 206;
    response.headers.emplace_back("Content-Range", "bytes " + std::to_string(first) + "-" +
                                                       std::to_string(data.size() - 1) + "/" +
                                                       std::to_string(data.size()));
  }
  if (honour_range) response.headers.emplace_back("Accept-Ranges", "bytes");
  response.body = data.substr(first);
  return response;
}

std::string gzip(std::string_view data) {
  z_stream stream{};
  // 15 + 16: the largest window, with a gzip header and trailer.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(stream.total_out);
  return out;
}

}  // namespace hark::testing
