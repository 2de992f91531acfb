// The web player's files: served from one directory, with the right MIME types and
// caching, and index.html for any other non-API path so the single-page app's router can
// handle it. Nothing outside the directory is ever served.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "server/http.hpp"

namespace hark::server {

// The file under `root` that a decoded URL path names, or nullopt when the path tries to
// leave `root` ("..", backslashes, NUL, absolute segments), names a hidden file, or the
// file does not exist (or is not a regular file, or is a symlink out of `root`).
std::optional<std::filesystem::path> resolve_static(const std::filesystem::path& root,
                                                    std::string_view url_path);

// "text/html; charset=utf-8", "application/javascript", ... by extension;
// application/octet-stream when unknown.
std::string mime_type(const std::filesystem::path& file);

// GET/HEAD of a non-API path: the file, or index.html (SPA fallback) for paths that
// look like app routes. A path that tries to leave the directory is 404 (never the
// fallback); a missing file with an extension ("/app.js") is 404 too, so a typo in an
// asset name is not answered with HTML. Hashed asset names ("app.3f2a1c9b.js") are cached
// for a year, everything else must be revalidated.
Response serve_static(const std::filesystem::path& root, const Request& request);

}  // namespace hark::server
