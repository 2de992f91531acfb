#include "feed/identity.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "feed/feed.hpp"

namespace hark::feed {
namespace {

TEST(NormalizeEnclosureUrl, DropsVolatileParamsKeepsTheRestInOrder) {
  EXPECT_EQ(
      normalize_enclosure_url("https://x.example/a.mp3?updated=1&auth=T&utm_source=rss&key=K"),
      "https://x.example/a.mp3?auth=T&key=K");
  EXPECT_EQ(normalize_enclosure_url(
                "https://x.example/a.mp3?update=1&_=2&ts=3&timestamp=4&cachebuster=5&cb=6&nocache&"
                "rand=7&random=8&utm_campaign=9&UTM_Medium=x&fbclid=a&gclid=b"),
            "https://x.example/a.mp3");
  EXPECT_EQ(normalize_enclosure_url("https://x.example/a.mp3?token=abc&sig=def"),
            "https://x.example/a.mp3?token=abc&sig=def");
}

TEST(NormalizeEnclosureUrl, TOnlyWhenNumeric) {
  EXPECT_EQ(normalize_enclosure_url("https://x.example/a.mp3?t=1700000000"),
            "https://x.example/a.mp3");
  EXPECT_EQ(normalize_enclosure_url("https://x.example/a.mp3?t=abc"),
            "https://x.example/a.mp3?t=abc");
}

TEST(NormalizeEnclosureUrl, SchemeHostCaseFragmentDefaultPort) {
  EXPECT_EQ(normalize_enclosure_url("  HTTPS://CDN.Example.COM:443/Path/A.MP3#t=30 "),
            "https://cdn.example.com/Path/A.MP3");
  EXPECT_EQ(normalize_enclosure_url("http://User:Pw@Host.example:8080/a.mp3"),
            "http://User:Pw@host.example:8080/a.mp3");
}

TEST(NormalizeEnclosureUrl, NotAnAbsoluteUrlIsOnlyTrimmed) {
  EXPECT_EQ(normalize_enclosure_url(" media/a.mp3?updated=1 "), "media/a.mp3?updated=1");
  EXPECT_EQ(normalize_enclosure_url(""), "");
}

Episode ep(std::string guid, std::string title, std::string url,
           std::optional<Millis> published = {}) {
  Episode e;
  e.guid = std::move(guid);
  e.title = std::move(title);
  e.enclosure_url = std::move(url);
  e.published_at = published;
  return e;
}

std::vector<std::string> keys(const std::vector<Episode>& es) {
  std::vector<std::string> k;
  for (const auto& e : es) k.push_back(e.key);
  return k;
}

TEST(AssignKeys, UniqueGuidIsTheKey) {
  std::vector<Episode> es = {ep("a", "A", "https://x/a.mp3"), ep("b", "B", "https://x/b.mp3")};
  assign_keys(es);
  EXPECT_EQ(keys(es), (std::vector<std::string>{"a", "b"}));
}

TEST(AssignKeys, ExactDuplicateCollapsesIntoTheFirst) {
  std::vector<Episode> es = {ep("a", "A", "https://x/a.mp3"),
                             ep("a", "A", "https://x/a.mp3?updated=2")};
  std::vector<std::string> warnings;
  assign_keys(es, &warnings);
  ASSERT_EQ(es.size(), 1u);
  EXPECT_EQ(es[0].key, "a");
  EXPECT_EQ(es[0].enclosure_url, "https://x/a.mp3");
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(AssignKeys, ReusedGuidKeepsBothEpisodes) {
  std::vector<Episode> es = {ep("a", "New", "https://x/new.mp3", 2000),
                             ep("a", "Old", "https://x/old.mp3", 1000)};
  assign_keys(es);
  ASSERT_EQ(es.size(), 2u);
  EXPECT_EQ(es[1].key, "a");  // the earliest keeps the guid
  EXPECT_NE(es[0].key, "a");
  EXPECT_TRUE(es[0].key.starts_with("a#"));
}

// A refresh where the feed order changed and a new item appeared must give every known
// episode the key it had before.
TEST(AssignKeys, StableAcrossRefreshesAndReordering) {
  std::vector<Episode> monday = {ep("a", "A", "https://x/a.mp3", 1000),
                                 ep("", "No guid", "https://x/n.mp3?ts=1"),
                                 ep("a", "A2", "https://x/a2.mp3", 3000)};
  std::vector<Episode> tuesday = {
      ep("a", "A2", "https://x/a2.mp3", 3000), ep("c", "C", "https://x/c.mp3", 4000),
      ep("", "No guid", "https://x/n.mp3?ts=2"), ep("a", "A", "https://x/a.mp3", 1000)};
  assign_keys(monday);
  assign_keys(tuesday);
  const auto key_of = [](const std::vector<Episode>& es, std::string_view title) {
    return std::find_if(es.begin(), es.end(), [&](const Episode& e) { return e.title == title; })
        ->key;
  };
  for (const auto* title : {"A", "A2", "No guid"})
    EXPECT_EQ(key_of(monday, title), key_of(tuesday, title)) << title;
  EXPECT_EQ(key_of(monday, "A"), "a");
}

TEST(AssignKeys, WithoutGuidEnclosurePlusTitle) {
  std::vector<Episode> es = {ep("", "T", "HTTPS://X.example/a.mp3?utm_source=y"),
                             ep("", "U", "https://x.example/a.mp3")};
  assign_keys(es);
  EXPECT_EQ(keys(es), (std::vector<std::string>{"enclosure:https://x.example/a.mp3#T",
                                                "enclosure:https://x.example/a.mp3#U"}));
}

TEST(AssignKeys, PrivateFeedTokensKeepEpisodesApart) {
  std::vector<Episode> es = {ep("", "T", "https://p.example/a.mp3?auth=one"),
                             ep("", "T", "https://p.example/a.mp3?auth=two")};
  assign_keys(es);
  EXPECT_EQ(es.size(), 2u);
}

TEST(AssignKeys, ParseAssignsKeys) {
  const auto r = parse(
      "<rss><channel><item><guid>g</guid><enclosure url=\"https://x/1.mp3\"/></item>"
      "<item><guid>g</guid><enclosure url=\"https://x/1.mp3\"/></item></channel></rss>");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->episodes.size(), 1u);
  EXPECT_EQ(r->episodes[0].key, "g");
}

}  // namespace
}  // namespace hark::feed
