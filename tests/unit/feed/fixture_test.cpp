// Runs every feed fixture in tests/fixtures/feeds: NAME.xml is parsed and compared with
// NAME.expected.json. A new bug becomes a new fixture pair; no code change needed.
//
// Expected file keys: "base_url" (input: the URL the feed is parsed as coming from),
// "error" (the parse must fail with InvalidInput and a message containing this text), or any
// subset of the JSON in feed_json.hpp.
#include <gtest/gtest.h>

#include "feed/feed.hpp"
#include "feed_json.hpp"
#include "fixture_support.hpp"

namespace hark::feed {
namespace {

using namespace testing;  // fixture_support.hpp and feed_json.hpp: the fixture helpers

const auto kDir = fixture_dir("feeds");

class FeedFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(FeedFixture, MatchesExpected) {
  const auto name = GetParam();
  auto want = read_expected(kDir, name);
  const auto xml_path = kDir / (name + ".xml");
  ASSERT_TRUE(std::filesystem::exists(xml_path)) << xml_path << " is missing";

  const auto result = parse(read_file(xml_path), want.value("base_url", std::string()));
  if (expected_error_checked(want, result, name)) return;
  ASSERT_TRUE(result.has_value()) << name << " failed: " << result.error().message;
  want.erase("base_url");
  expect_matches(want, to_json(*result), name);
}

INSTANTIATE_TEST_SUITE_P(Feeds, FeedFixture, ::testing::ValuesIn(fixture_names(kDir)),
                         fixture_test_name);

// Every .xml fixture has an expected result, so none is silently skipped.
TEST(FeedFixtures, EveryFixtureHasAnExpectation) {
  for (const auto& file : inputs_without_expectation(kDir, {".xml"}))
    ADD_FAILURE() << file << " has no .expected.json";
}

}  // namespace
}  // namespace hark::feed
