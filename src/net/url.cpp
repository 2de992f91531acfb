#include "net/url.hpp"

#include <curl/curl.h>

#include <memory>

#include "core/text.hpp"

namespace hark::net {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};

// One part of a parsed URL, or "" when the URL has none.
std::string get_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(u, part, &raw, flags) != CURLUE_OK || raw == nullptr) return {};
  const std::unique_ptr<char, CurlStringDeleter> owned(raw);
  return std::string(owned.get());
}

Result<UrlPtr> parse_handle(std::string_view url) {
  UrlPtr u(curl_url());
  if (!u) return internal_error("out of memory while parsing a URL");
  const std::string text(url);
  // NON_SUPPORT_SCHEME: parse any scheme; the client decides which it will fetch.
  const auto rc = curl_url_set(u.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK) {
    return invalid_input("not a valid URL: \"" + text + "\" (" + curl_url_strerror(rc) + ")");
  }
  return u;
}

std::string strip_brackets(std::string host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return host;
}

}  // namespace

Result<Url> parse_url(std::string_view url) {
  auto handle = parse_handle(url);
  if (!handle) return handle.error();
  CURLU* u = handle->get();
  Url out;
  out.scheme = text::to_lower_ascii(get_part(u, CURLUPART_SCHEME));
  out.host = strip_brackets(get_part(u, CURLUPART_HOST));
  const std::string port = get_part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  out.port = port.empty() ? 0 : std::stoi(port);
  out.path = get_part(u, CURLUPART_PATH, out.scheme == "file" ? CURLU_URLDECODE : 0);
  out.text = get_part(u, CURLUPART_URL);
  return out;
}

Result<std::string> resolve_url(std::string_view base, std::string_view reference) {
  auto handle = parse_handle(base);
  if (!handle) return handle.error();
  CURLU* u = handle->get();
  curl_url_set(u, CURLUPART_FRAGMENT, nullptr, 0);
  const std::string ref(text::trim(reference));
  // Setting a URL on a handle that already holds one resolves it as a relative reference.
  const auto rc = curl_url_set(u, CURLUPART_URL, ref.c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK) {
    return invalid_input("not a valid redirect target: \"" + ref + "\" (" + curl_url_strerror(rc) +
                         ")");
  }
  return get_part(u, CURLUPART_URL);
}

bool is_local_target(std::string_view target) {
  return text::starts_with_icase(target, "file:") || target.starts_with('/') ||
         target.starts_with("./") || target.starts_with("../");
}

Result<std::string> local_path(std::string_view target) {
  if (!text::starts_with_icase(target, "file:")) return std::string(target);
  auto url = parse_url(target);
  if (!url) return url.error();
  if (url->path.empty()) return invalid_input("the file URL " + url->text + " names no file");
  return url->path;
}

std::string format_size(std::int64_t bytes) {
  constexpr std::int64_t kKiB = 1024;
  constexpr std::int64_t kMiB = kKiB * 1024;
  constexpr std::int64_t kGiB = kMiB * 1024;
  if (bytes >= kGiB && bytes % kGiB == 0) return std::to_string(bytes / kGiB) + " GB";
  if (bytes >= kMiB) return std::to_string(bytes / kMiB) + " MB";
  if (bytes >= kKiB) return std::to_string(bytes / kKiB) + " KB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

}  // namespace hark::net
