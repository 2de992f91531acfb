// Behaviour of feed::parse that is clearer as code than as fixtures: what kind of document
// a body is, billion-laughs variants, warning caps, error wording.
#include <gtest/gtest.h>

#include <string>

#include "feed/feed.hpp"

namespace hark::feed {
namespace {

std::string rss(const std::string& items, const std::string& channel_extra = {}) {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>" + channel_extra +
         items + "</channel></rss>";
}

std::string item(int n) {
  return "<item><title>E" + std::to_string(n) + "</title><guid>g" + std::to_string(n) +
         "</guid><enclosure url=\"https://x.example/" + std::to_string(n) +
         ".mp3\" type=\"audio/mpeg\" length=\"1\"/></item>";
}

std::string error_of(std::string_view body) {
  const auto r = parse(body);
  if (r) return "(parsed)";
  EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
  return r.error().message;
}

bool mentions(const std::string& message, std::string_view part) {
  return message.find(part) != std::string::npos;
}

TEST(HtmlPageDetection, DoctypeHtml) {
  const auto m = error_of("<!doctype HTML><html><head><title>Welcome</title></head></html>");
  EXPECT_TRUE(mentions(m, "returned a web page (title: 'Welcome'), not a podcast feed")) << m;
}

TEST(HtmlPageDetection, HtmlRootWithoutDoctype) {
  const auto m = error_of("\n  <html><body><h1>500 Internal Server Error</h1></body></html>");
  EXPECT_TRUE(mentions(m, "returned a web page, not a podcast feed — check the feed address")) << m;
}

TEST(HtmlPageDetection, XhtmlWithXmlDeclaration) {
  const auto m = error_of(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
      "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n<html "
      "xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>Moved</title></head></html>");
  EXPECT_TRUE(mentions(m, "title: 'Moved'")) << m;
}

TEST(HtmlPageDetection, CloudflareAttentionRequired) {
  const auto m = error_of(
      "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
      "<body><div class=\"cf-error-details\">Sorry, you have been blocked</div></body></html>");
  EXPECT_TRUE(mentions(m, "bot check")) << m;
  EXPECT_TRUE(mentions(m, "Attention Required! | Cloudflare")) << m;
}

TEST(HtmlPageDetection, ErrorPageAfterJunkIsStillHtml) {
  const auto m = error_of("Status: 404\r\n\r\n<html><title>Gone</title></html>");
  EXPECT_TRUE(mentions(m, "title: 'Gone'")) << m;
}

TEST(HtmlPageDetection, FeedWhoseTextMentionsHtmlIsAFeed) {
  const auto r =
      parse(rss(item(1), "<description>&lt;html&gt; &lt;!DOCTYPE html&gt;</description>"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->podcast.description, "<html> <!DOCTYPE html>");
}

TEST(NotAFeed, PlainText) {
  const auto m = error_of("Service temporarily unavailable. Please try again later.");
  EXPECT_TRUE(mentions(m, "not XML")) << m;
  EXPECT_TRUE(mentions(m, "Service temporarily unavailable")) << m;
}

TEST(NotAFeed, RssWithoutChannel) {
  EXPECT_TRUE(mentions(error_of("<rss version=\"2.0\"></rss>"), "no <channel>"));
}

TEST(BillionLaughs, RootThatIsNotAFeedFailsFastWithoutExpansion) {
  std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  for (int i = 1; i <= 9; ++i) {
    doc += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k)
      doc += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    doc += "\">";
  }
  doc += "]><lolz>&lol9;</lolz>";
  const auto m = error_of(doc);
  EXPECT_TRUE(mentions(m, "root element is <lolz>")) << m;
}

TEST(BillionLaughs, EntityReferencesStayLiteralAndSmall) {
  // Thousands of references to a nested entity: expanded, this would be gigabytes.
  std::string refs;
  for (int i = 0; i < 5000; ++i) refs += "&lol9;";
  const std::string doc =
      "<!DOCTYPE rss [<!ENTITY lol \"lol\"><!ENTITY lol9 \"&lol;&lol;&lol;\">]>" +
      rss(item(1), "<description>" + refs + "</description>");
  const auto r = parse(doc);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->podcast.description, refs);  // exactly as written, not one byte more
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_TRUE(mentions(r->warnings[0], "never expands"));
}

TEST(Warnings, PerItemWarningsAreCapped) {
  std::string items;
  for (int i = 0; i < 40; ++i)
    items += "<item><title>Post " + std::to_string(i) + "</title></item>";
  items += item(1);
  const auto r = parse(rss(items));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->episodes.size(), 1u);
  ASSERT_EQ(r->warnings.size(), 6u);
  EXPECT_TRUE(mentions(r->warnings[0], "item 1 ('Post 0') has no enclosure"));
  EXPECT_TRUE(mentions(r->warnings[5], "and 35 more warnings of the same kind"));
}

TEST(Warnings, CleanFeedHasNone) {
  const auto r = parse(rss(item(1) + item(2)));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->warnings.empty());
  EXPECT_EQ(r->episodes.size(), 2u);
}

TEST(Errors, NameTheLineOfUnrecoverableXml) {
  const auto m = error_of("<?xml version=\"1.0\"?>\n<rss>\n<channel>\n<title a=b>x</title>");
  EXPECT_TRUE(mentions(m, "line 4")) << m;
  EXPECT_TRUE(mentions(m, "attribute")) << m;
}

TEST(Errors, LineNumbersCountSkippedJunk) {
  const auto m = error_of("junk\njunk\n<rss>\n<channel>\n</rss>");
  EXPECT_TRUE(mentions(m, "line 5")) << m;
}

TEST(Items, NoEpisodesIsNotAnError) {
  const auto r = parse(rss(""));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->episodes.empty());
  EXPECT_EQ(r->podcast.title, "T");
}

TEST(Items, MediaContentStandsInForAMissingEnclosure) {
  const auto r = parse(
      "<rss xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><item><title>M</title>"
      "<media:content url=\"https://m.example/1.mp3\" type=\"audio/mpeg\" fileSize=\"77\"/>"
      "</item></channel></rss>");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->episodes.size(), 1u);
  EXPECT_EQ(r->episodes[0].enclosure_url, "https://m.example/1.mp3");
  EXPECT_EQ(r->episodes[0].enclosure_length, 77);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_TRUE(mentions(r->warnings[0], "media:content"));
}

TEST(Items, UnescapedHtmlInDescriptionIsKeptAsMarkup) {
  const auto r = parse(
      rss("<item><title>H</title><description><p>Hello <b>bold</b> &amp; more</p></description>"
          "<enclosure url=\"https://x.example/h.mp3\"/></item>"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->episodes[0].description, "<p>Hello <b>bold</b> &amp; more</p>");
}

TEST(Items, RdfRss10ItemsBesideTheChannel) {
  const auto r = parse(
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<channel><title>R</title></channel><item><title>I</title>"
      "<dc:date>2003-06-10T04:00:00Z</dc:date>"
      "<enclosure url=\"https://r.example/1.mp3\"/></item></rdf:RDF>");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->episodes.size(), 1u);
  EXPECT_EQ(r->episodes[0].published_at, 1055217600000);
}

TEST(Dates, UnreadableDateIsLeftEmptyWithAWarning) {
  const auto r =
      parse(rss("<item><title>D</title><pubDate>last Tuesday</pubDate><enclosure "
                "url=\"https://x.example/d.mp3\"/></item>"));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->episodes[0].published_at);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_TRUE(mentions(r->warnings[0], "date hark cannot read ('last Tuesday')"));
}

}  // namespace
}  // namespace hark::feed
