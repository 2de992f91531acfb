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

}  // namespace
}  // namespace hark::text
