// hark's one HTTP client. Every outbound request (feeds, transcripts, enclosures, AI
// services, export targets) goes through an HttpClient so that timeouts, size caps,
// redirects and the SSRF guard apply everywhere.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace hark::net {
// The User-Agent hark sends unless Policy::user_agent says otherwise.
inline constexpr std::string_view kDefaultUserAgent =
    "hark/0.1 (+https://github.com/hark-podcasts/hark)";

// What the client may do. The CLI (an administrator at the machine) allows private
// networks and local files; the server does not.
struct Policy {
  bool allow_private_networks = false;  // loopback, RFC 1918, link-local, ULA, CGNAT, ...
  bool allow_local_files = false;       // file:// URLs and plain paths
  // host or host:port entries allowed even when private networks are refused (LAN feeds).
  std::vector<std::string> allowed_private_hosts{};
  long connect_timeout_ms = 10'000;
  long timeout_ms = 60'000;                // whole transfer, for fetch()
  long low_speed_timeout_ms = 30'000;      // abort a transfer stalled below 1 byte/s this long
  std::int64_t max_body_bytes = 64 << 20;  // fetch() bodies; downloads have their own cap
  int max_redirects = 5;
  std::string user_agent{};  // empty: kDefaultUserAgent
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";  // GET, HEAD, POST, PUT, PATCH, DELETE
  std::string url{};
  Headers headers{};   // extra request headers, e.g. {"Authorization", "Bearer ..."}
  std::string body{};  // for POST/PUT/PATCH (set Content-Type in headers)
  // Conditional GET validators from the previous successful fetch.
  std::string if_none_match{};
  std::string if_modified_since{};
  std::int64_t max_body_bytes = 0;  // 0: the policy's cap
  long timeout_ms = 0;              // 0: the policy's timeout
};

struct Response {
  int status = 0;
  std::string final_url{};  // after redirects
  Headers headers{};        // of the final response; names lower-cased
  std::string body{};
  bool not_modified() const { return status == 304; }
  // First header with this (lower-case) name, or "".
  std::string header(std::string_view name) const;
};

// Called during transfers with bytes done and total (total <= 0 when unknown), from the
// calling thread. Returning false cancels the transfer with ErrorCode::Cancelled.
using ProgressFn = std::function<bool(std::int64_t done, std::int64_t total)>;

struct DownloadResult {
  int status = 0;  // 200, 206, or 416 (see HttpClient::download)
  std::string final_url{};
  std::string content_type{};
  std::int64_t bytes_written = 0;  // by this call
  bool resumed = false;            // the server honoured the Range request
  // The full size of the resource when the server said (Content-Length of a 200, the
  // "/N" of a 206's or 416's Content-Range); 0 when unknown.
  std::int64_t total_length = 0;
};

// Contract: fetch() returns an Error for transport failures (ErrorCode::Unavailable),
// policy refusals (ErrorCode::Forbidden), bodies over the cap (InvalidInput) and
// cancellation; any HTTP status, including 4xx/5xx, comes back as a Response.
//
// Every request, on every redirect hop:
// - only http and https (file: URLs and plain paths only with Policy::allow_local_files,
//   and never as a redirect target);
// - the SSRF guard checks the URL's host before the request and every address at connect
//   time, so a name that resolves (or re-resolves) to a private address is refused;
// - redirects (301/302/303/307/308) are followed up to Policy::max_redirects; 303, and
//   301/302 after a POST, continue as GET; Authorization and Cookie headers are dropped
//   when the redirect leaves the original host;
// - a 403 to a GET/HEAD sent with hark's own User-Agent is retried once with a
//   browser-like one (some hosts refuse unknown agents);
// - fetch() asks for gzip/deflate/br/zstd and returns the decoded body; the size cap
//   applies to the decoded bytes, so a compression bomb stops at the cap.
// Environment proxy variables are ignored: the guard must see the real destination.
//
// Thread-safe: one client may be used from many threads at once; it keeps a pool of curl
// handles so connections, TLS sessions and DNS answers are reused between calls.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<Response> fetch(const Request& request, const ProgressFn& progress = {}) = 0;
  // Streams the body into `file`, which must hold exactly `resume_from` bytes (it is
  // created if missing and truncated to `resume_from` if longer). When resume_from > 0 a
  // Range request is sent; if the server ignores it (200) the file is truncated and
  // rewritten from byte 0. A 416 (the range starts at or past the end) writes nothing and
  // comes back as a DownloadResult with status 416, so the caller can decide whether its
  // partial file is already complete. Other non-2xx statuses are errors (NotFound for
  // 404/410, Unavailable otherwise). `max_bytes` caps the whole file, resumed bytes
  // included. Progress reports the whole file too. No total timeout applies unless
  // request.timeout_ms is set; a stalled transfer is stopped by the low-speed timeout.
  virtual Result<DownloadResult> download(const Request& request, const std::filesystem::path& file,
                                          std::int64_t resume_from, const ProgressFn& progress,
                                          std::int64_t max_bytes) = 0;
};

std::unique_ptr<HttpClient> make_http_client(Policy policy);

}  // namespace hark::net
