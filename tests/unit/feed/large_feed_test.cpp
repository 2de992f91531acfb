// A ~50 MB feed with 20,000 items and long show notes, generated at run time (too big to
// commit). Checks that size is no problem for correctness; speed is measured in bench/.
#include <gtest/gtest.h>

#include <string>

#include "core/time.hpp"
#include "feed/feed.hpp"

namespace hark::feed {
namespace {

constexpr int kItems = 20000;

std::string show_notes(int n) {
  std::string notes = "<![CDATA[<h2>Episode " + std::to_string(n) + "</h2>";
  for (int p = 0; p < 12; ++p)
    notes += "<p>Paragraph " + std::to_string(p) +
             " of the show notes, with <a href=\"https://example.com/link?a=1&b=2\">a link</a>, "
             "<b>bold text</b> and enough words to look like what publishers really write.</p>";
  return notes + "]]>";
}

std::string big_feed() {
  std::string f;
  f.reserve(56u << 20);
  f += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
       "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" "
       "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
       "xmlns:podcast=\"https://podcastindex.org/namespace/1.0\">\n<channel>\n"
       "<title>Big Feed</title>\n";
  for (int i = kItems; i >= 1; --i) {
    const auto n = std::to_string(i);
    f += "<item><title>Episode " + n + " &amp; friends</title><guid isPermaLink=\"false\">big-" +
         n + "</guid><pubDate>" + "Mon, 01 Jan 2024 00:00:00 GMT" +
         "</pubDate>"
         "<enclosure url=\"https://cdn.example.com/big/" +
         n + ".mp3?updated=17000\" length=\"" + std::to_string(1000000 + i) +
         "\" type=\"audio/mpeg\"/><itunes:duration>" + std::to_string(i % 7200) +
         "</itunes:duration><itunes:episode>" + n +
         "</itunes:episode>"
         "<podcast:transcript url=\"https://cdn.example.com/big/" +
         n +
         ".vtt\" type=\"text/vtt\"/>"
         "<description>" +
         show_notes(i) +
         "</description>"
         "<content:encoded>" +
         show_notes(i) + "</content:encoded></item>\n";
  }
  f += "</channel>\n</rss>\n";
  return f;
}

TEST(LargeFeed, FiftyMegabytesTwentyThousandItems) {
  const auto bytes = big_feed();
  ASSERT_GT(bytes.size(), 45u << 20);
  const auto r = parse(bytes, "https://big.example.com/feed.xml");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->episodes.size(), static_cast<std::size_t>(kItems));
  EXPECT_TRUE(r->warnings.empty());
  const auto& first = r->episodes.front();
  EXPECT_EQ(first.key, "big-20000");
  EXPECT_EQ(first.title, "Episode 20000 & friends");
  EXPECT_EQ(first.enclosure_length, 1020000);
  EXPECT_EQ(first.duration_ms, std::optional<Millis>((20000 % 7200) * 1000));
  EXPECT_EQ(first.episode_number, 20000);
  ASSERT_EQ(first.transcripts.size(), 1u);
  EXPECT_EQ(first.transcripts[0].url, "https://cdn.example.com/big/20000.vtt");
  EXPECT_TRUE(first.content_html.starts_with("<h2>Episode 20000</h2>"));
  EXPECT_EQ(first.description, first.content_html);
  const auto& last = r->episodes.back();
  EXPECT_EQ(last.key, "big-1");
  EXPECT_EQ(format_iso8601(*last.published_at), "2024-01-01T00:00:00Z");
}

}  // namespace
}  // namespace hark::feed
