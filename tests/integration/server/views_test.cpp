// The episode JSON the lists write by hand (pure): strings escaped as nlohmann's dump
// escapes them, bytes that are not UTF-8 replaced, nulls for absent values, and the whole
// object readable by a JSON parser with every member the API documents.
#include "server/views.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace hark::server {
namespace {

using nlohmann::json;

std::string written(std::string_view text) {
  std::string out;
  write_json_string(out, text);
  return out;
}

std::string dumped(std::string_view text) {
  return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(ViewsTest, StringsAreEscapedLikeNlohmannDump) {
  for (const std::string_view s :
       {std::string_view(""), std::string_view("plain"),
        std::string_view("quote \" and \\ slash /"),
        std::string_view("tab\tnew\nline\rform\fback\b"), std::string_view("\x01\x1f\x7f", 3),
        std::string_view("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x8e\xa7"),
        std::string_view("nul \0 inside", 12)}) {
    EXPECT_EQ(written(s), dumped(s)) << "for " << json(std::string(s)).dump();
  }
}

TEST(ViewsTest, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  // A lone continuation byte, a truncated sequence, an overlong '/', a UTF-16 surrogate
  // and a code point past U+10FFFF: each byte that starts no valid sequence is replaced.
  const std::string bad = "a\x80 b\xe2\x82 c\xc0\xaf d\xed\xa0\x80 e\xf4\x90\x80\x80";
  const auto parsed = json::parse(written(bad));
  const std::string text = parsed.get<std::string>();
  EXPECT_EQ(text.rfind("a\xef\xbf\xbd b", 0), 0U) << text;
  EXPECT_EQ(text.find('\x80' + std::string(" b")), std::string::npos);
  for (const char* keep : {" c", " d", " e"}) EXPECT_NE(text.find(keep), std::string::npos);
  // Everything that was not replaced is valid UTF-8: the parser accepted it, and a dump
  // with the strict handler does not throw.
  EXPECT_NO_THROW((void)parsed.dump());
}

TEST(ViewsTest, AnEpisodeIsOneObjectWithEveryListMember) {
  Episode e;
  e.id = 42;
  e.podcast_id = 7;
  e.title = "Episode \"42\"\n";
  e.published_at = 1'700'000'000'000;
  e.season = 2;
  e.enclosure_url = "https://example.com/a.mp3";
  e.enclosure_type = "audio/mpeg";
  e.enclosure_length = 123;
  e.soundbites = {{1000, 5000, "first"}, {9000, 3000, "second"}};
  e.persons = {Person{"Ann", "guest", "cast", "https://i/a.png", "https://a"}};
  EpisodeExtras x;
  x.position = store::Position{};
  x.position->position_ms = 1500;
  x.transcript_ready = true;
  x.chapter_count = 3;

  std::string out = "[";
  write_episode_json(out, e, x);
  out += ",";
  write_episode_json(out, Episode{}, EpisodeExtras{});
  out += "]";
  const auto list = json::parse(out);
  ASSERT_EQ(list.size(), 2U);
  const auto& j = list[0];
  EXPECT_EQ(j["id"], 42);
  EXPECT_EQ(j["podcast_id"], 7);
  EXPECT_EQ(j["title"], "Episode \"42\"\n");
  EXPECT_EQ(j["published_at"], 1'700'000'000'000);
  EXPECT_TRUE(j["duration_ms"].is_null());
  EXPECT_EQ(j["season"], 2);
  EXPECT_TRUE(j["episode_number"].is_null());
  EXPECT_EQ(j["enclosure_length"], 123);
  EXPECT_EQ(j["state"], "in_progress");
  EXPECT_EQ(j["position_ms"], 1500);
  EXPECT_EQ(j["transcript_ready"], true);
  EXPECT_EQ(j["chapter_count"], 3);
  EXPECT_EQ(j["downloaded"], false);
  EXPECT_EQ(j["audio_url"], "/api/episodes/42/audio");
  ASSERT_EQ(j["soundbites"].size(), 2U);
  EXPECT_EQ(j["soundbites"][1],
            json({{"start_ms", 9000}, {"duration_ms", 3000}, {"title", "second"}}));
  ASSERT_EQ(j["persons"].size(), 1U);
  EXPECT_EQ(j["persons"][0]["role"], "guest");
  EXPECT_FALSE(j.contains("show_notes_html"));
  EXPECT_EQ(list[1]["state"], "new");
  EXPECT_TRUE(list[1]["soundbites"].empty());

  // The single-episode view is the same object plus the show notes.
  auto single = episode_json(e, x, std::string("<p>notes</p>"));
  EXPECT_EQ(single["show_notes_html"], "<p>notes</p>");
  single.erase("show_notes_html");
  EXPECT_EQ(single, j);
}

TEST(ViewsTest, APodcastIsOneObjectWithEveryListMember) {
  Podcast p;
  p.id = 3;
  p.title = "Caf\xc3\xa9 \"Talk\"";
  p.feed_url = "https://example.com/feed.xml";
  p.episode_count = 12;
  p.last_fetched_at = 1'700'000'000'000;
  p.last_error = "HTTP 500\n";
  std::string out;
  write_podcast_json(out, p);
  const auto j = json::parse(out);
  EXPECT_EQ(j["id"], 3);
  EXPECT_EQ(j["title"], "Caf\xc3\xa9 \"Talk\"");
  EXPECT_EQ(j["feed_url"], "https://example.com/feed.xml");
  EXPECT_EQ(j["episode_count"], 12);
  EXPECT_EQ(j["last_fetched_at"], 1'700'000'000'000);
  EXPECT_TRUE(j["last_success_at"].is_null());
  EXPECT_EQ(j["last_error"], "HTTP 500\n");
  EXPECT_EQ(j["explicit"], false);
  for (const char* member : {"author", "description", "link", "image_url", "language"})
    EXPECT_TRUE(j[member].is_string()) << member;
  EXPECT_EQ(podcast_json(p), j);
}

}  // namespace
}  // namespace hark::server
