#include "net/service_api.hpp"

#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace hark::net {

namespace {
constexpr std::size_t kMaxMessageBytes = 300;
}

std::string openai_endpoint_url(std::string_view base_url, std::string_view endpoint) {
  std::string url{text::trim(base_url)};
  while (url.ends_with('/')) url.pop_back();
  if (url.ends_with(endpoint)) return url;
  const auto scheme = url.find("://");
  const bool has_path =
      url.find('/', scheme == std::string::npos ? 0 : scheme + 3) != std::string::npos;
  return url + (has_path ? "" : "/v1") + std::string(endpoint);
}

std::string service_message(std::string_view body) {
  const auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object()) {
    for (const char* key : {"error", "detail", "message"}) {
      const auto it = doc.find(key);
      if (it == doc.end()) continue;
      if (it->is_string()) return text::truncate_utf8(it->get<std::string>(), kMaxMessageBytes);
      if (it->is_object()) {
        const auto m = it->find("message");
        if (m != it->end() && m->is_string())
          return text::truncate_utf8(m->get<std::string>(), kMaxMessageBytes);
      }
      return text::truncate_utf8(it->dump(), kMaxMessageBytes);
    }
  }
  return text::truncate_utf8(text::collapse_whitespace(text::sanitize_utf8(body)),
                             kMaxMessageBytes);
}

}  // namespace hark::net
