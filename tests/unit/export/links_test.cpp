#include "export/links.hpp"

#include <gtest/gtest.h>

namespace hark::exports {
namespace {

TEST(PublicUrl, NormalisesTrailingSlashAndSchemeCase) {
  EXPECT_EQ(normalize_public_url("https://hark.example.org/").value(), "https://hark.example.org");
  EXPECT_EQ(normalize_public_url("HTTP://192.168.1.20:8080/Pods//").value(),
            "http://192.168.1.20:8080/Pods");
  EXPECT_EQ(normalize_public_url(kDefaultPublicUrl).value(), "http://127.0.0.1:8080");
}

TEST(PublicUrl, RefusesWhatCannotPrefixALink) {
  for (const char* bad :
       {"", "hark.example.org", "ftp://hark.example.org", "https://", "https://h.example.org/?x=1",
        "https://h.example.org/#top", "https://h.example.org/a b"}) {
    const auto r = normalize_public_url(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("public URL"), std::string::npos);
  }
}

TEST(Links, PlayerLinkUsesTheWebPlayersEpisodeRouteAndWholeSeconds) {
  EXPECT_EQ(player_url("https://h.example.org", 42, 754'900),
            "https://h.example.org/episodes/42?t=754");
  EXPECT_EQ(player_url("http://127.0.0.1:8080", 1, -5), "http://127.0.0.1:8080/episodes/1?t=0");
}

TEST(Links, ShareLinkEncodesTheId) {
  EXPECT_EQ(share_url("https://h.example.org", "Ab3_-x"), "https://h.example.org/s/Ab3_-x");
  EXPECT_EQ(share_url("https://h.example.org", "a/b?c"), "https://h.example.org/s/a%2Fb%3Fc");
  EXPECT_EQ(percent_encode("café & tea"), "caf%C3%A9%20%26%20tea");
}

}  // namespace
}  // namespace hark::exports
