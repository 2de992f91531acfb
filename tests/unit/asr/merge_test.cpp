// Merging chunk transcripts: offsets, duplicates at edges, no-speech hallucinations, language.
#include "asr/merge.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hark::asr {
namespace {

// A segment from "word@start-end" pieces (ms, relative to the chunk).
WireSegment seg(const std::string& text, std::vector<Word> words) {
  WireSegment s;
  s.text = text;
  s.words = std::move(words);
  s.start_ms = s.words.empty() ? 0 : s.words.front().start_ms;
  s.end_ms = s.words.empty() ? 0 : s.words.back().end_ms;
  return s;
}

WireSegment timed(const std::string& text, Millis start, Millis end) {
  WireSegment s;
  s.text = text;
  s.start_ms = start;
  s.end_ms = end;
  return s;
}

ChunkResult chunk(Millis offset, Millis duration, std::vector<WireSegment> segments,
                  std::string language = "en") {
  return {offset, duration, {std::move(segments), std::move(language)}};
}

std::string all_words(const Transcript& t) {
  std::string out;
  for (const Segment& s : t.segments) {
    for (const Word& w : s.words) out += (out.empty() ? "" : " ") + w.text;
  }
  return out;
}

std::string all_text(const Transcript& t) {
  std::string out;
  for (const Segment& s : t.segments) out += (out.empty() ? "" : " | ") + s.text;
  return out;
}

TEST(Merge, ShiftsEverythingByTheChunkOffset) {
  const Transcript t = merge_chunks({
      chunk(0, 10'000, {seg("Hello there.", {{100, 400, "Hello", 0.9}, {400, 900, "there.", {}}})}),
      chunk(10'000, 8'000,
            {seg("General remarks.", {{200, 700, "General", {}}, {700, 1500, "remarks.", {}}})}),
  });
  ASSERT_EQ(t.segments.size(), 2u);
  EXPECT_EQ(t.segments[1].start_ms, 10'200);
  EXPECT_EQ(t.segments[1].end_ms, 11'500);
  EXPECT_EQ(t.segments[1].words[1].start_ms, 10'700);
  EXPECT_EQ(t.segments[0].words[0].confidence, 0.9);
  EXPECT_EQ(t.language, "en");
  EXPECT_TRUE(t.timed);
  EXPECT_EQ(t.source, "");
}

TEST(Merge, AWordSpanningTheCutIsKeptOnce) {
  // "podcast" straddles the cut at 10 s: chunk A ends it past its end, chunk B starts with it.
  const Transcript t = merge_chunks({
      chunk(0, 10'000,
            {seg("Welcome to the podcast", {{9'000, 9'300, "Welcome", {}},
                                            {9'300, 9'450, "to", {}},
                                            {9'450, 9'600, "the", {}},
                                            {9'650, 10'300, "podcast", {}}})}),
      chunk(10'000, 10'000,
            {seg("podcast, everyone.", {{0, 300, "podcast,", {}}, {500, 1'000, "everyone.", {}}})}),
  });
  EXPECT_EQ(all_words(t), "Welcome to the podcast everyone.");
  EXPECT_EQ(all_text(t), "Welcome to the podcast | everyone.");
  EXPECT_EQ(t.segments[1].start_ms, 10'500);
}

TEST(Merge, AHallucinatedRepeatAtTheStartOfAChunkIsDropped) {
  const Transcript t = merge_chunks({
      chunk(0, 10'000,
            {seg("Thanks for listening.", {{8'600, 8'900, "Thanks", {}},
                                           {8'900, 9'100, "for", {}},
                                           {9'100, 9'600, "listening.", {}}})}),
      chunk(10'000, 10'000,
            {seg("Thanks for listening. Now the news.", {{0, 200, "Thanks", {}},
                                                         {200, 400, "for", {}},
                                                         {400, 800, "listening.", {}},
                                                         {1'500, 1'700, "Now", {}},
                                                         {1'700, 1'800, "the", {}},
                                                         {1'800, 2'200, "news.", {}}})}),
  });
  EXPECT_EQ(all_words(t), "Thanks for listening. Now the news.");
  EXPECT_EQ(t.segments.back().text, "Now the news.");
}

TEST(Merge, ASingleRepeatedWordWithoutOverlapIsKept) {
  const Transcript t = merge_chunks({
      chunk(
          0, 10'000,
          {seg("We said no.",
               {{8'000, 8'300, "We", {}}, {8'300, 8'600, "said", {}}, {8'600, 9'000, "no.", {}}})}),
      chunk(10'000, 10'000,
            {seg("No, we did not.", {{100, 400, "No,", {}},
                                     {400, 600, "we", {}},
                                     {600, 800, "did", {}},
                                     {800, 1'200, "not.", {}}})}),
  });
  EXPECT_EQ(all_words(t), "We said no. No, we did not.");
}

TEST(Merge, SegmentsWithoutWordsAreDedupedByText) {
  const Transcript t = merge_chunks({
      chunk(0, 10'000, {timed("It was a dark night.", 7'000, 9'900)}),
      chunk(10'000, 10'000,
            {timed("It was a dark night.", 0, 1'000), timed("The end.", 2'000, 3'000)}),
  });
  EXPECT_EQ(all_text(t), "It was a dark night. | The end.");
}

TEST(Merge, NoSpeechHallucinationsAreDropped) {
  WireSegment hallucination = timed("Thank you.", 0, 3'000);
  hallucination.no_speech_prob = 0.92;
  hallucination.avg_logprob = -1.4;
  WireSegment confident_quiet = timed("Quiet words.", 3'000, 4'000);
  confident_quiet.no_speech_prob = 0.92;  // but decoded with confidence: kept
  confident_quiet.avg_logprob = -0.3;
  WireSegment unsure_speech = timed("Mumbled words.", 4'000, 5'000);
  unsure_speech.no_speech_prob = 0.1;  // speech, however unsure: kept
  unsure_speech.avg_logprob = -1.5;
  const Transcript t =
      merge_chunks({chunk(0, 10'000, {hallucination, confident_quiet, unsure_speech})});
  EXPECT_EQ(all_text(t), "Quiet words. | Mumbled words.");
}

TEST(Merge, SegmentsAndWordsPastTheChunkEndAreDropped) {
  const Transcript t = merge_chunks({
      chunk(0, 5'000,
            {seg("Last words", {{4'000, 4'500, "Last", {}}, {5'000, 5'400, "words", {}}}),
             timed("Phantom.", 5'200, 6'000)}),
  });
  EXPECT_EQ(all_text(t), "Last");
  EXPECT_EQ(all_words(t), "Last");
}

TEST(Merge, UntimedSegmentSpansItsChunk) {
  WireSegment bare;
  bare.text = "Just text.";
  const Transcript t = merge_chunks({chunk(0, 4'000, {}), chunk(4'000, 3'000, {bare})});
  ASSERT_EQ(t.segments.size(), 1u);
  EXPECT_EQ(t.segments[0].start_ms, 4'000);
  EXPECT_EQ(t.segments[0].end_ms, 7'000);
}

TEST(Merge, SegmentsComeOutOrdered) {
  const Transcript t = merge_chunks({
      chunk(0, 10'000, {timed("b", 5'000, 6'000), timed("a", 1'000, 2'000)}),
      chunk(10'000, 10'000, {timed("c", 100, 900)}),
  });
  EXPECT_EQ(all_text(t), "a | b | c");
}

TEST(Merge, LanguageIsTheMajorityOfChunksWithSpeech) {
  const Transcript t = merge_chunks({
      chunk(0, 10'000, {timed("Intro", 0, 1'000)}, "de"),
      chunk(10'000, 10'000, {timed("one", 0, 1'000)}, "en"),
      chunk(20'000, 10'000, {}, "nn"),
      chunk(30'000, 10'000, {}, "nn"),
      chunk(40'000, 10'000, {timed("two", 0, 1'000)}, "en"),
  });
  EXPECT_EQ(t.language, "en");
  EXPECT_EQ(merge_chunks({chunk(0, 1'000, {}, "fr")}).language, "fr");
  EXPECT_EQ(merge_chunks({}).language, "");
}

}  // namespace
}  // namespace hark::asr
