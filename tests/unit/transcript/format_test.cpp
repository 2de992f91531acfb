// Format detection, emitters, speaker resolution and the cue-level rules.
#include "transcript/format.hpp"

#include <gtest/gtest.h>

#include "support.hpp"
#include "transcript/detail/cues.hpp"
#include "transcript/emit.hpp"
#include "transcript/parse.hpp"
#include "transcript/speakers.hpp"

namespace hark::transcript {
namespace {

constexpr std::string_view kVtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n";
constexpr std::string_view kSrt = "1\n00:00:01,000 --> 00:00:02,000\nHi\n";

TEST(DetectFormat, MimeTypesIncludingOffSpecOnes) {
  constexpr std::string_view plain = "Just words.";
  EXPECT_EQ(detect_format(plain, "application/srt", ""), Format::Srt);
  EXPECT_EQ(detect_format(plain, "text/srt; charset=utf-8", ""), Format::Srt);
  EXPECT_EQ(detect_format(plain, "application/x-subrip", ""), Format::Srt);
  EXPECT_EQ(detect_format(plain, "TEXT/VTT", ""), Format::Vtt);
  EXPECT_EQ(detect_format(plain, "application/json", ""), Format::Json);
  EXPECT_EQ(detect_format(plain, "text/html", ""), Format::Html);
  EXPECT_EQ(detect_format(plain, "text/plain", ""), Format::Text);
  EXPECT_EQ(detect_format(plain, "", "https://x.test/ep1.srt?token=1"), Format::Srt);
  EXPECT_EQ(detect_format(plain, "application/octet-stream", ""), Format::Text);
}

TEST(DetectFormat, ContentWinsWhenTheTypeLies) {
  EXPECT_EQ(detect_format(kVtt, "text/plain", "https://x.test/a.txt"), Format::Vtt);
  EXPECT_EQ(detect_format("\xEF\xBB\xBF" + std::string(kVtt), "application/srt", ""), Format::Vtt);
  EXPECT_EQ(detect_format(kSrt, "text/plain", ""), Format::Srt);
  EXPECT_EQ(detect_format("{\"segments\": []}", "text/html", ""), Format::Json);
  EXPECT_EQ(detect_format("<p>Hi</p>", "text/plain", ""), Format::Html);
  EXPECT_EQ(detect_format("[Music] Welcome back.", "text/plain", ""), Format::Text);
  EXPECT_EQ(detect_format("[ {\"body\": \"x\"} ]", "", ""), Format::Json);
}

TEST(DetectFormat, NamesAndExtensions) {
  EXPECT_EQ(format_from_name("vtt"), Format::Vtt);
  EXPECT_EQ(format_from_name(".TXT"), Format::Text);
  EXPECT_EQ(format_from_name("audio/mpeg"), std::nullopt);
  for (auto f : {Format::Vtt, Format::Srt, Format::Json, Format::Html, Format::Text})
    EXPECT_EQ(format_from_name(format_name(f)), f);
}

TEST(ParseTranscript, SetsTheSourceFromTheDetectedFormat) {
  auto parsed = parse_transcript(kVtt, "text/plain");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->transcript.source, "publisher:vtt");
}

TEST(ParseTranscript, Utf16WithBomIsDecoded) {
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string(kVtt)) {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  auto parsed = parse_transcript(utf16, "text/vtt");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->transcript.segments.at(0).text, "Hi");
}

TEST(ParseTranscript, OneBadCueAmongManyOnlyWarns) {
  std::string srt;
  for (int i = 0; i < 2000; ++i) {
    srt += std::to_string(i + 1) + "\n";
    srt += i == 1234 ? "00:20:34,000 -> 00:20:35,000\n"
                     : testing::clock(i * 1000).replace(8, 1, ",") + " --> " +
                           testing::clock(i * 1000 + 900).replace(8, 1, ",") + "\n";
    srt += "Line " + std::to_string(i) + "\n\n";
  }
  auto parsed = parse_srt(srt);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->transcript.segments.size(), 1999u);
  ASSERT_EQ(parsed->warnings.size(), 1u);
  EXPECT_NE(parsed->warnings[0].find("transcript line 4937:"), std::string::npos)
      << parsed->warnings[0];
}

TEST(CueTimes, ParseAndFormat) {
  EXPECT_EQ(detail::parse_cue_time("01:02.500"), 62500);
  EXPECT_EQ(detail::parse_cue_time("1:00:00,001"), 3600001);
  EXPECT_EQ(detail::parse_cue_time("100:00:00.000"), 360000000);
  EXPECT_EQ(detail::parse_cue_time("00:60:00.000"), std::nullopt);
  EXPECT_EQ(detail::parse_cue_time("00:00:01.5"), std::nullopt);
  EXPECT_EQ(detail::parse_cue_time("00:00:01"), std::nullopt);
  EXPECT_EQ(detail::format_cue_time(3723004, ','), "01:02:03,004");
}

TEST(SpeakerLabels, LooksLikeANameOrAnAnonymousLabel) {
  for (auto yes : {"Theo", "Theo Marsh", "Dr. Priya Raman", "Q", "NARRATOR", "Élodie Dupré",
                   "Mary-Jane O'Neil", "SPEAKER_00", "Speaker 2", "spk_1"})
    EXPECT_TRUE(detail::is_speaker_label(yes)) << yes;
  for (auto no : {"theo", "Here's the thing", "Chapter 3", "R2D2", "Note",
                  "One Two Three Four Five", "", "Https"})
    EXPECT_FALSE(detail::is_speaker_label(no)) << no;
  EXPECT_TRUE(detail::is_anonymous_label("SPEAKER_00"));
  EXPECT_FALSE(detail::is_anonymous_label("Spike"));
}

