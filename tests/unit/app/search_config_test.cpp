// The [search] table of hark.toml: fusion weights, the HNSW query-time candidate list and the
// full-text rank window.
#include "app/search_config.hpp"

#include <gtest/gtest.h>

namespace hark::app {
namespace {

TEST(SearchConfig, DefaultsWithoutATable) {
  SearchConfig c;
  ASSERT_TRUE(apply_search_toml("[network]\ntimeout_seconds = 5\n", "hark.toml", c));
  EXPECT_EQ(c.ef_search, search::HnswOptions::kDefaultEfSearch);
  EXPECT_EQ(c.ef_search, search::HnswOptions{}.ef_search);
  EXPECT_EQ(c.lexical_weight, 1.0);
  EXPECT_EQ(c.rank_window, kDefaultRankWindow);
  EXPECT_EQ(c.rank_window, SearchServiceOptions{}.rank_window);
}

TEST(SearchConfig, ReadsEfSearchAndWeights) {
  SearchConfig c;
  const auto s = apply_search_toml(
      "[search]\nef_search = 300\nlexical_weight = 2.0\nsemantic_weight = 0.5\n", "hark.toml", c);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(c.ef_search, 300);
  EXPECT_EQ(c.lexical_weight, 2.0);
  EXPECT_EQ(c.semantic_weight, 0.5);
}

TEST(SearchConfig, AnEfSearchOutOfRangeNamesTheSettingAndChangesNothing) {
  for (const char* bad : {"[search]\nef_search = 5\n", "[search]\nef_search = 20000\n",
                          "[search]\nef_search = \"high\"\n", "[search]\nef_search = 1.5\n"}) {
    SearchConfig c;
    const auto s = apply_search_toml(bad, "hark.toml", c);
    ASSERT_FALSE(s) << bad;
    EXPECT_NE(s.error().message.find("search.ef_search"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("10–10000"), std::string::npos) << s.error().message;
    EXPECT_EQ(c.ef_search, search::HnswOptions::kDefaultEfSearch);
  }
}

TEST(SearchConfig, RankWindowIsZeroForEveryMatchOrAtLeastAHundred) {
  SearchConfig c;
  ASSERT_TRUE(apply_search_toml("[search]\nrank_window = 0\n", "hark.toml", c));
  EXPECT_EQ(c.rank_window, 0);
  ASSERT_TRUE(apply_search_toml("[search]\nrank_window = 2000\n", "hark.toml", c));
  EXPECT_EQ(c.rank_window, 2000);
  for (const char* bad : {"[search]\nrank_window = 50\n", "[search]\nrank_window = -1\n",
                          "[search]\nrank_window = \"all\"\n"}) {
    SearchConfig d;
    const auto s = apply_search_toml(bad, "hark.toml", d);
    ASSERT_FALSE(s) << bad;
    EXPECT_NE(s.error().message.find("search.rank_window"), std::string::npos) << s.error().message;
    EXPECT_EQ(d.rank_window, kDefaultRankWindow);
  }
}

}  // namespace
}  // namespace hark::app
