#include "server/router.hpp"

#include <vector>

namespace hark::server {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start < path.size()) {
    if (path[start] == '/') {
      ++start;
      continue;
    }
    const auto end = std::min(path.find('/', start), path.size());
    parts.push_back(path.substr(start, end - start));
    start = end;
  }
  return parts;
}

bool match_pattern(std::string_view pattern, std::string_view path,
                   std::map<std::string, std::string, std::less<>>& params) {
  // A trailing slash is a different path: "/api/podcasts/" is not "/api/podcasts".
  if (path.size() > 1 && path.back() == '/') return false;
  const auto want = split_path(pattern);
  const auto got = split_path(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string, std::less<>> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (got[i].empty()) return false;
      found.emplace(std::string(w.substr(1, w.size() - 2)), std::string(got[i]));
    } else if (w != got[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

RouteMatch match_route(std::span<const Route> routes, std::string_view method,
                       std::string_view path) {
  RouteMatch m;
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  for (const auto& route : routes) {
    std::map<std::string, std::string, std::less<>> params;
    if (!match_pattern(route.pattern, path, params)) continue;
    if (route.method == wanted) {
      m.route = &route;
      m.params = std::move(params);
      return m;
    }
    m.path_known = true;
    if (!m.allow.empty()) m.allow += ", ";
    m.allow += route.method;
  }
  return m;
}

}  // namespace hark::server
