#include "export/links.hpp"

#include <algorithm>

#include "net/url.hpp"

namespace hark::exports {

Result<std::string> normalize_public_url(std::string_view text) {
  const auto fail = [&] {
    return invalid_input("'" + std::string(text) +
                         "' is not a public URL; write the address people open hark at, "
                         "such as https://hark.example.org or http://192.168.1.20:8080");
  };
  std::string url(text);
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.find_first_of("?# \t\r\n") != std::string::npos) return fail();
  const auto parsed = net::parse_url(url);
  if (!parsed || (parsed->scheme != "http" && parsed->scheme != "https") || parsed->host.empty())
    return fail();
  // Only the scheme and host are case-insensitive; keep the path as written.
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return fail();
  std::transform(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(scheme_end), url.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return url;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string player_url(std::string_view public_url, Id episode_id, Millis at_ms) {
  return std::string(public_url) + "/episodes/" + std::to_string(episode_id) +
         "?t=" + std::to_string(std::max<Millis>(0, at_ms) / 1000);
}

std::string share_url(std::string_view public_url, std::string_view share_id) {
  return std::string(public_url) + "/s/" + percent_encode(share_id);
}

}  // namespace hark::exports
