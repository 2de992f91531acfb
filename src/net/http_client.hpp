// hark's one HTTP client. Every outbound request (feeds, transcripts, enclosures, AI
// services, export targets) goes through an HttpClient so that timeouts, size caps,
// redirects and the SSRF guard apply everywhere.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace hark::net {

// What the client may do. The CLI (an administrator at the machine) allows private
// networks and local files; the server does not.
struct Policy {
  bool allow_private_networks = false;  // loopback, RFC 1918, link-local, ULA, CGNAT, ...
  bool allow_local_files = false;       // file:// URLs and plain paths
  // host or host:port entries allowed even when private networks are refused (LAN feeds).
  std::vector<std::string> allowed_private_hosts;
  long connect_timeout_ms = 10'000;
  long timeout_ms = 60'000;         // whole transfer, for fetch()
  long low_speed_timeout_ms = 30'000;  // abort a transfer stalled below 1 byte/s this long
  std::int64_t max_body_bytes = 64 << 20;  // fetch() bodies; downloads have their own cap
  int max_redirects = 5;
  std::string user_agent;  // empty: "hark/<version> (+https://github.com/hark-podcasts/hark)"
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;  // for POST/PUT/PATCH
  // Conditional GET validators from the previous successful fetch.
  std::string if_none_match;
  std::string if_modified_since;
  std::int64_t max_body_bytes = 0;  // 0: the policy's cap
  long timeout_ms = 0;              // 0: the policy's timeout
};

struct Response {
  int status = 0;
  std::string final_url;  // after redirects
  Headers headers;        // of the final response; names lower-cased
  std::string body;
  bool not_modified() const { return status == 304; }
  // First header with this (lower-case) name, or "".
  std::string header(std::string_view name) const;
};

// Called during transfers with bytes done and total (total <= 0 when unknown).
// Returning false cancels the transfer with ErrorCode::Cancelled.
using ProgressFn = std::function<bool(std::int64_t done, std::int64_t total)>;

struct DownloadResult {
  int status = 0;
  std::string final_url;
  std::string content_type;
  std::int64_t bytes_written = 0;  // by this call
  bool resumed = false;            // the server honoured the Range request
};

// Contract: fetch() returns an Error for transport failures (ErrorCode::Unavailable),
// policy refusals (ErrorCode::Forbidden), bodies over the cap (InvalidInput) and
// cancellation; any HTTP status, including 4xx/5xx, comes back as a Response.
// Thread-safe: one client may be used from many threads at once.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<Response> fetch(const Request& request, const ProgressFn& progress = {}) = 0;
  // Streams the body into `file` (appending). When resume_from > 0 a Range request is
  // sent; if the server ignores it the file is truncated and rewritten from byte 0.
  // Non-2xx statuses are errors here (ErrorCode::Unavailable or NotFound).
  virtual Result<DownloadResult> download(const Request& request, const std::filesystem::path& file,
                                          std::int64_t resume_from, const ProgressFn& progress,
                                          std::int64_t max_bytes) = 0;
};

std::unique_ptr<HttpClient> make_http_client(Policy policy);

}  // namespace hark::net
