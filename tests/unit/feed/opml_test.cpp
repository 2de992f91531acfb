#include "feed/opml.hpp"

#include <gtest/gtest.h>

namespace hark::feed {
namespace {

TEST(ParseOpml, NestedOutlinesAtAnyDepthInDocumentOrder) {
  const auto r = parse_opml(R"(<?xml version="1.0"?>
<opml version="1.0"><head><title>Subs</title></head><body>
  <outline text="Tech">
    <outline text="Deep">
      <outline text="Deeper"><outline type="rss" text="Three" xmlUrl="https://3.example/feed"/></outline>
    </outline>
    <outline text="One" title="One Title" type="rss" xmlUrl="https://1.example/feed" htmlUrl="https://1.example/"/>
  </outline>
  <outline text="Two" xmlurl="https://2.example/feed"/>
  <outline text="Shouting" XMLURL="https://4.example/feed"/>
  <outline text="A folder without feeds"/>
</body></opml>)");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].xml_url, "https://3.example/feed");
  EXPECT_EQ((*r)[1].title, "One Title");
  EXPECT_EQ((*r)[1].html_url, "https://1.example/");
  EXPECT_EQ((*r)[2].title, "Two");
  EXPECT_EQ((*r)[3].xml_url, "https://4.example/feed");
}

TEST(ParseOpml, DedupesByUrlIgnoringSchemeAndHostCase) {
  const auto r = parse_opml(
      "<opml><body><outline text=\"a\" xmlUrl=\"https://X.example/feed\"/>"
      "<outline text=\"b\" xmlUrl=\"HTTPS://x.example/feed\"/>"
      "<outline text=\"c\" xmlUrl=\"https://x.example/FEED\"/></body></opml>");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].title, "a");
  EXPECT_EQ((*r)[1].title, "c");
}

TEST(ParseOpml, HtmlEntitiesAndBareAmpersands) {
  const auto r = parse_opml(
      "<opml><body><outline text=\"Caf&eacute; &amp; Tom & Jerry\" "
      "xmlUrl=\"https://x.example/feed?a=1&b=2\"/></body></opml>");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].title, "Café & Tom & Jerry");
  EXPECT_EQ((*r)[0].xml_url, "https://x.example/feed?a=1&b=2");
}

TEST(ParseOpml, ClearErrorsForWhatIsNotOpml) {
  const auto feed = parse_opml("<rss version=\"2.0\"><channel/></rss>");
  ASSERT_FALSE(feed);
  EXPECT_NE(feed.error().message.find("podcast feed, not an OPML"), std::string::npos);
  const auto other = parse_opml("<root/>");
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("not OPML (its root element is <root>)"), std::string::npos);
  const auto html = parse_opml("<!DOCTYPE html><html><title>Login</title></html>");
  ASSERT_FALSE(html);
  EXPECT_NE(html.error().message.find("web page"), std::string::npos) << html.error().message;
  const auto empty = parse_opml("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::InvalidInput);
}

TEST(WriteOpml, RoundTripWithCharactersThatNeedEscaping) {
  const std::vector<OpmlEntry> in = {
      {"Tom & Jerry <live> \"quoted\" 'single'", "https://x.example/feed?a=1&b=2",
       "https://x.example/"},
      {"Ünïcödé — 日本語", "https://y.example/rss", ""},
  };
  const auto xml = write_opml(in, "My <list>");
  EXPECT_TRUE(
      xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
  EXPECT_NE(xml.find("<title>My &lt;list&gt;</title>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("type=\"rss\""), std::string::npos);
  const auto back = parse_opml(xml);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->size(), 2u);
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ((*back)[i].title, in[i].title);
    EXPECT_EQ((*back)[i].xml_url, in[i].xml_url);
    EXPECT_EQ((*back)[i].html_url, in[i].html_url);
  }
}

TEST(WriteOpml, InvalidUtf8IsReplacedSoOutputStaysWellFormed) {
  const auto xml = write_opml({{"bad \xff byte", "https://z.example/f", ""}});
  const auto back = parse_opml(xml);
  ASSERT_TRUE(back);
  EXPECT_EQ((*back)[0].title, "bad \xEF\xBF\xBD byte");
}

}  // namespace
}  // namespace hark::feed
