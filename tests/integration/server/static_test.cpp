// The web player's files: MIME types, caching, the SPA fallback, and no way out of the
// web directory.
#include <unistd.h>

#include "server/static_files.hpp"
#include "server_fixture.hpp"

namespace hark::testing {
namespace {

class StaticTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    const auto web = dir_ / "web";
    write_file(web / "index.html", "<!doctype html><title>hark</title>");
    write_file(web / "app.3f2a1c9b.js", "console.log('hi')");
    write_file(web / "style.css", "body{}");
    std::filesystem::create_directories(web / "icons");
    write_file(web / "icons" / "icon.svg", "<svg/>");
    write_file(web / ".env", "SECRET=1");
    write_file(dir_ / "secret.txt", "TOP SECRET");
    std::filesystem::create_symlink(dir_ / "secret.txt", web / "link.txt");
  }
};

TEST_F(StaticTest, FilesWithTheirTypesAndCaching) {
  auto index = get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  EXPECT_NE(index.body.find("<title>hark</title>"), std::string::npos);

  auto js = get("/app.3f2a1c9b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/style.css").header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(get("/icons/icon.svg").header("content-type"), "image/svg+xml");
  auto head = http_request(port_, "HEAD", "/style.css");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), "6");
}

TEST_F(StaticTest, UnknownAppPathsGetIndexButMissingAssetsAre404) {
  for (const auto* path : {"/podcasts/12", "/episode/7/transcript", "/settings"}) {
    auto r = get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_NE(r.body.find("<title>hark</title>"), std::string::npos) << path;
  }
  EXPECT_EQ(get("/missing.js").status, 404);
  EXPECT_EQ(get("/api/unknown").status, 404);  // API paths never fall back to the app
  EXPECT_EQ(http_request(port_, "POST", "/settings").status, 405);
}

TEST_F(StaticTest, TraversalAttemptsNeverLeaveTheWebDirectory) {
  for (const auto* target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/icons/../../secret.txt",
        "/icons/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/icons/..%2f..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt", "/....//secret.txt", "/..\\secret.txt", "/.env", "/link.txt",
        "/%00/secret.txt", "/icons/%2e%2e%5c%2e%2e%5csecret.txt"}) {
    auto r = get(target);
    EXPECT_EQ(r.body.find("TOP SECRET"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("SECRET=1"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
    EXPECT_TRUE(r.status == 404 || r.status == 400) << target << " → " << r.status;
  }
  // An absolute-looking path is just an app route under the web directory.
  auto etc = get("//etc/passwd");
  EXPECT_EQ(etc.body.find("root:"), std::string::npos);
}

TEST(StaticFiles, ResolveRefusesEscapes) {
  TempDir dir;
  std::filesystem::create_directories(dir / "web");
  write_file(dir / "web" / "index.html", "x");
  write_file(dir / "outside.txt", "y");
  const auto root = dir / "web";
  EXPECT_TRUE(server::resolve_static(root, "/index.html"));
  EXPECT_TRUE(server::resolve_static(root, "/"));
  EXPECT_FALSE(server::resolve_static(root, "/../outside.txt"));
  EXPECT_FALSE(server::resolve_static(root, "../outside.txt"));
  EXPECT_FALSE(server::resolve_static(root, "/./index.html"));
  EXPECT_FALSE(server::resolve_static(root, "/nope.html"));
  EXPECT_EQ(server::mime_type("a.woff2"), "font/woff2");
  EXPECT_EQ(server::mime_type("a.unknown"), "application/octet-stream");
}

}  // namespace
}  // namespace hark::testing
