// Runs every feed fixture in tests/fixtures/feeds: NAME.xml is parsed and compared with
// NAME.expected.json. A new bug becomes a new fixture pair; no code change needed.
//
// Expected file keys: "base_url" (input: the URL the feed is parsed as coming from),
// "error" (the parse must fail with InvalidInput and a message containing this text), or any
// subset of the JSON in feed_json.hpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "feed/feed.hpp"
#include "feed_json.hpp"

namespace hark::feed {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(HARK_FIXTURES) / "feeds";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> fixture_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    const auto name = entry.path().filename().string();
    if (name.ends_with(".expected.json")) names.push_back(name.substr(0, name.size() - 14));
  }
  std::sort(names.begin(), names.end());
  return names;
}

class FeedFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(FeedFixture, MatchesExpected) {
  const auto name = GetParam();
  const auto expected = nlohmann::json::parse(read_file(kDir / (name + ".expected.json")));
  const auto xml_path = kDir / (name + ".xml");
  ASSERT_TRUE(fs::exists(xml_path)) << xml_path << " is missing";

  const auto result = parse(read_file(xml_path), expected.value("base_url", std::string()));
  if (expected.contains("error")) {
    ASSERT_FALSE(result.has_value())
        << name << " parsed, but should fail with: " << expected["error"];
    EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
    EXPECT_NE(result.error().message.find(expected["error"].get<std::string>()), std::string::npos)
        << "message: " << result.error().message;
    return;
  }
  ASSERT_TRUE(result.has_value()) << name << " failed: " << result.error().message;
  auto want = expected;
  want.erase("base_url");
  const auto actual = testing::to_json(*result);
  const auto differences = testing::diff(want, actual);
  for (const auto& d : differences) ADD_FAILURE() << name << ": " << d;
  if (!differences.empty() && std::getenv("HARK_DUMP_ACTUAL")) std::cerr << actual.dump(2) << "\n";
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  std::replace_if(
      s.begin(), s.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return s;
}

INSTANTIATE_TEST_SUITE_P(Feeds, FeedFixture, ::testing::ValuesIn(fixture_names()), test_name);

// Every .xml fixture has an expected result, so none is silently skipped.
TEST(FeedFixtures, EveryFixtureHasAnExpectation) {
  for (const auto& entry : fs::directory_iterator(kDir)) {
    const auto p = entry.path();
    if (p.extension() != ".xml") continue;
    auto expected = p;
    expected.replace_extension(".expected.json");
    EXPECT_TRUE(fs::exists(expected)) << p.filename() << " has no .expected.json";
  }
}

}  // namespace
}  // namespace hark::feed