Transcript interview() {
  Transcript t;
  t.segments = {{0, 1500, "SPEAKER_00", "Welcome & hello <everyone>.", {}},
                {1500, 3000, "SPEAKER_01", "Thanks.", {{1500, 2000, "Thanks.", 0.9}}},
                {3000, 4000, "", "Applause.", {}}};
  t.speakers = {{"SPEAKER_00", "Theo Marsh", "host"}, {"SPEAKER_01", "", ""}};
  t.language = "en";
  return t;
}

TEST(Emit, VttUsesNamesAndEscapesMarkup) {
  EXPECT_EQ(
      to_vtt(interview()),
      "WEBVTT\nLanguage: en\n\n"
      "1\n00:00:00.000 --> 00:00:01.500\n<v Theo Marsh>Welcome &amp; hello &lt;everyone&gt;.\n\n"
      "2\n00:00:01.500 --> 00:00:03.000\n<v SPEAKER_01>Thanks.\n\n"
      "3\n00:00:03.000 --> 00:00:04.000\nApplause.\n\n");
}

TEST(Emit, SrtLabelsTurnsAndEndsThemWithADash) {
  EXPECT_EQ(to_srt(interview()),
            "1\n00:00:00,000 --> 00:00:01,500\nTheo Marsh: Welcome & hello <everyone>.\n\n"
            "2\n00:00:01,500 --> 00:00:03,000\nSPEAKER_01: Thanks.\n\n"
            "3\n00:00:03,000 --> 00:00:04,000\n- Applause.\n\n");
}

TEST(Emit, JsonWritesWordsAsWordSegmentsWithSpeakerNames) {
  const auto j = nlohmann::json::parse(to_json(interview()));
  EXPECT_EQ(j["version"], "1.0.0");
  ASSERT_EQ(j["segments"].size(), 3u);
  EXPECT_EQ(j["segments"][0]["speaker"], "Theo Marsh");
  EXPECT_EQ(j["segments"][1]["startTime"], 1.5);
  EXPECT_EQ(j["segments"][1]["endTime"], 2.0);  // the word's end, not the segment's
  EXPECT_FALSE(j["segments"][2].contains("speaker"));
  const auto again = parse_json(to_json(interview()));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->transcript.language, "en");
  EXPECT_EQ(again->transcript.segments.at(1).words.at(0).text, "Thanks.");
}

TEST(Emit, TextLabelsTurnStarts) {
  Transcript t;
  t.segments = {{0, 0, "a", "One.", {}}, {0, 0, "a", "Two.", {}}, {0, 0, "b", "Three.", {}}};
  t.speakers = {{"a", "Ann", ""}, {"b", "Bob", ""}};
  EXPECT_EQ(to_text(t), "Ann: One.\n\nTwo.\n\nBob: Three.\n");
}

TEST(ResolveSpeakers, MatchesFullFirstAndLastNamesIgnoringCaseAndTitles) {
  Transcript t;
  t.speakers = {{"THEO MARSH", "THEO MARSH", ""},
                {"Dr. Raman", "Dr. Raman", ""},
                {"Helen", "Helen", ""},
                {"SPEAKER_00", "", ""},
                {"Sam", "Sam", ""},
                {"Guest", "Guest", ""}};
  const std::vector<Person> persons = {{"Theo Marsh", "host", "cast", "", ""},
                                       {"Priya Raman", "Guest", "cast", "", ""},
                                       {"Helen Whitcombe", "guest", "cast", "", ""},
                                       {"Sam Adeyemi", "guest", "cast", "", ""},
                                       {"Sam Okafor", "guest", "cast", "", ""}};
  resolve_speakers(t, persons);
  EXPECT_EQ(t.speakers[0], (Speaker{"THEO MARSH", "Theo Marsh", "host"}));
  EXPECT_EQ(t.speakers[1], (Speaker{"Dr. Raman", "Priya Raman", "guest"}));
  EXPECT_EQ(t.speakers[2], (Speaker{"Helen", "Helen Whitcombe", "guest"}));
  EXPECT_EQ(t.speakers[3], (Speaker{"SPEAKER_00", "", ""}));
  EXPECT_EQ(t.speakers[4], (Speaker{"Sam", "Sam", ""}));  // two Sams: ambiguous
  EXPECT_EQ(t.speakers[5], (Speaker{"Guest", "Guest", ""}));
}

TEST(ResolveSpeakers, OneWordPersonMatchesAFullLabel) {
  Transcript t;
  t.speakers = {{"Theo Marsh", "Theo Marsh", ""}};
  resolve_speakers(t, {{"theo", "host", "cast", "", ""}});
  EXPECT_EQ(t.speakers[0].name, "theo");
  EXPECT_EQ(t.speakers[0].role, "host");
}

// gumbo's time is quadratic in nesting depth (200,000 unclosed <b> take minutes and
// gigabytes); a publisher's transcript is read up to the first element nested too deep.
TEST(ParseTranscript, AHostileHtmlTranscriptIsReadUpToTheDeepNesting) {
  std::string html =
      "<html><body><cite>Ann:</cite><time>0:00</time><p>First words.</p>"
      "<time>0:05</time><p>Second words.</p>";
  for (int i = 0; i < 200'000; ++i) html += "<b>";
  html += "<time>0:09</time><p>Never read.</p>";
  auto parsed = parse_transcript(html, "text/html");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->transcript.segments.size(), 2U);
  EXPECT_EQ(parsed->transcript.segments[1].text, "Second words.");
}

}  // namespace
}  // namespace hark::transcript
