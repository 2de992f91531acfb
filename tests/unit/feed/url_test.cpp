#include "feed/url.hpp"

#include <gtest/gtest.h>

namespace hark::feed {
namespace {

TEST(ResolveUrl, Rfc3986Examples) {
  // RFC 3986 §5.4.1 with base http://a/b/c/d;p?q
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(resolve_url(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(resolve_url(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(resolve_url(base, "g/"), "http://a/b/c/g/");
  EXPECT_EQ(resolve_url(base, "/g"), "http://a/g");
  EXPECT_EQ(resolve_url(base, "//g"), "http://g");
  EXPECT_EQ(resolve_url(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(resolve_url(base, "g?y"), "http://a/b/c/g?y");
  EXPECT_EQ(resolve_url(base, "#s"), "http://a/b/c/d;p?q#s");
  EXPECT_EQ(resolve_url(base, "g#s"), "http://a/b/c/g#s");
  EXPECT_EQ(resolve_url(base, ".."), "http://a/b/");
  EXPECT_EQ(resolve_url(base, "../g"), "http://a/b/g");
  EXPECT_EQ(resolve_url(base, "../.."), "http://a/");
  EXPECT_EQ(resolve_url(base, "../../../g"), "http://a/g");
  EXPECT_EQ(resolve_url(base, "g;x=1/../y"), "http://a/b/c/y");
}

TEST(ResolveUrl, AbsoluteAndUnresolvable) {
  EXPECT_EQ(resolve_url("https://a/b", "https://c/d?x=1&y=2"), "https://c/d?x=1&y=2");
  EXPECT_EQ(resolve_url("", "media/1.mp3"), "media/1.mp3");
  EXPECT_EQ(resolve_url("not a url", "media/1.mp3"), "media/1.mp3");
  EXPECT_EQ(resolve_url("https://a/b", "  "), "");
}

TEST(ResolveUrl, SpacesAreEncoded) {
  EXPECT_EQ(resolve_url("https://a/dir/", "my file.mp3"), "https://a/dir/my%20file.mp3");
}

}  // namespace
}  // namespace hark::feed
