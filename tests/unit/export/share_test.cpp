#include "export/share.hpp"

#include <gtest/gtest.h>

#include "export/links.hpp"

namespace hark::exports {
namespace {

const std::string kLink = "https://hark.example.org/s/Zk3xQ9pLmN2rT8vW";

TEST(Share, ShortTextIsKeptWhole) {
  const auto s = share_intents({"Why tea calms", "Theanine slows the caffeine.", kLink});
  EXPECT_EQ(s.tweet_text, "Why tea calms\n\nTheanine slows the caffeine.");
  EXPECT_EQ(s.twitter_url,
            "https://twitter.com/intent/tweet?text=Why%20tea%20calms%0A%0ATheanine%20slows%20the%"
            "20caffeine.&url=" +
                percent_encode(kLink));
  EXPECT_EQ(s.whatsapp_text, "Why tea calms\n\nTheanine slows the caffeine.\n\n" + kLink);
  EXPECT_EQ(s.whatsapp_url, "https://wa.me/?text=" + percent_encode(s.whatsapp_text));
}

TEST(Share, TweetFitsIn280WithTheLinkCountedAs23) {
  std::string summary;
  for (int i = 0; i < 80; ++i) summary += "word" + std::to_string(i) + " ";
  // A link far longer than 23 characters still counts 23.
  const std::string long_link = "https://hark.example.org/s/" + std::string(200, 'a');
  const auto s = share_intents({"A title", summary, long_link});
  const std::size_t total = tweet_weight(s.tweet_text) + 1 + kTweetLinkWeight;
  EXPECT_LE(total, kTweetMaxWeight);
  EXPECT_GE(total, kTweetMaxWeight - 12);  // the room is used, up to the last whole word
  EXPECT_TRUE(s.tweet_text.starts_with("A title\n\nword0 word1"));
  EXPECT_TRUE(s.tweet_text.ends_with("…"));
  EXPECT_EQ(s.tweet_text.find("word7 …"), std::string::npos);  // no dangling space
  EXPECT_LE(s.whatsapp_text.size(), kWhatsAppMaxChars + 8);
}

TEST(Share, WideCharactersWeighTwo) {
  EXPECT_EQ(tweet_weight("abc"), 3u);
  EXPECT_EQ(tweet_weight("é—"), 2u);
  EXPECT_EQ(tweet_weight("茶"), 2u);
  EXPECT_EQ(tweet_weight("🍵"), 2u);
  const std::string cjk(600, 'x');
  std::string tea;
  for (int i = 0; i < 300; ++i) tea += "茶";
  const auto s = share_intents({tea, "", kLink});
  EXPECT_LE(tweet_weight(s.tweet_text) + 1 + kTweetLinkWeight, kTweetMaxWeight);
  EXPECT_TRUE(s.tweet_text.ends_with("…"));
}

TEST(Share, NoLinkUsesTheWholeBudget) {
  const auto s = share_intents({std::string(300, 'a'), "", ""});
  EXPECT_EQ(tweet_weight(s.tweet_text), kTweetMaxWeight);
  EXPECT_EQ(s.twitter_url.find("&url="), std::string::npos);
}

}  // namespace
}  // namespace hark::exports
