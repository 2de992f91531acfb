#include "core/text.hpp"

#include <gtest/gtest.h>

namespace hark::text {
namespace {

TEST(Text, TrimAndCollapse) {
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(collapse_whitespace("  a \n\t b  "), "a b");
  EXPECT_EQ(collapse_whitespace(""), "");
}

TEST(Text, CaseHelpers) {
  EXPECT_TRUE(iequals("Content-Type", "content-type"));
  EXPECT_FALSE(iequals("abc", "abcd"));
  EXPECT_TRUE(starts_with_icase("HTTPS://x", "https://"));
  EXPECT_EQ(to_lower_ascii("AbC"), "abc");
}

TEST(Text, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9"));
  EXPECT_FALSE(is_valid_utf8("caf\xE9"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));  // overlong '/'
  EXPECT_EQ(sanitize_utf8("a\xE9z"), "a\xEF\xBF\xBDz");
}

TEST(Text, TruncateNeverSplitsACharacter) {
  const std::string s = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";  // four é
  const auto t = truncate_utf8(s, 6);
  EXPECT_TRUE(is_valid_utf8(t));
  EXPECT_LE(t.size(), 6u);
  EXPECT_EQ(truncate_utf8("short", 10), "short");
}

TEST(Text, EscapeHtml) {
  EXPECT_EQ(escape_html("a<b> & \"c\""), "a&lt;b&gt; &amp; \"c\"");
  EXPECT_EQ(escape_html("say \"hi\"", /*attribute=*/true), "say &quot;hi&quot;");
  EXPECT_EQ(escape_html(std::string("a\0b", 3)), "ab");
}

TEST(Text, Split) {
  EXPECT_EQ(split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
}

TEST(Text, HtmlWithinDepthCutsBeforeTheTagTooDeep) {
  std::string html = "<p>kept</p>";
  for (int i = 0; i < 10; ++i) html += "<b>";
  EXPECT_EQ(html_within_depth(html, 4), "<p>kept</p><b><b><b><b>");
  EXPECT_EQ(html_within_depth(html, 10), html);
}

TEST(Text, HtmlWithinDepthKeepsLongFlatDocumentsWhole) {
  std::string html = "<html><body><div>";
  // End tags, void and self-closing tags and implicitly closed siblings add no depth; neither do
  // comments, doctype or a "<" in text.
  for (int i = 0; i < 20'000; ++i)
    html += "<span class=x>a < b</span><br><img src=i /><p>para<li>item<!-- note --><td>c";
  html += "</div></body></html>";
  // <html><body><div> and one <span> at a time: four levels.
  EXPECT_EQ(html_within_depth("<!DOCTYPE html>" + html, 4).size(), html.size() + 15);
  EXPECT_EQ(html_within_depth(html, 4).size(), html.size());
  EXPECT_EQ(html_within_depth(html, 3).size(), 17U);  // cut before the first <span>
}

TEST(Text, HtmlWithinDepthHandlesTruncatedTags) {
  EXPECT_EQ(html_within_depth("<b><i", 1), "<b><i");
  EXPECT_EQ(html_within_depth("text <", 1), "text <");
  EXPECT_EQ(html_within_depth("<B><I><U>x", 2), "<B><I>");
}

}  // namespace
}  // namespace hark::text
