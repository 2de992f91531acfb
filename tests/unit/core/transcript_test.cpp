#include "core/transcript.hpp"

#include <gtest/gtest.h>

namespace hark {
namespace {

Segment seg(Millis start, Millis end, std::string speaker, std::string text) {
  return Segment{start, end, std::move(speaker), std::move(text), {}};
}

Transcript three_cues() {
  Transcript t;
  t.segments = {seg(0, 1000, "a", "one"), seg(1000, 2000, "a", "two"),
                seg(2500, 4000, "b", "three")};
  t.speakers = {{"a", "Ann Lee", "host"}, {"b", "", ""}};
  return t;
}

TEST(TranscriptSegmentAt, FindsTheCueAndNothingInGaps) {
  const auto t = three_cues();
  EXPECT_EQ(segment_at(t, 0), 0u);
  EXPECT_EQ(segment_at(t, 999), 0u);
  EXPECT_EQ(segment_at(t, 1000), 1u);  // end is exclusive
  EXPECT_EQ(segment_at(t, 2200), std::nullopt);
  EXPECT_EQ(segment_at(t, 3999), 2u);
  EXPECT_EQ(segment_at(t, 4000), std::nullopt);
  EXPECT_EQ(segment_at(t, -5), std::nullopt);
}

TEST(TranscriptSegmentAt, OverlapPrefersLatestStartAndFindsLongEarlierCue) {
  Transcript t;
  t.segments = {seg(0, 10000, "", "long"), seg(2000, 3000, "", "short")};
  EXPECT_EQ(segment_at(t, 2500), 1u);
  EXPECT_EQ(segment_at(t, 5000), 0u);  // the short cue is over, the long one is not
}

TEST(TranscriptSegmentAt, UntimedTranscriptHasNoTimes) {
  auto t = three_cues();
  t.timed = false;
  EXPECT_EQ(segment_at(t, 500), std::nullopt);
  EXPECT_EQ(text_between(t, 0, 5000), "");
}

TEST(TranscriptSegmentAt, ScalesToThousandsOfSegments) {
  Transcript t;
  for (Millis i = 0; i < 4000; ++i) t.segments.push_back(seg(i * 2000, i * 2000 + 1500, "", "x"));
  EXPECT_EQ(segment_at(t, 3999 * 2000 + 10), 3999u);
  EXPECT_EQ(segment_at(t, 1234 * 2000 + 1600), std::nullopt);
}

TEST(TranscriptTextBetween, WholeSegmentsWithoutWordsAndWordsWhenTimed) {
  auto t = three_cues();
  EXPECT_EQ(text_between(t, 500, 1500), "one two");
  EXPECT_EQ(text_between(t, 2000, 2500), "");
  t.segments[2].words = {{2500, 3000, "th", {}}, {3000, 3500, "r", {}}, {3500, 4000, "ee", {}}};
  EXPECT_EQ(text_between(t, 3100, 3600), "r ee");
  EXPECT_EQ(text_between(t, 3600, 3600), "");
}

TEST(TranscriptTurns, GroupsConsecutiveSegmentsOfOneSpeaker) {
  auto t = three_cues();
  t.segments.push_back(seg(4000, 5000, "a", "four"));
  const auto turns = speaker_turns(t);
  ASSERT_EQ(turns.size(), 3u);
  EXPECT_EQ(turns[0], (SpeakerTurn{"a", 0, 2000, 0, 1}));
  EXPECT_EQ(turns[1], (SpeakerTurn{"b", 2500, 4000, 2, 2}));
  EXPECT_EQ(turns[2], (SpeakerTurn{"a", 4000, 5000, 3, 3}));
  EXPECT_TRUE(speaker_turns(Transcript{}).empty());
}

TEST(TranscriptSpeakers, NameFallsBackToId) {
  const auto t = three_cues();
  EXPECT_EQ(speaker_name(t, "a"), "Ann Lee");
  EXPECT_EQ(speaker_name(t, "b"), "b");
  EXPECT_EQ(speaker_name(t, "zz"), "zz");
  EXPECT_EQ(speaker_name(t, ""), "");
  ASSERT_NE(find_speaker(t, "a"), nullptr);
  EXPECT_EQ(find_speaker(t, "a")->role, "host");
  EXPECT_EQ(find_speaker(t, "q"), nullptr);
}

}  // namespace
}  // namespace hark
