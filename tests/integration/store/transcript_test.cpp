// TranscriptRepo and ChapterRepo: round trips, replace semantics, cascades, a long episode.
#include <chrono>

#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

// Every field of a transcript set, including words with and without confidence, a
// segment without words, unicode, and speakers with names and roles.
Transcript full_transcript() {
  Transcript t;
  t.language = "de-AT";
  t.source = "publisher:json";
  t.timed = true;
  t.speakers = {{"S1", "Ada Host", "host"}, {"SPEAKER_01", "", "guest"}};
  Segment first{1'000, 4'500, "S1", "Grüß Gott — “hello”!", {}};
  first.words = {{1'000, 1'800, "Grüß", 0.98},
                 {1'800, 2'400, "Gott", std::nullopt},
                 {2'600, 4'500, "— “hello”!", 0.5}};
  Segment second{4'500, 9'000, "SPEAKER_01", "A segment without word timings.", {}};
  Segment third{
      8'000, 12'345, "", "Overlapping, no speaker.", {{8'000, 12'345, "Overlapping,", 1.0}}};
  t.segments = {first, second, third};
  return t;
}

// A three-hour episode: 2,500 segments of 12 timed words = 30,000 words.
Transcript long_transcript() {
  Transcript t;
  t.source = "asr:whisper";
  t.language = "en";
  t.speakers = {{"SPEAKER_00", "", ""}, {"SPEAKER_01", "", ""}};
  constexpr int kSegments = 2'500;
  constexpr int kWordsPerSegment = 12;
  constexpr Millis kWordMs = 360;
  Millis at = 0;
  for (int i = 0; i < kSegments; ++i) {
    Segment s;
    s.start_ms = at;
    s.speaker = i % 7 < 4 ? "SPEAKER_00" : "SPEAKER_01";
    for (int w = 0; w < kWordsPerSegment; ++w) {
      const std::string word = "word" + std::to_string(i * kWordsPerSegment + w);
      s.words.push_back({at, at + kWordMs - 40, word, 0.5 + (w % 5) / 10.0});
      s.text += (w == 0 ? "" : " ") + word;
      at += kWordMs;
    }
    s.end_ms = at;
    t.segments.push_back(std::move(s));
  }
  return t;
}

std::vector<Chapter> full_chapters() {
  return {{0, 60'000, "Intro — “welcome”", "https://example.com/intro", "https://example.com/1.jpg",
           true, "publisher"},
          {60'000, std::nullopt, "Silent marker", "", "", false, "embedded"},
          {90'000, 200'000, "Ünïcödé topic", "", "", true, "generated"}};
}

class TranscriptTest : public StoreTest {
 protected:
  TranscriptRepo& transcripts() { return store_->transcripts(); }
  ChapterRepo& chapters() { return store_->chapters(); }

  std::string count(const std::string& table, Id episode_id) {
    RawDb raw(db_path(), SQLITE_OPEN_READONLY);
    return raw.scalar("SELECT count(*) FROM " + table +
                      " WHERE episode_id = " + std::to_string(episode_id));
  }
};

TEST_F(TranscriptTest, EveryFieldRoundTrips) {
  const Id episode = add_episode();
  const auto written = full_transcript();
  ASSERT_TRUE(transcripts().replace(episode, written, {"whisper.cpp", "large-v3"}));

  auto read = transcripts().find(episode);
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, written);

  auto info = transcripts().info(episode);
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_TRUE(info->has_value());
  EXPECT_EQ((*info)->source, "publisher:json");
  EXPECT_EQ((*info)->language, "de-AT");
  EXPECT_TRUE((*info)->timed);
  EXPECT_EQ((*info)->origin, (TranscriptOrigin{"whisper.cpp", "large-v3"}));
  EXPECT_EQ((*info)->segment_count, 3);
  EXPECT_GT((*info)->created_at, 0);
}

TEST_F(TranscriptTest, UntimedAndEmptyTranscriptsRoundTrip) {
  const Id episode = add_episode();
  Transcript untimed;
  untimed.timed = false;
  untimed.source = "publisher:html";
  untimed.segments = {{0, 0, "", "Just text.", {}}};
  ASSERT_TRUE(transcripts().replace(episode, untimed));
  EXPECT_EQ(**transcripts().find(episode), untimed);
  EXPECT_EQ((*transcripts().info(episode))->origin, TranscriptOrigin{});

  ASSERT_TRUE(transcripts().replace(episode, Transcript{}));
  EXPECT_EQ(**transcripts().find(episode), Transcript{});
}

