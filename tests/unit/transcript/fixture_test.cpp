// Every file in tests/fixtures/transcripts/ (except *.expected.json) is parsed and
// compared with NAME.expected.json: either the transcript (segments, speakers, warning
// substrings) or {"error": [substrings]}. Adding a case is adding two files.
#include <gtest/gtest.h>

#include <algorithm>

#include "support.hpp"
#include "transcript/emit.hpp"
#include "transcript/parse.hpp"

namespace hark::transcript {
namespace {

using nlohmann::json;
using testing::clock;
using testing::diff_items;
using testing::fixture_dir;
using testing::read_file;

bool is_expectation(const std::filesystem::path& p) {
  return p.filename().string().ends_with(".expected.json");
}

std::vector<std::string> fixture_files() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(fixture_dir()))
    if (entry.is_regular_file() && !is_expectation(entry.path()))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

json expectation_for(const std::string& file) {
  const auto stem = std::filesystem::path(file).stem().string();
  return json::parse(read_file(fixture_dir() / (stem + ".expected.json")));
}

std::string extension_of(const std::string& file) {
  return std::filesystem::path(file).extension().string().substr(1);
}

Result<ParsedTranscript> parse_fixture(const std::string& file) {
  return parse_transcript(read_file(fixture_dir() / file), extension_of(file));
}

bool contains_all(const std::string& s, const json& substrings) {
  return std::all_of(substrings.begin(), substrings.end(), [&](const json& sub) {
    return s.find(sub.get<std::string>()) != std::string::npos;
  });
}

std::string diff_warnings(const json& expected, const std::vector<std::string>& actual) {
  std::string out;
  const std::size_t n = std::max(expected.size(), actual.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (i < expected.size() && i < actual.size() && contains_all(actual[i], expected[i])) continue;
    out += "  warnings[" + std::to_string(i) + "]\n    expected to contain " +
           (i < expected.size() ? expected[i].dump() : "<nothing>") + "\n    actual   " +
           (i < actual.size() ? actual[i] : "<nothing>") + "\n";
  }
  return out;
}

class TranscriptFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(TranscriptFixture, ParsesAsExpected) {
  const auto expected = expectation_for(GetParam());
  const auto parsed = parse_fixture(GetParam());
  if (expected.contains("error")) {
    ASSERT_FALSE(parsed) << "expected an error, but it parsed into "
                         << parsed->transcript.segments.size() << " segments";
    EXPECT_EQ(parsed.error().code, ErrorCode::InvalidInput);
    EXPECT_TRUE(contains_all(parsed.error().message, expected["error"]))
        << "error message: " << parsed.error().message
        << "\nexpected to contain: " << expected["error"].dump();
    return;
  }
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& t = parsed->transcript;
  EXPECT_EQ(t.source, expected.value("source", t.source));
  EXPECT_EQ(t.language, expected.value("language", ""));
  EXPECT_EQ(t.timed, expected.value("timed", true));
  const auto diff = diff_items("segments", expected["segments"], t.segments) +
                    diff_items("speakers", expected["speakers"], t.speakers) +
                    diff_warnings(expected["warnings"], parsed->warnings);
  if (!diff.empty()) ADD_FAILURE() << "differences from " << GetParam() << ":\n" << diff;
}

INSTANTIATE_TEST_SUITE_P(Files, TranscriptFixture, ::testing::ValuesIn(fixture_files()), test_name);

// ---- round trips ----------------------------------------------------------------------
// Each check is instantiated over exactly the fixtures it applies to, so none is skipped.

// The fixtures that parse (their expectation names no error), those `keep` accepts if given.
std::vector<std::string> parsable_fixtures(bool (*keep)(const std::string&) = nullptr) {
  auto names = fixture_files();
  std::erase_if(names, [&](const std::string& f) {
    return expectation_for(f).contains("error") || (keep != nullptr && !keep(f));
  });
  return names;
}

bool is_html(const std::string& file) {
  return format_from_name(extension_of(file)) == Format::Html;
}

bool is_not_html(const std::string& file) {
  return !is_html(file);
}

bool is_timed(const std::string& file) {
  return expectation_for(file).value("timed", true);
}

struct Said {
  std::string speaker;
  std::string text;
  bool operator==(const Said&) const = default;
  friend std::ostream& operator<<(std::ostream& os, const Said& s) {
    return os << s.speaker << ": " << s.text;
  }
};

// What a reader sees: who says what, with speaker names resolved.
std::vector<Said> said(const Transcript& t) {
  std::vector<Said> out;
  for (const auto& s : t.segments) out.push_back({speaker_name(t, s.speaker), s.text});
  return out;
}

std::vector<std::string> timed_lines(const Transcript& t) {
  std::vector<std::string> out;
  for (const auto& s : t.segments)
    out.push_back(clock(s.start_ms) + " --> " + clock(s.end_ms) + " " + speaker_name(t, s.speaker) +
                  ": " + s.text);
  return out;
}

Transcript reparse(const Transcript& t, Format format) {
  auto again = parse_transcript(emit_transcript(t, format), format);
  EXPECT_TRUE(again) << again.error().message << "\n" << emit_transcript(t, format);
  return again ? again->transcript : Transcript{};
}

class OwnFormatRoundTrip : public ::testing::TestWithParam<std::string> {};

// A file written back in its own format reads back identically (VTT, SRT, JSON, text).
TEST_P(OwnFormatRoundTrip, KeepsEverything) {
  const auto parsed = parse_fixture(GetParam());
  ASSERT_TRUE(parsed);
  const auto format = format_from_name(extension_of(GetParam()));
  ASSERT_TRUE(format);
  auto original = parsed->transcript;
  auto again = reparse(original, *format);
  if (*format == Format::Srt || *format == Format::Text) again.language = original.language;
  EXPECT_EQ(timed_lines(again), timed_lines(original));
  EXPECT_EQ(again, original) << emit_transcript(original, *format);
}

INSTANTIATE_TEST_SUITE_P(Files, OwnFormatRoundTrip,
                         ::testing::ValuesIn(parsable_fixtures(is_not_html)), test_name);

class HtmlRoundTrip : public ::testing::TestWithParam<std::string> {};

// HTML marks where paragraphs start, not where they end: a reader takes each end from the
// next start and estimates the last one from the length of its text (see emit.hpp). All
// else reads back identically.
TEST_P(HtmlRoundTrip, KeepsEverythingButTheLastEndTime) {
  const auto parsed = parse_fixture(GetParam());
  ASSERT_TRUE(parsed);
  const auto& original = parsed->transcript;
  ASSERT_FALSE(original.segments.empty());
  auto again = reparse(original, Format::Html);
  ASSERT_EQ(again.segments.size(), original.segments.size());
  auto& last = again.segments.back();
  EXPECT_GE(last.end_ms, last.start_ms);
  last.end_ms = original.segments.back().end_ms;
  EXPECT_EQ(timed_lines(again), timed_lines(original));
  EXPECT_EQ(again, original) << emit_transcript(original, Format::Html);
}

INSTANTIATE_TEST_SUITE_P(Files, HtmlRoundTrip, ::testing::ValuesIn(parsable_fixtures(is_html)),
                         test_name);

class TimedRoundTrip : public ::testing::TestWithParam<std::string> {};

// Every timed transcript survives VTT, SRT and JSON with its times, speakers and text.
TEST_P(TimedRoundTrip, CaptionFormatsKeepTimesSpeakersAndText) {
  const auto parsed = parse_fixture(GetParam());
  ASSERT_TRUE(parsed);
  const auto& original = parsed->transcript;
  ASSERT_TRUE(original.timed);
  for (const auto format : {Format::Vtt, Format::Srt, Format::Json})
    EXPECT_EQ(timed_lines(reparse(original, format)), timed_lines(original)) << format_name(format);
}

INSTANTIATE_TEST_SUITE_P(Files, TimedRoundTrip, ::testing::ValuesIn(parsable_fixtures(is_timed)),
                         test_name);

// Plain text cannot say "nobody in particular" right after a named speaker (see emit.hpp).
bool has_unnamed_after_named(const Transcript& t) {
  for (std::size_t i = 1; i < t.segments.size(); ++i)
    if (t.segments[i].speaker.empty() && !t.segments[i - 1].speaker.empty()) return true;
  return false;
}

std::vector<std::string> texts(const Transcript& t) {
  std::vector<std::string> out;
  for (const auto& s : t.segments) out.push_back(s.text);
  return out;
}

class RoundTrip : public ::testing::TestWithParam<std::string> {};

// Every transcript survives HTML and plain text with its speakers and text.
TEST_P(RoundTrip, TextFormatsKeepSpeakersAndText) {
  const auto parsed = parse_fixture(GetParam());
  ASSERT_TRUE(parsed);
  const auto& original = parsed->transcript;
  EXPECT_EQ(said(reparse(original, Format::Html)), said(original));
  const auto text = reparse(original, Format::Text);
  if (has_unnamed_after_named(original))
    EXPECT_EQ(texts(text), texts(original));
  else
    EXPECT_EQ(said(text), said(original));
}

INSTANTIATE_TEST_SUITE_P(Files, RoundTrip, ::testing::ValuesIn(parsable_fixtures()), test_name);

}  // namespace
}  // namespace hark::transcript
