// Sentence cases live in tests/fixtures/transcripts/sentences/cases.json: a transcript
// (WebVTT or plain text) and the sentences expected from it, with times.
#include "transcript/sentences.hpp"

#include <gtest/gtest.h>

#include "support.hpp"
#include "transcript/parse.hpp"

namespace hark::transcript {
namespace {

using nlohmann::json;
using testing::clock;

const json& cases() {
  static const json all =
      json::parse(testing::read_file(testing::fixture_dir() / "sentences" / "cases.json"));
  return all;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& c : cases()) names.push_back(c["name"]);
  return names;
}

const json& case_named(const std::string& name) {
  for (const auto& c : cases())
    if (c["name"] == name) return c;
  throw std::logic_error("no sentence case " + name);
}

json shape(const Sentence& s) {
  return json::array({clock(s.start_ms), clock(s.end_ms), s.speaker, s.text});
}

class SentenceCase : public ::testing::TestWithParam<std::string> {};

TEST_P(SentenceCase, SplitsAsExpected) {
  const auto& c = case_named(GetParam());
  const bool is_vtt = c.contains("vtt");
  auto parsed = parse_transcript(c[is_vtt ? "vtt" : "text"].get<std::string>(),
                                 is_vtt ? Format::Vtt : Format::Text);
  ASSERT_TRUE(parsed) << parsed.error().message;
  parsed->transcript.language = c.value("language", "");
  const auto actual = sentences(parsed->transcript);
  const auto& expected = c["sentences"];
  std::string diff;
  for (std::size_t i = 0; i < std::max(actual.size(), expected.size()); ++i) {
    const json want = i < expected.size() ? expected[i] : json("<nothing>");
    const json got = i < actual.size() ? shape(actual[i]) : json("<nothing>");
    if (want != got)
      diff += "  [" + std::to_string(i) + "]\n    expected " + want.dump() + "\n    actual   " +
              got.dump() + "\n";
  }
  if (!diff.empty()) ADD_FAILURE() << GetParam() << ":\n" << diff;
}

std::string param_name(const ::testing::TestParamInfo<std::string>& param) {
  return param.param;
}

INSTANTIATE_TEST_SUITE_P(Cases, SentenceCase, ::testing::ValuesIn(case_names()), param_name);

TEST(Sentences, RecordTheSegmentsTheySpan) {
  Transcript t;
  t.segments = {{0, 1000, "a", "One two", {}},
                {1000, 2000, "a", "three. Four.", {}},
                {2000, 3000, "b", "Five.", {}}};
  const auto s = sentences(t);
  ASSERT_EQ(s.size(), 3u);
  const auto span = [&](std::size_t i) {
    return std::to_string(s[i].first_segment) + "-" + std::to_string(s[i].last_segment);
  };
  EXPECT_EQ(span(0), "0-1");  // "One two three." starts in the first segment
  EXPECT_EQ(span(1), "1-1");
  EXPECT_EQ(span(2), "2-2");
}

TEST(Sentences, WordsThatDoNotMatchTheTextFallBackToSpreading) {
  Transcript t;
  t.segments = {{0, 1000, "", "Hello there.", {{0, 100, "Goodbye", {}}}}};
  const auto s = sentences(t);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].start_ms, 0);
  EXPECT_EQ(s[0].end_ms, 1000);
}

TEST(Sentences, SegmenterIsReusableAcrossTranscripts) {
  SentenceSegmenter segmenter("en");
  EXPECT_EQ(segmenter.split_text("One. Two."), (std::vector<std::string>{"One.", "Two."}));
  EXPECT_EQ(segmenter.split_text("  "), std::vector<std::string>{});
  EXPECT_EQ(segmenter.split_text("Mr. Smith vs. Dr. Jones. Done."),
            (std::vector<std::string>{"Mr. Smith vs. Dr. Jones.", "Done."}));
  SentenceSegmenter unknown("zz-Bogus-Tag");  // falls back to root rules, still splits
  EXPECT_EQ(unknown.split_text("One. Two."), (std::vector<std::string>{"One.", "Two."}));
}

// A 3-hour episode: ~4,000 cues. No timing assertion (tests never assert on wall-clock
// time); this keeps the whole path exercised at that size.
TEST(Sentences, ThreeHourTranscriptParsesAndSplits) {
  std::string vtt = "WEBVTT\n\n";
  for (int i = 0; i < 4000; ++i) {
    vtt += clock(i * 2700) + " --> " + clock(i * 2700 + 2500) + "\n";
    vtt += std::string(i % 7 == 0 ? "<v Guest>" : "<v Host>") + "Cue number " + std::to_string(i) +
           " talks about Dr. Who and the U.S. economy. It grew 3.5 percent.\n\n";
  }
  const auto parsed = parse_transcript(vtt, "text/vtt");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->transcript.segments.size(), 4000u);
  const auto s = sentences(parsed->transcript);
  ASSERT_EQ(s.size(), 8000u);
  EXPECT_EQ(s[0].text, "Cue number 0 talks about Dr. Who and the U.S. economy.");
  EXPECT_EQ(s[7999].text, "It grew 3.5 percent.");
  EXPECT_EQ(s[7999].end_ms, 3999 * 2700 + 2500);
}

}  // namespace
}  // namespace hark::transcript
