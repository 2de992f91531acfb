#include "server/static_files.hpp"

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "core/text.hpp"
#include "server/errors.hpp"

namespace hark::server {
namespace fs = std::filesystem;
namespace {

bool is_within(const fs::path& root, const fs::path& candidate) {
  auto r = root.begin(), c = candidate.begin();
  for (; r != root.end(); ++r, ++c) {
    if (c == candidate.end() || *r != *c) return false;
  }
  return true;
}

// Segments of the URL path, refusing anything that could step outside the root.
std::optional<fs::path> safe_relative(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return std::nullopt;
  fs::path rel;
  std::size_t start = 1;
  while (start <= url_path.size()) {
    const auto end = std::min(url_path.find('/', start), url_path.size());
    const std::string_view seg = url_path.substr(start, end - start);
    start = end + 1;
    if (seg.empty()) continue;
    if (seg == "." || seg == ".." || seg.front() == '.') return std::nullopt;  // hidden too
    if (seg.find('\\') != std::string_view::npos || seg.find('\0') != std::string_view::npos ||
        seg.find(':') != std::string_view::npos)
      return std::nullopt;
    rel /= std::string(seg);
  }
  return rel;
}

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool looks_hashed(const std::string& name) {
  static const std::regex hashed(R"(.*[.-][0-9a-fA-F]{8,}\.[A-Za-z0-9]+$)");
  return std::regex_match(name, hashed);
}

// The web player's files are small: read whole (the transport drops the body of a HEAD).
Response file_response(const fs::path& file) {
  Response r;
  r.content_type = mime_type(file);
  r.body = read_all(file);
  r.set_header("Cache-Control", looks_hashed(file.filename().string())
                                    ? "public, max-age=31536000, immutable"
                                    : "no-cache");
  return r;
}

}  // namespace

std::optional<fs::path> resolve_static(const fs::path& root, std::string_view url_path) {
  auto rel = safe_relative(url_path);
  if (!rel) return std::nullopt;
  std::error_code ec;
  const auto canonical_root = fs::canonical(root, ec);
  if (ec) return std::nullopt;
  auto candidate = canonical_root / *rel;
  if (rel->empty() || fs::is_directory(candidate, ec)) candidate /= "index.html";
  const auto resolved = fs::canonical(candidate, ec);  // follows symlinks
  if (ec || !is_within(canonical_root, resolved)) return std::nullopt;
  if (!fs::is_regular_file(resolved, ec)) return std::nullopt;
  return resolved;
}

std::string mime_type(const fs::path& file) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
      {".wasm", "application/wasm"},
      {".mp3", "audio/mpeg"},
      {".m4a", "audio/mp4"},
      {".ogg", "audio/ogg"},
      {".opus", "audio/ogg"},
      {".wav", "audio/wav"},
      {".vtt", "text/vtt; charset=utf-8"},
  };
  const auto it = types.find(text::to_lower_ascii(file.extension().string()));
  return it == types.end() ? "application/octet-stream" : it->second;
}

Response serve_static(const fs::path& root, const Request& request) {
  if (request.method != "GET" && request.method != "HEAD")
    return error_response(405, "method_not_allowed", "only GET and HEAD are served here");
  const auto rel = safe_relative(request.path);
  if (!rel) return error_response(404, "not_found", "no such file");
  if (auto file = resolve_static(root, request.path)) return file_response(*file);
  // A missing asset (it has an extension) is a 404; anything else is a route of the app.
  if (rel->has_extension()) return error_response(404, "not_found", "no such file");
  auto index = resolve_static(root, "/index.html");
  if (!index) {
    auto r = error_response(404, "not_found",
                            "the web player is not installed: no index.html in " + root.string() +
                                " (set [server] web_dir or --web-dir)");
    return r;
  }
  auto r = file_response(*index);
  r.set_header("Cache-Control", "no-cache");
  return r;
}

}  // namespace hark::server
