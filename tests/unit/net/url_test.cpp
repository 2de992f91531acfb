#include "net/url.hpp"

#include <gtest/gtest.h>

#include "net/body_sink.hpp"

namespace hark::net {
namespace {

TEST(ParseUrl, SplitsAndNormalises) {
  const auto url = parse_url("HTTPS://Feeds.Example.com/a/../pod.xml?x=1#top");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->path, "/pod.xml");
  EXPECT_EQ(url->text, "https://Feeds.Example.com/pod.xml?x=1#top");
}

TEST(ParseUrl, NumericHostsBecomeDottedQuads) {
  EXPECT_EQ(parse_url("http://2130706433/")->host, "127.0.0.1");
  EXPECT_EQ(parse_url("http://0177.0.0.1:8080/")->host, "127.0.0.1");
  EXPECT_EQ(parse_url("http://0177.0.0.1:8080/")->port, 8080);
  EXPECT_EQ(parse_url("http://[::ffff:127.0.0.1]/")->host, "::ffff:127.0.0.1");
}

TEST(ParseUrl, RejectsNonUrls) {
  const auto url = parse_url("example.com/feed.xml");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(url.error().message.find("example.com/feed.xml"), std::string::npos);
  EXPECT_FALSE(parse_url("http://a b/"));
}

TEST(ResolveUrl, HandlesEveryReferenceForm) {
  const std::string base = "https://a.example/feeds/pod.xml?x=1#frag";
  EXPECT_EQ(*resolve_url(base, "http://b.example/x"), "http://b.example/x");
  EXPECT_EQ(*resolve_url(base, "//cdn.example/y"), "https://cdn.example/y");
  EXPECT_EQ(*resolve_url(base, "/root.xml"), "https://a.example/root.xml");
  EXPECT_EQ(*resolve_url(base, "other.xml"), "https://a.example/feeds/other.xml");
  EXPECT_EQ(*resolve_url(base, "../up.xml"), "https://a.example/up.xml");
  EXPECT_EQ(*resolve_url(base, "?page=2"), "https://a.example/feeds/pod.xml?page=2");
  EXPECT_EQ(*resolve_url(base, "  /trimmed "), "https://a.example/trimmed");
}

TEST(LocalTargets, RecognisesFileUrlsAndPaths) {
  EXPECT_TRUE(is_local_target("file:///srv/feed.xml"));
  EXPECT_TRUE(is_local_target("/srv/feed.xml"));
  EXPECT_TRUE(is_local_target("./feed.xml"));
  EXPECT_TRUE(is_local_target("../feed.xml"));
  EXPECT_FALSE(is_local_target("https://example.com/feed.xml"));
  EXPECT_FALSE(is_local_target("example.com/feed.xml"));
  EXPECT_EQ(*local_path("file:///srv/my%20feed.xml"), "/srv/my feed.xml");
  EXPECT_EQ(*local_path("/srv/feed.xml"), "/srv/feed.xml");
}

TEST(FormatSize, UsesReadableUnits) {
  EXPECT_EQ(format_size(64 << 20), "64 MB");
  EXPECT_EQ(format_size(std::int64_t{4} << 30), "4 GB");
  EXPECT_EQ(format_size(1536), "1 KB");
  EXPECT_EQ(format_size(900), "900 bytes");
  EXPECT_EQ(format_size(1), "1 byte");
}

TEST(ContentRange, ParsesSatisfiedAndUnsatisfiedForms) {
  const auto partial = detail::parse_content_range("bytes 100-199/1000");
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->first, 100);
  EXPECT_EQ(partial->total, 1000);
  const auto unknown_total = detail::parse_content_range("bytes 0-9/*");
  ASSERT_TRUE(unknown_total);
  EXPECT_EQ(unknown_total->total, 0);
  const auto unsatisfied = detail::parse_content_range("bytes */1000");
  ASSERT_TRUE(unsatisfied);
  EXPECT_EQ(unsatisfied->first, -1);
  EXPECT_EQ(unsatisfied->total, 1000);
  EXPECT_FALSE(detail::parse_content_range("items 0-1/2"));
  EXPECT_FALSE(detail::parse_content_range("bytes x-1/2"));
}

}  // namespace
}  // namespace hark::net
