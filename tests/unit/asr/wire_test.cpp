// Parsing both verbose_json shapes from fixtures, language codes, and multipart bodies.
#include "asr/wire.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace hark::asr {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(HARK_FIXTURES) + "/asr/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string words_of(const WireSegment& s) {
  std::string out;
  for (const Word& w : s.words) out += (out.empty() ? "" : "|") + w.text;
  return out;
}

TEST(WireOpenAI, TopLevelWordsGoToTheirSegments) {
  const auto t = parse_verbose_json(fixture("openai_verbose.json"), WireFormat::OpenAI);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->language, "en");
  ASSERT_EQ(t->segments.size(), 2u);
  const WireSegment& a = t->segments[0];
  EXPECT_EQ(a.start_ms, 0);
  EXPECT_EQ(a.end_ms, 2600);
  EXPECT_EQ(a.text, "Welcome to the garden hour.");
  EXPECT_EQ(words_of(a), "Welcome|to|the|garden|hour");
  EXPECT_EQ(a.avg_logprob, -0.21);
  EXPECT_EQ(a.no_speech_prob, 0.01);
  const WireSegment& b = t->segments[1];
  EXPECT_EQ(b.text, "Today we plant tomatoes, with Ada Lovelace.");
  EXPECT_EQ(words_of(b), "Today|we|plant|tomatoes|with|Ada|Lovelace");
  EXPECT_EQ(b.words.back().start_ms, 5700);
  EXPECT_EQ(b.words.back().end_ms, 6800);
  EXPECT_FALSE(b.words.back().confidence);
}

TEST(WireOpenAI, WordsNestedInSegmentsWithLeadingSpaces) {
  const auto t = parse_verbose_json(fixture("faster_whisper_verbose.json"), WireFormat::OpenAI);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->language, "en");
  ASSERT_EQ(t->segments.size(), 2u);
  EXPECT_EQ(t->segments[0].text, "Hello and welcome.");
  EXPECT_EQ(words_of(t->segments[0]), "Hello|and|welcome.");
  EXPECT_EQ(t->segments[1].words[3].confidence, 0.81);
  EXPECT_EQ(t->segments[1].start_ms, 2200);
  EXPECT_EQ(t->segments[1].end_ms, 4100);
}

TEST(WireWhisperCpp, TokensAreJoinedIntoWords) {
  const auto t = parse_verbose_json(fixture("whisper_cpp_verbose.json"), WireFormat::WhisperCpp);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->language, "en");
  ASSERT_EQ(t->segments.size(), 2u);
  const WireSegment& a = t->segments[0];
  EXPECT_EQ(a.text, "Welcome back, listeners.");
  EXPECT_EQ(words_of(a), "Welcome|back,|listeners.");
  EXPECT_EQ(a.words[0].start_ms, 0);
  EXPECT_EQ(a.words[0].end_ms, 600);
  ASSERT_TRUE(a.words[0].confidence);
  EXPECT_NEAR(*a.words[0].confidence, 0.8, 1e-9);  // mean of the tokens' probabilities
  EXPECT_EQ(a.words[2].end_ms, 2400);
  EXPECT_EQ(t->segments[1].no_speech_prob, 0.91);
  EXPECT_EQ(t->segments[1].avg_logprob, -1.7);
}

TEST(Wire, BareTextIsOneUntimedSegment) {
  const auto t = parse_verbose_json(fixture("text_only.json"), WireFormat::OpenAI);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->segments.size(), 1u);
  EXPECT_EQ(t->segments[0].text, "Just the text, please.");
  EXPECT_FALSE(t->segments[0].end_ms);
}

TEST(Wire, EmptyTranscriptIsFine) {
  const auto t =
      parse_verbose_json(R"({"language":"german","text":"","segments":[]})", WireFormat::OpenAI);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->segments.empty());
  EXPECT_EQ(t->language, "de");
}

TEST(Wire, MalformedBodiesAreErrorsThatSayWhy) {
  struct Case {
    const char* body;
    const char* says;
  };
  for (const Case& c : {
           Case{"<html>Bad gateway</html>", "parse error"},
           Case{"", "parse error"},
           Case{"[1,2]", "expected a JSON object"},
           Case{R"({"segments": {}})", "segments is not an array"},
           Case{R"({"segments": [{"text": "x", "start": "0", "end": 1}]})",
                "segments[0].start is not a number"},
           Case{R"({"segments": [{"text": "x", "end": 1}]})", "segments[0] has no start or end"},
           Case{R"({"segments": [], "words": [{"word": "x"}]})", "words[0] has no start or end"},
           Case{R"({"language": 3, "segments": []})", "language is not a string"},
           Case{R"({"task": "transcribe"})", "no segments and no text"},
       }) {
    const auto t = parse_verbose_json(c.body, WireFormat::OpenAI);
    ASSERT_FALSE(t) << c.body;
    EXPECT_EQ(t.error().code, ErrorCode::InvalidInput);
    EXPECT_NE(t.error().message.find(c.says), std::string::npos) << t.error().message;
  }
}

TEST(Wire, LanguageCodes) {
  EXPECT_EQ(language_code("english"), "en");
  EXPECT_EQ(language_code("English"), "en");
  EXPECT_EQ(language_code("en"), "en");
  EXPECT_EQ(language_code("pt-BR"), "pt");
  EXPECT_EQ(language_code("haitian creole"), "ht");
  EXPECT_EQ(language_code("cantonese"), "yue");
  EXPECT_EQ(language_code("jw"), "jv");
  EXPECT_EQ(language_code("klingon"), "");
  EXPECT_EQ(language_code(""), "");
}

TEST(Multipart, FieldsAndFileWithTheBoundary) {
  MultipartForm form("XyZ");
  form.add_field("model", "whisper-1");
  form.add_file("file", "audio.wav", "audio/wav", std::string("RIFF\0\x01", 6));
  EXPECT_EQ(form.content_type(), "multipart/form-data; boundary=XyZ");
  const std::string body = std::move(form).finish();
  EXPECT_EQ(body,
            "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audio.wav\"\r\n"
            "Content-Type: audio/wav\r\n\r\n" +
                std::string("RIFF\0\x01", 6) + "\r\n--XyZ--\r\n");
}

TEST(Multipart, RandomBoundariesDiffer) {
  EXPECT_NE(MultipartForm().content_type(), MultipartForm().content_type());
}

}  // namespace
}  // namespace hark::asr
