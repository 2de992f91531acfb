// Podcasting 2.0 JSON chapters: every file in tests/fixtures/chapters (NAME.json, compared with
// NAME.expected.json), plus the clean-up and choice rules that all chapter sources share.
//
// Expected file keys: "chapters" (each element compared on the keys it names, as in
// feed_json.hpp's diff) or "error" (parsing must fail with InvalidInput and a message
// containing this text).
#include "feed/chapters.hpp"

#include <gtest/gtest.h>

#include "feed_json.hpp"
#include "fixture_support.hpp"

namespace hark::feed {
namespace {

using namespace testing;  // fixture_support.hpp and feed_json.hpp: the fixture helpers

const auto kDir = fixture_dir("chapters");

class ChaptersFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ChaptersFixture, MatchesExpected) {
  const auto name = GetParam();
  const auto expected = read_expected(kDir, name);
  const auto input = kDir / (name + ".json");
  ASSERT_TRUE(std::filesystem::exists(input)) << input << " is missing";

  const auto result = parse_chapters_json(read_file(input));
  if (expected_error_checked(expected, result, name)) return;
  ASSERT_TRUE(result.has_value()) << name << " failed: " << result.error().message;
  expect_matches(expected, {{"chapters", to_json(*result)}}, name);
}

INSTANTIATE_TEST_SUITE_P(Chapters, ChaptersFixture, ::testing::ValuesIn(fixture_names(kDir)),
                         fixture_test_name);

TEST(ChaptersFixtures, EveryInputHasAnExpectation) {
  for (const auto& file : inputs_without_expectation(kDir, {".json"}))
    ADD_FAILURE() << file << " has no .expected.json";
}

Chapter chapter(Millis start, std::string title, std::string source = "publisher") {
  Chapter c;
  c.start_ms = start;
  c.title = std::move(title);
  c.source = std::move(source);
  return c;
}

std::vector<Millis> starts(const std::vector<Chapter>& chapters) {
  std::vector<Millis> out;
  for (const auto& c : chapters) out.push_back(c.start_ms);
  return out;
}

std::vector<std::optional<Millis>> ends(const std::vector<Chapter>& chapters) {
  std::vector<std::optional<Millis>> out;
  for (const auto& c : chapters) out.push_back(c.end_ms);
  return out;
}

TEST(FinalizeChapters, SortsStablyAndFillsEndsFromTheNextStartAndTheDuration) {
  std::vector<Chapter> cs = {chapter(60'000, "B"), chapter(0, "A"), chapter(60'000, "B2")};
  finalize_chapters(cs, 100'000);
  EXPECT_EQ(starts(cs), (std::vector<Millis>{0, 60'000, 60'000}));
  EXPECT_EQ(cs[1].title, "B");  // equal starts keep their order
  EXPECT_EQ(cs[2].title, "B2");
  // Chapters sharing a start end at the next *later* start, not where they begin.
  EXPECT_EQ(ends(cs), (std::vector<std::optional<Millis>>{60'000, 100'000, 100'000}));
}

TEST(FinalizeChapters, WithoutDurationTheLastEndStaysOpen) {
  std::vector<Chapter> cs = {chapter(0, "A"), chapter(30'000, "B")};
  finalize_chapters(cs, std::nullopt);
  EXPECT_EQ(ends(cs), (std::vector<std::optional<Millis>>{30'000, std::nullopt}));
  auto zero = cs;
  finalize_chapters(zero, 0);  // itunes:duration 0 means "unknown"
  EXPECT_EQ(zero, cs);
}

TEST(FinalizeChapters, DropsDuplicatesAndChaptersOutsideTheEpisode) {
  std::vector<Chapter> cs = {chapter(0, "A"),         chapter(10'000, "B"),
                             chapter(0, "A"),         chapter(10'000, "B"),
                             chapter(-5, "Before"),   chapter(90'000, "At the end"),
                             chapter(95'000, "After")};
  finalize_chapters(cs, 90'000);
  EXPECT_EQ(starts(cs), (std::vector<Millis>{0, 10'000}));
  EXPECT_EQ(ends(cs), (std::vector<std::optional<Millis>>{10'000, 90'000}));
}

TEST(FinalizeChapters, KeepsChaptersThatDifferInAnyField) {
  auto marker = chapter(0, "A");
  marker.toc = false;
  auto linked = chapter(0, "A");
  linked.url = "https://example.com/a";
  auto ends_early = chapter(0, "A");
  ends_early.end_ms = 1'000;
  std::vector<Chapter> cs = {
      chapter(0, "A"), marker, linked, ends_early, chapter(0, "A", "embedded"), chapter(0, "A")};
  finalize_chapters(cs, 5'000);
  EXPECT_EQ(cs.size(), 5U);
}

TEST(FinalizeChapters, KeepsGivenEndsButNotImpossibleOnes) {
  std::vector<Chapter> cs = {chapter(0, "A"), chapter(10'000, "B"), chapter(20'000, "C")};
  cs[0].end_ms = 8'000;    // a gap (an ad outside any chapter) is the publisher's call
  cs[1].end_ms = 10'000;   // not after its start: recomputed
  cs[2].end_ms = 500'000;  // past the end: clamped
  finalize_chapters(cs, 60'000);
  EXPECT_EQ(ends(cs), (std::vector<std::optional<Millis>>{8'000, 20'000, 60'000}));
}

TEST(FinalizeChapters, IsIdempotent) {
  std::vector<Chapter> cs = {chapter(5'000, "B"), chapter(0, "A"), chapter(0, "A")};
  finalize_chapters(cs, 20'000);
  auto again = cs;
  finalize_chapters(again, 20'000);
  EXPECT_EQ(again, cs);
}

TEST(ChapterList, NeedsTwoTableOfContentsChapters) {
  EXPECT_FALSE(is_chapter_list({}));
  EXPECT_FALSE(is_chapter_list({chapter(0, "Episode")}));
  auto marker = chapter(5'000, "");
  marker.toc = false;
  EXPECT_FALSE(is_chapter_list({chapter(0, "Episode"), marker}));
  EXPECT_TRUE(is_chapter_list({chapter(0, "A"), chapter(5'000, "B")}));
}

TEST(BestChapters, PrefersTheMostTrustedSourceWithARealList) {
  const std::vector<Chapter> publisher = {chapter(0, "P1"), chapter(9'000, "P2")};
  const std::vector<Chapter> embedded = {chapter(0, "E1", "embedded"),
                                         chapter(8'000, "E2", "embedded")};
  const std::vector<Chapter> notes = {chapter(0, "N1", "shownotes"),
                                      chapter(7'000, "N2", "shownotes")};
  const std::vector<Chapter> generated = {chapter(0, "G1", "generated"),
                                          chapter(6'000, "G2", "generated")};
  EXPECT_EQ(best_chapters({generated, notes, embedded, publisher}), publisher);
  EXPECT_EQ(best_chapters({generated, notes, embedded}), embedded);
  EXPECT_EQ(best_chapters({generated, notes}), notes);
  EXPECT_EQ(best_chapters({generated}), generated);
  // A lone "Episode" chapter from the publisher does not hide the show notes' list.
  EXPECT_EQ(best_chapters({{chapter(0, "Episode")}, {}, notes}), notes);
  EXPECT_TRUE(best_chapters({{chapter(0, "Episode")}, {}}).empty());
  EXPECT_TRUE(best_chapters({}).empty());
}

TEST(BestChapters, UnknownSourcesRankLastAndTiesGoToTheFirst) {
  const std::vector<Chapter> odd = {chapter(0, "X1", "somewhere"),
                                    chapter(1'000, "X2", "somewhere")};
  const std::vector<Chapter> generated = {chapter(0, "G1", "generated"),
                                          chapter(6'000, "G2", "generated")};
  auto generated_too = generated;
  generated_too[0].title = "G1 again";
  EXPECT_EQ(best_chapters({odd, generated}), generated);
  EXPECT_EQ(best_chapters({generated_too, generated}), generated_too);
  EXPECT_EQ(chapter_source_rank("publisher"), 0U);
  EXPECT_EQ(chapter_source_rank("somewhere"), kChapterSourcesByTrust.size());
}

}  // namespace
}  // namespace hark::feed
