// Chapters from show notes: every NAME.html / NAME.txt in tests/fixtures/show_notes is read
// with the duration in NAME.expected.json and compared with it; the sample podcast's show notes
// must agree with its chapters files; and each timestamp style is checked line by line.
//
// Expected file keys: "duration_ms" (input, null = unknown), "about" (what the fixture is
// for), "chapters" (each element compared on the keys it names) and optionally "lines" (what
// show_notes_lines must return).
#include "feed/show_notes.hpp"

#include <gtest/gtest.h>

#include "feed/chapters.hpp"
#include "feed/feed.hpp"
#include "feed_json.hpp"
#include "fixture_support.hpp"

namespace hark::feed {
namespace {

namespace fs = std::filesystem;
using namespace testing;  // fixture_support.hpp and feed_json.hpp: the fixture helpers

const auto kDir = fixture_dir("show_notes");

fs::path input_of(const std::string& name) {
  const auto html = kDir / (name + ".html");
  return fs::exists(html) ? html : kDir / (name + ".txt");
}

class ShowNotesFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ShowNotesFixture, MatchesExpected) {
  const auto name = GetParam();
  auto want = read_expected(kDir, name);
  const auto input_path = input_of(name);
  ASSERT_TRUE(fs::exists(input_path)) << name << ".html or .txt is missing";
  ASSERT_TRUE(want.contains("duration_ms")) << name << ": say which duration to use (or null)";
  const auto input = read_file(input_path);

