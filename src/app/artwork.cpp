#include "app/artwork.hpp"

#include <cctype>
#include <fstream>
#include <iterator>

#include "core/text.hpp"

namespace hark::app {
namespace {

constexpr std::int64_t kMaxImageBytes = 10 << 20;

bool is_local(std::string_view url) {
  return text::to_lower_ascii(url.substr(0, 7)) == "file://" || url.starts_with('/');
}

// The path of a file: URL ("file:///a/b.png" or "file://localhost/a/b.png") or a plain path.
std::optional<std::string> local_path(std::string_view url) {
  if (url.starts_with('/')) return std::string(url);
  std::string_view rest = url.substr(7);
  if (rest.starts_with("localhost/")) rest.remove_prefix(9);
  if (!rest.starts_with('/')) return std::nullopt;
  std::string path;
  for (std::size_t i = 0; i < rest.size(); ++i) {  // %XX escapes
    if (rest[i] == '%' && i + 2 < rest.size() &&
        std::isxdigit(static_cast<unsigned char>(rest[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(rest[i + 2]))) {
      path.push_back(static_cast<char>(std::stoi(std::string(rest.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (rest[i] == '?' || rest[i] == '#') {
      break;
    } else {
      path.push_back(rest[i]);
    }
  }
  return path;
}

}  // namespace

std::optional<std::string> image_type(std::string_view b) {
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return "image/png";
  if (b.size() >= 3 && b.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) return "image/gif";
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  return std::nullopt;
}

Result<Artwork> load_artwork(net::HttpClient& http, const std::string& url,
                             const std::string& feed_url) {
  if (url.empty()) return not_found("there is no artwork");
  std::string bytes;
  if (is_local(url)) {
    if (!is_local(feed_url))
      return not_found("this artwork is a local file but its feed is not; it is not served");
    const auto path = local_path(url);
    if (!path) return not_found("the artwork URL " + url + " is not a local path");
    std::ifstream in(*path, std::ios::binary);
    if (!in) return not_found("the artwork file " + *path + " cannot be read");
    bytes.assign(std::istreambuf_iterator<char>(in), {});
    if (static_cast<std::int64_t>(bytes.size()) > kMaxImageBytes)
      return not_found("the artwork file is larger than 10 MB");
  } else {
    net::Request r;
    r.url = url;
    r.max_body_bytes = kMaxImageBytes;
    r.timeout_ms = 15'000;
    auto response = http.fetch(r);
    if (!response)
      return not_found("the artwork could not be fetched: " + response.error().message);
    if (response->status != 200)
      return not_found("the artwork server answered " + std::to_string(response->status));
    bytes = std::move(response->body);
  }
  auto type = image_type(bytes);
  if (!type) return not_found("the artwork is not a PNG, JPEG, GIF or WebP image");
  return Artwork{*type, std::move(bytes)};
}

}  // namespace hark::app
