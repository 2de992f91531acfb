#include "export/http_retry.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

namespace hark::exports {

std::optional<Millis> parse_retry_after(const std::string& value) {
  if (value.empty() || value.size() > 9) return std::nullopt;
  Millis seconds = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return seconds * 1000;
}

std::string content_hash(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

Result<net::Response> send_with_retry(net::HttpClient& http, const net::Request& request,
                                      const RetryPolicy& policy, const std::string& service) {
  Millis backoff = policy.default_wait_ms;
  for (int attempt = 1;; ++attempt) {
    auto response = http.fetch(request);
    if (!response) return response.error().with_context(service);
    const int status = response->status;
    const bool retryable = status == 429 || status == 502 || status == 503 || status == 504;
    if (!retryable || attempt >= policy.max_attempts) return response;
    Millis wait = backoff;
    if (const auto asked = parse_retry_after(response->header("retry-after"))) wait = *asked;
    backoff *= 2;
    if (wait > policy.max_wait_ms)
      return unavailable(service + " asks hark to wait " + std::to_string(wait / 1000) +
                         " s before the next request; nothing more was sent — run the export "
                         "again later");
    if (policy.sleep) {
      policy.sleep(wait);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    }
  }
}

}  // namespace hark::exports
