// docs/openapi.yaml documents exactly the routes the server registers: every route is
// documented, and nothing documented is missing. A small line reader extracts the
// `paths:` keys and their methods (nlohmann cannot read YAML; the file keeps the usual
// two-space layout: paths at indent 2, methods at indent 4). That the file is valid YAML
// and OpenAPI is checked by check_openapi.py (test openapi_document.Check.WellFormed).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "server/router.hpp"

namespace hark::testing {
namespace {

std::set<std::string> documented_routes(const std::string& file) {
  std::ifstream in(file);
  std::set<std::string> routes;
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line[0] != ' ') {  // a top-level key
      in_paths = line.rfind("paths:", 0) == 0;
      continue;
    }
    if (!in_paths) continue;
    const auto indent = line.find_first_not_of(' ');
    if (indent == std::string::npos) continue;
    const auto key_end = line.find(':', indent);
    if (key_end == std::string::npos) continue;
    std::string key = line.substr(indent, key_end - indent);
    if (key.size() >= 2 && (key.front() == '\'' || key.front() == '"'))
      key = key.substr(1, key.size() - 2);
    if (indent == 2 && key.rfind("/", 0) == 0) {
      path = key;
    } else if (indent == 4 && !path.empty()) {
      for (const char* m : {"get", "put", "post", "delete", "patch"}) {
        if (key == m) {
          std::string upper = key;
          for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          routes.insert(upper + " " + path);
        }
      }
    }
  }
  return routes;
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  const auto documented = documented_routes(HARK_SOURCE_DIR "/docs/openapi.yaml");
  ASSERT_FALSE(documented.empty()) << "no paths read from docs/openapi.yaml";
  std::set<std::string> registered;
  for (const auto& r : server::api_routes())
    registered.insert(std::string(r.method) + " " + std::string(r.pattern));
  for (const auto& r : registered) EXPECT_TRUE(documented.count(r)) << "undocumented route: " << r;
  for (const auto& d : documented)
    EXPECT_TRUE(registered.count(d)) << "documented but not served: " << d;
}

TEST(OpenApi, IsOpenApi3) {
  std::ifstream in(HARK_SOURCE_DIR "/docs/openapi.yaml");
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first.rfind("openapi: 3.0", 0), 0u) << first;
}

}  // namespace
}  // namespace hark::testing
