// Calling a web service politely: waits as asked on 429 (Retry-After) and on 502/503/504,
// up to a limit. A 500 is not retried: the request may have been carried out, and a repeat
// of a create could duplicate it; the caller stops and resumes on its next run instead.
//
// Thread-safe as far as the HttpClient is (the sleep function is called on the caller's
// thread).
#pragma once

#include <functional>
#include <string>

#include "core/model.hpp"
#include "core/result.hpp"
#include "net/http_client.hpp"

namespace hark::exports {

struct RetryPolicy {
  int max_attempts = 5;               // requests in all, the first included
  Millis max_wait_ms = 120'000;       // a longer Retry-After fails at once (Unavailable)
  Millis default_wait_ms = 1'000;     // when a 429 has no usable Retry-After; doubles each time
  std::function<void(Millis)> sleep;  // empty: std::this_thread::sleep_for
};

// The final response (any status, 2xx or not, once retries are used up); Errors are the
// client's (transport, policy). `service` names the service in messages ("Readwise").
Result<net::Response> send_with_retry(net::HttpClient& http, const net::Request& request,
                                      const RetryPolicy& policy, const std::string& service);

// Seconds from a Retry-After header (delta-seconds only; an HTTP date counts as absent).
std::optional<Millis> parse_retry_after(const std::string& value);

// FNV-1a, 64 bits, as 16 hex digits: a stable fingerprint of what was sent.
std::string content_hash(std::string_view text);

}  // namespace hark::exports