  std::optional<Millis> duration;
  if (!want["duration_ms"].is_null()) duration = want["duration_ms"].get<Millis>();
  nlohmann::json actual = {{"chapters", to_json(chapters_from_show_notes(input, duration))}};
  if (want.contains("lines")) actual["lines"] = show_notes_lines(input);
  want.erase("duration_ms");
  want.erase("about");
  expect_matches(want, actual, name);
}

INSTANTIATE_TEST_SUITE_P(ShowNotes, ShowNotesFixture, ::testing::ValuesIn(fixture_names(kDir)),
                         fixture_test_name);

TEST(ShowNotesFixtures, EveryInputHasAnExpectation) {
  for (const auto& file : inputs_without_expectation(kDir, {".html", ".txt"}))
    ADD_FAILURE() << file << " has no .expected.json";
}

// The sample podcast writes each episode's chapters twice: as podcast:chapters JSON and as an
// "[MM:SS] Title" list in content:encoded. Read through the real feed parser, both must give
// the same titles and the same starts to the second (the list is written in whole seconds).
TEST(ShowNotesSample, AgreesWithThePublishersChapters) {
  const auto feed = parse(read_file(kDir / "sample" / "feed.xml"));
  ASSERT_TRUE(feed.has_value()) << feed.error().message;
  ASSERT_EQ(feed->episodes.size(), 3U);
  for (const auto& episode : feed->episodes) {
    const auto file = kDir / "sample" / fs::path(episode.chapters_url).filename();
    const auto published = parse_chapters_json(read_file(file));
    ASSERT_TRUE(published.has_value()) << file << ": " << published.error().message;
    const auto notes = chapters_from_show_notes(episode.content_html, episode.duration_ms);
    ASSERT_EQ(notes.size(), published->size()) << episode.title;
    for (std::size_t i = 0; i < notes.size(); ++i) {
      EXPECT_EQ(notes[i].start_ms, (*published)[i].start_ms / 1000 * 1000)
          << episode.title << ", chapter " << i;
      EXPECT_EQ(notes[i].title, (*published)[i].title) << episode.title << ", chapter " << i;
    }
    EXPECT_EQ(notes.back().end_ms, episode.duration_ms) << episode.title;
  }
}

std::optional<TimestampedLine> line(std::string_view text) {
  return parse_timestamped_line(text);
}

TimestampedLine at(Millis ms, std::string title, bool trailing = false) {
  return {ms, std::move(title), trailing};
}

TEST(TimestampedLine, ReadsEveryLeadingStyle) {
  EXPECT_EQ(line("[00:00] Intro"), at(0, "Intro"));
  EXPECT_EQ(line("00:00 - Intro"), at(0, "Intro"));
  EXPECT_EQ(line("00:00 \u2013 Intro"), at(0, "Intro"));
  EXPECT_EQ(line("00:00 \u2014 Intro"), at(0, "Intro"));
  EXPECT_EQ(line("(1:02:03) Topic"), at(3'723'000, "Topic"));
  EXPECT_EQ(line("* [12:30] Topic"), at(750'000, "Topic"));
  EXPECT_EQ(line("- 12:30 Topic"), at(750'000, "Topic"));
  EXPECT_EQ(line("\u2022 12:30 Topic"), at(750'000, "Topic"));
  EXPECT_EQ(line("1. 00:00 Intro"), at(0, "Intro"));
  EXPECT_EQ(line("12) 00:00 Intro"), at(0, "Intro"));
  EXPECT_EQ(line("12:30: Topic"), at(750'000, "Topic"));
  EXPECT_EQ(line("0:00:00 Intro"), at(0, "Intro"));
  EXPECT_EQ(line("01:00:00 | Hour one"), at(3'600'000, "Hour one"));
  EXPECT_EQ(line("**00:05** Bold time"), at(5'000, "Bold time"));
  EXPECT_EQ(line("\U0001F399 00:00 Intro"), at(0, "Intro"));
}

TEST(TimestampedLine, ReadsTrailingStyles) {
  EXPECT_EQ(line("Topic - 12:30"), at(750'000, "Topic", true));
  EXPECT_EQ(line("Topic (12:30)"), at(750'000, "Topic", true));
  EXPECT_EQ(line("Topic [1:02:03]."), at(3'723'000, "Topic", true));
  EXPECT_EQ(line("3. Topic \u2013 12:30"), at(750'000, "Topic", true));
}

TEST(TimestampedLine, TrimsTitles) {
  EXPECT_EQ(line("[00:00] [Intro]"), at(0, "Intro"));
  EXPECT_EQ(line("00:00 - 05:00 Intro"), at(0, "Intro"));  // a range keeps its start
  EXPECT_EQ(line("00:00\u00a0Intro"), at(0, "Intro"));     // no-break space
  EXPECT_EQ(line("00:00   Part (1) and (2)  "), at(0, "Part (1) and (2)"));
  EXPECT_EQ(line("00:00 C++ - "), at(0, "C++"));
}

TEST(TimestampedLine, RejectsWhatIsNotAChapterLine) {
  EXPECT_EQ(line("we talked about the 1:30 train"), std::nullopt);
  EXPECT_EQ(line("at 12:30pm we met"), std::nullopt);
  EXPECT_EQ(line("12:30"), std::nullopt);  // no title
  EXPECT_EQ(line("[12:30] - "), std::nullopt);
  EXPECT_EQ(line("v1.12:30 released"), std::nullopt);
  EXPECT_EQ(line("1:75 seconds"), std::nullopt);      // seconds past 59
  EXPECT_EQ(line("1:60:00 Topic"), std::nullopt);     // minutes past 59 after hours
  EXPECT_EQ(line("12:30.5 Topic"), std::nullopt);     // a fraction, not a chapter time
  EXPECT_EQ(line("2023 12:30 Topic"), std::nullopt);  // a year is not numbering
  EXPECT_EQ(line("123:45 Topic"), std::nullopt);
  EXPECT_EQ(line(""), std::nullopt);
}

TEST(ShowNotesLines, BlocksAndBreaksEndLinesInlineRunsOn) {
  EXPECT_EQ(show_notes_lines("<p>a <b>bold</b> <i>move</i></p><div>b<br>c</div><h2>d</h2>e"),
            (std::vector<std::string>{"a bold move", "b", "c", "d", "e"}));
  EXPECT_EQ(show_notes_lines("<ul>\n <li> one </li>\n <li>two</li>\n</ul>"),
            (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(show_notes_lines("<p>x</p><script>var t = '00:00 no';</script><style>p{}</style>"),
            (std::vector<std::string>{"x"}));
  EXPECT_EQ(show_notes_lines("<pre>00:00 a\n01:00 b</pre>"),
            (std::vector<std::string>{"00:00 a", "01:00 b"}));
}

TEST(ShowNotesLines, PlainTextSplitsOnNewlinesAndDecodesEntities) {
  EXPECT_EQ(show_notes_lines("a &amp; b\r\n\r\n  c < d  \n"),
            (std::vector<std::string>{"a & b", "c < d"}));
  EXPECT_EQ(show_notes_lines("bad \xff byte"), (std::vector<std::string>{"bad \uFFFD byte"}));
}

// gumbo is quadratic in nesting depth; without the depth bound this takes many minutes and
// gigabytes. Text past the bound is not read.
TEST(ShowNotesLines, ReadsOnlyTheFirstTagsOfAHostileDocument) {
  std::string html = "<p>00:00 Intro</p>";
  for (int i = 0; i < 200'000; ++i) html += "<b>";
  html += "01:00 Deep";
  EXPECT_EQ(show_notes_lines(html), (std::vector<std::string>{"00:00 Intro"}));
}

TEST(ShowNotesLines, ReadsALongFlatDocumentWhole) {
  std::string html;
  for (int i = 0; i < 1'000; ++i) html += "<li>" + std::to_string(i) + "</li>";
  html += "<p>end</p>";
  const auto lines = show_notes_lines(html);
  ASSERT_EQ(lines.size(), 1'001U);
  EXPECT_EQ(lines.back(), "end");
}

TEST(ChaptersFromShowNotes, RecordsTheSource) {
  const auto chapters = chapters_from_show_notes("00:00 A\n01:00 B\n", std::nullopt);
  ASSERT_EQ(chapters.size(), 2U);
  EXPECT_EQ(chapters[0].source, "shownotes");
  EXPECT_EQ(chapters[1].end_ms, std::nullopt);
  EXPECT_TRUE(chapters_from_show_notes("", 60'000).empty());
}

}  // namespace
}  // namespace hark::feed
