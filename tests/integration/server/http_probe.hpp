// A raw-socket HTTP/1.1 client for the server tests: sends exactly the bytes asked for
// (no path normalisation, so "/../" and "%2e%2e" reach the server as written) and
// returns the status, headers and body. One connection per request (Connection: close).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hark::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  int status = 0;   // 0: no answer (connection failed or closed early)
  Headers headers;  // names lower case
  std::string body;
  [[nodiscard]] std::string header(std::string_view name) const;
  [[nodiscard]] int count(std::string_view name) const;  // how often the header appears
};

HttpReply http_request(int port, const std::string& method, const std::string& target,
                       const Headers& headers = {}, const std::string& body = "");

// The value of `name=` in a Set-Cookie header ("" when absent).
std::string cookie_value(const std::string& set_cookie, std::string_view name);

}  // namespace hark::testing
