// One HTTP exchange on one curl easy handle: no redirects, no retries (the client layers
// those on top). The SSRF guard runs inside, at connect time. Internal to the net module.
#pragma once

#include <curl/curl.h>

#include <string>

#include "core/result.hpp"
#include "net/address_policy.hpp"
#include "net/body_sink.hpp"
#include "net/http_client.hpp"
#include "net/url.hpp"

namespace hark::net::detail {

struct ExchangeSpec {
  const Url* url = nullptr;
  std::string display_url;  // for error messages, e.g. "B (redirected from A)"
  const Request* request = nullptr;
  std::string method;  // may differ from request->method after a 303
  bool send_body = false;
  const Headers* headers = nullptr;  // request->headers, possibly filtered
  std::string user_agent;
  bool decode_content = false;  // send Accept-Encoding and decode the body
  long connect_timeout_ms = 0;
  long timeout_ms = 0;  // 0: none
  long low_speed_timeout_ms = 0;
  std::int64_t range_from = 0;  // > 0: "Range: bytes=N-"
};

struct ExchangeResult {
  int status = 0;
  Headers headers;  // names lower case
};

// Performs the exchange; the body goes to `sink`. Errors are classified into messages a
// user can act on (see classify_curl_error).
Result<ExchangeResult> exchange(CURL* easy, const AddressGuard& guard, const ExchangeSpec& spec,
                                BodySink& sink, const ProgressFn& progress);

}  // namespace hark::net::detail