TEST_F(TranscriptTest, MissingTranscriptIsNulloptAndMissingEpisodeIsNotFound) {
  const Id episode = add_episode();
  EXPECT_FALSE(*transcripts().exists(episode));
  EXPECT_FALSE(transcripts().find(episode)->has_value());
  EXPECT_FALSE(transcripts().info(episode)->has_value());

  auto stored = transcripts().replace(episode + 100, full_transcript());
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().code, ErrorCode::NotFound);
  EXPECT_EQ(count("segments", episode + 100), "0");
}

TEST_F(TranscriptTest, ReplaceTwiceNeverDuplicates) {
  const Id episode = add_episode();
  ASSERT_TRUE(transcripts().replace(episode, full_transcript()));
  ASSERT_TRUE(transcripts().replace(episode, full_transcript()));
  EXPECT_EQ(count("segments", episode), "3");
  EXPECT_EQ(count("transcripts", episode), "1");
  EXPECT_EQ(**transcripts().find(episode), full_transcript());

  // A shorter replacement leaves nothing of the longer one behind.
  Transcript shorter = full_transcript();
  shorter.segments.resize(1);
  shorter.speakers.resize(1);
  ASSERT_TRUE(transcripts().replace(episode, shorter));
  EXPECT_EQ(count("segments", episode), "1");
  EXPECT_EQ(**transcripts().find(episode), shorter);
}

TEST_F(TranscriptTest, TranscriptsOfEpisodesAreIndependent) {
  const Id a = add_episode("a");
  const Id b = add_episode("b");
  Transcript other = full_transcript();
  other.segments.pop_back();
  ASSERT_TRUE(transcripts().replace(a, full_transcript()));
  ASSERT_TRUE(transcripts().replace(b, other));
  ASSERT_TRUE(transcripts().replace(a, full_transcript()));
  EXPECT_EQ(**transcripts().find(a), full_transcript());
  EXPECT_EQ(**transcripts().find(b), other);
}

TEST_F(TranscriptTest, RemoveIsIdempotentAndTakesTheSegments) {
  const Id episode = add_episode();
  ASSERT_TRUE(transcripts().replace(episode, full_transcript()));
  EXPECT_TRUE(*transcripts().exists(episode));
  ASSERT_TRUE(transcripts().remove(episode));
  EXPECT_FALSE(*transcripts().exists(episode));
  EXPECT_EQ(count("segments", episode), "0");
  EXPECT_TRUE(transcripts().remove(episode));
}

TEST_F(TranscriptTest, DeletingThePodcastCascadesToTranscriptSegmentsAndChapters) {
  const Id episode = add_episode();
  ASSERT_TRUE(transcripts().replace(episode, full_transcript()));
  ASSERT_TRUE(chapters().replace(episode, full_chapters()));
  const Id podcast = store_->episodes().find(episode)->podcast_id;

  ASSERT_TRUE(store_->podcasts().remove(podcast));
  EXPECT_EQ(count("transcripts", episode), "0");
  EXPECT_EQ(count("segments", episode), "0");
  EXPECT_EQ(count("chapters", episode), "0");
  EXPECT_EQ(*store_->integrity_check(), "ok");
}

TEST_F(TranscriptTest, ThirtyThousandWordsRoundTrip) {
  const Id episode = add_episode();
  const auto written = long_transcript();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(transcripts().replace(episode, written));
  const auto stored = std::chrono::steady_clock::now();
  auto read = transcripts().find(episode);
  const auto loaded = std::chrono::steady_clock::now();
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, written);
  EXPECT_EQ(count("segments", episode), "2500");
  // Reported, not asserted: tests never fail on wall-clock time (see docs/PERFORMANCE.md).
  const auto ms = [](auto d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  RecordProperty("replace_ms", static_cast<int>(ms(stored - started)));
  RecordProperty("find_ms", static_cast<int>(ms(loaded - stored)));
}

TEST_F(TranscriptTest, ChaptersRoundTripAndReplaceNeverDuplicates) {
  const Id episode = add_episode();
  EXPECT_TRUE(chapters().list(episode)->empty());
  ASSERT_TRUE(chapters().replace(episode, full_chapters()));
  ASSERT_TRUE(chapters().replace(episode, full_chapters()));
  auto listed = chapters().list(episode);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(*listed, full_chapters());
  EXPECT_EQ(count("chapters", episode), "3");

  ASSERT_TRUE(chapters().replace(episode, {}));
  EXPECT_TRUE(chapters().list(episode)->empty());
}

TEST_F(TranscriptTest, ChaptersOfAMissingEpisodeAreNotFound) {
  auto stored = chapters().replace(404, full_chapters());
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace hark::store::testing
