// URL helpers built on libcurl's URL parser, so that hark and the transfer agree on what a
// URL's host and port are (curl normalises e.g. "http://2130706433/" to 127.0.0.1).
// Pure functions (no I/O); safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hark::net {

struct Url {
  std::string scheme;  // lower case: "http", "https", "file", ...
  std::string host;    // as curl normalised it; IPv6 without brackets; "" for file URLs
  int port = 0;        // explicit or the scheme's default
  std::string path;    // percent-decoded for file URLs, as written otherwise
  std::string text;    // the whole URL, normalised
};

// Parses an absolute URL of any scheme. InvalidInput for anything else.
Result<Url> parse_url(std::string_view url);

// Resolves `reference` (a Location header: absolute, scheme-relative, absolute-path or
// relative) against `base`. The fragment of `base` is not inherited.
Result<std::string> resolve_url(std::string_view base, std::string_view reference);

// True when `target` names a local file: a file: URL, or a plain path ("/srv/feed.xml",
// "./feed.xml", "../feed.xml") rather than a URL.
bool is_local_target(std::string_view target);

// The filesystem path a local target names (file: URLs percent-decoded).
Result<std::string> local_path(std::string_view target);

// "64 MB", "512 KB", "900 bytes": sizes in error messages (binary units, as users expect
// from file managers).
std::string format_size(std::int64_t bytes);

}  // namespace hark::net
