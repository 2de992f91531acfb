// URL helpers for feed parsing: splitting, relative reference resolution (RFC 3986 §5).
// Pure string functions; no validation beyond what resolution needs.
#pragma once

#include <string>
#include <string_view>

namespace hark::feed {

// The parts of an absolute URL `scheme://authority/path?query#fragment`. Views into the input.
struct UrlParts {
  std::string_view scheme;     // without ':'; empty when the URL is relative
  std::string_view authority;  // without '//'; may include userinfo and port
  bool has_authority = false;
  std::string_view path;
  std::string_view query;  // without '?'
  bool has_query = false;
  std::string_view fragment;  // without '#'
  bool has_fragment = false;
};

UrlParts split_url(std::string_view url);

// Resolves `ref` (as found in a feed: trimmed, maybe relative, maybe with spaces) against
// `base`. Absolute references are returned as they are; when `base` is empty or not absolute
// the reference is returned unchanged. Spaces inside the URL are percent-encoded.
std::string resolve_url(std::string_view base, std::string_view ref);

}  // namespace hark::feed
