// The insights step and the snip service over real SQLite and the sample podcast.
#include "app/snips.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "app/jobs.hpp"
#include "app/pipeline.hpp"
#include "core/time.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"
#include "transcript/parse.hpp"

namespace hark::app {
namespace {

namespace fs = std::filesystem;

fs::path sample_dir() {
  const char* d = std::getenv("HARK_SAMPLE_DIR");
  return d != nullptr ? fs::path(d) : fs::path();
}

class SnipsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::open(dir_ / "hark.db");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    Podcast p;
    p.feed_url = "https://example.com/feed.xml";
    p.title = "Lantern Hour";
    auto podcast = store_->podcasts().insert(p);
    ASSERT_TRUE(podcast);
    std::vector<Episode> episodes;
    for (const char* key : {"ep-1", "ep-2"}) {
      Episode e;
      e.key = key;
      e.title = std::string("Episode ") + key;
      e.soundbites = {{60'000, 20'000, "A soundbite"}};
      episodes.push_back(e);
    }
    auto counts = store_->episodes().upsert(podcast->id, episodes);
    ASSERT_TRUE(counts && counts->added_ids.size() == 2);
    episode_ = counts->added_ids[0];
    bare_ = counts->added_ids[1];
    auto user = store_->users().default_user();
    ASSERT_TRUE(user);
    user_ = user->id;
  }

  void store_sample_transcript(Id episode) {
    const auto vtt = hark::testing::read_file(sample_dir() / "episode1.vtt");
    ASSERT_FALSE(vtt.empty()) << "sample podcast missing at " << sample_dir();
    auto parsed = transcript::parse_vtt(vtt);
    ASSERT_TRUE(parsed) << parsed.error().message;
    transcript_ = parsed->transcript;
    ASSERT_TRUE(store_->transcripts().replace(episode, transcript_));
  }

  Millis transcript_end() const { return transcript_.segments.back().end_ms; }

  hark::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  Id episode_ = 0;
  Id bare_ = 0;
  Id user_ = 0;
  Transcript transcript_;
};

TEST_F(SnipsTest, InsightsStepStoresHighlightsSummaryAndChaptersIdempotently) {
  store_sample_transcript(episode_);
  store::Job job = episode_job(std::string(kInsightsJob), episode_);
  std::atomic<bool> cancel{false};
  std::string message;
  JobContext context{job,
                     [&](double, std::string m) -> Status {
                       message = std::move(m);
                       return ok();
                     },
                     cancel};
  auto next = run_insights_step(*store_, context);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_TRUE(next->empty());
  EXPECT_NE(message.find("highlights"), std::string::npos) << message;

  auto highlights = store_->highlights().list(episode_);
  ASSERT_TRUE(highlights);
  ASSERT_FALSE(highlights->empty());
  for (const auto& h : *highlights) {
    EXPECT_FALSE(h.title.empty());
    EXPECT_LT(h.start_ms, h.end_ms);
  }
  auto summary = store_->summaries().find(episode_);
  ASSERT_TRUE(summary && summary->has_value());
  EXPECT_FALSE((*summary)->abstract.empty());
  EXPECT_FALSE((*summary)->takeaways.empty());
  auto chapters = store_->chapters().list(episode_);
  ASSERT_TRUE(chapters);
  EXPECT_FALSE(chapters->empty());  // generated: the episode had none

  // Run twice: same counts, nothing duplicated.
  ASSERT_TRUE(run_insights_step(*store_, context));
  EXPECT_EQ(store_->highlights().list(episode_)->size(), highlights->size());
  EXPECT_EQ(store_->chapters().list(episode_)->size(), chapters->size());
}

TEST_F(SnipsTest, PublisherChaptersAreKept) {
  store_sample_transcript(episode_);
  const std::vector<Chapter> publisher = {
      {0, 30'000, "Intro", "", "", true, "publisher"},
      {30'000, std::nullopt, "Talk", "", "", true, "publisher"}};
  ASSERT_TRUE(store_->chapters().replace(episode_, publisher));
  auto outcome = compute_insights(*store_, episode_);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->generated_chapters, 0);
  EXPECT_EQ(*store_->chapters().list(episode_), publisher);
}

TEST_F(SnipsTest, InsightsWithoutTranscriptCompleteWithAMessage) {
  auto outcome = compute_insights(*store_, bare_);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->had_transcript);
  EXPECT_EQ(outcome->message, "no transcript yet");
  EXPECT_TRUE(store_->highlights().list(bare_)->empty());
}

TEST_F(SnipsTest, SnipAtATimeIsStoredWithATitle) {
  store_sample_transcript(episode_);
  SnipService service(*store_);
  auto snip = service.snip_at(user_, episode_, 95'000);
  ASSERT_TRUE(snip) << snip.error().message;
  EXPECT_GT(snip->id, 0);
  EXPECT_FALSE(snip->title.empty());
  EXPECT_FALSE(snip->summary.empty());
  EXPECT_FALSE(snip->quote.empty());
  EXPECT_FALSE(snip->speakers.empty());
  EXPECT_EQ(snip->engine, "extractive");
  EXPECT_LT(snip->start_ms, snip->end_ms);
  EXPECT_LE(snip->start_ms, 95'000);
  auto found = store_->snips().find(user_, snip->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->title, snip->title);
  EXPECT_EQ(found->tap_ms, std::optional<Millis>(95'000));
}

TEST_F(SnipsTest, TapAtZeroAndAfterTheEndSnipTheOpeningAndClosingThoughts) {
  store_sample_transcript(episode_);
  SnipService service(*store_);
  auto opening = service.snip_at(user_, episode_, 0);
  ASSERT_TRUE(opening) << opening.error().message;
  EXPECT_FALSE(opening->title.empty());
  EXPECT_EQ(opening->start_ms, transcript_.segments.front().start_ms);

  auto closing = service.snip_at(user_, episode_, transcript_end() + 600'000);
  ASSERT_TRUE(closing) << closing.error().message;
  EXPECT_FALSE(closing->title.empty());
  EXPECT_LE(closing->end_ms, transcript_end());
  EXPECT_GT(closing->end_ms, transcript_end() - 30'000);
}

TEST_F(SnipsTest, RangeSnapsToSentences) {
  store_sample_transcript(episode_);
  SnipService service(*store_);
  auto snip = service.snip_range(user_, episode_, 30'000, 70'000);
  ASSERT_TRUE(snip) << snip.error().message;
  EXPECT_FALSE(snip->title.empty());
  EXPECT_FALSE(snip->tap_ms.has_value());
  EXPECT_LE(snip->start_ms, 30'000);
  EXPECT_GE(snip->end_ms, 70'000);
  auto backwards = service.snip_range(user_, episode_, 70'000, 30'000);
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().code, ErrorCode::InvalidInput);
}

TEST_F(SnipsTest, NoTranscriptIsAClearError) {
  SnipService service(*store_);
  auto snip = service.snip_at(user_, bare_, 10'000);
  ASSERT_FALSE(snip);
  EXPECT_EQ(snip.error().code, ErrorCode::NotFound);
  EXPECT_EQ(snip.error().message, "episode " + std::to_string(bare_) +
                                      " has no transcript yet (run: hark process " +
                                      std::to_string(bare_) + ")");
  EXPECT_TRUE(store_->snips().list(user_)->empty());
}

TEST_F(SnipsTest, UntimedTranscriptIsAClearError) {
  Transcript t;
  t.timed = false;
  t.source = "publisher:txt";
  t.segments = {{0, 0, "", "We talked about sleep. Sleep helps memory.", {}}};
  ASSERT_TRUE(store_->transcripts().replace(bare_, t));
  SnipService service(*store_);
  auto snip = service.snip_at(user_, bare_, 10'000);
  ASSERT_FALSE(snip);
  EXPECT_EQ(snip.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(snip.error().message.find("no timings"), std::string::npos) << snip.error().message;
  // The insights step still summarises it.
  auto outcome = compute_insights(*store_, bare_);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->summary);
  EXPECT_EQ(outcome->highlights, 0);
}

TEST_F(SnipsTest, NegativeTimeAndUnknownEpisodeAreErrors) {
  store_sample_transcript(episode_);
  SnipService service(*store_);
  EXPECT_EQ(service.snip_at(user_, episode_, -1).error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(service.snip_at(user_, episode_ + 100, 0).error().code, ErrorCode::NotFound);
}

TEST_F(SnipsTest, SnipsBelongToTheirUser) {
  store_sample_transcript(episode_);
  auto other = store_->users().create("other", false);
  ASSERT_TRUE(other);
  SnipService service(*store_);
  auto mine = service.snip_at(user_, episode_, 95'000);
  ASSERT_TRUE(mine);
  auto theirs = service.snip_at(other->id, episode_, 40'000);
  ASSERT_TRUE(theirs);
  EXPECT_EQ(store_->snips().list(user_)->size(), 1u);
  EXPECT_EQ(store_->snips().list(other->id)->size(), 1u);
  EXPECT_EQ(store_->snips().find(other->id, mine->id).error().code, ErrorCode::NotFound);
}

// Runs a `highlights` job for the episode the way a worker would.
Result<std::vector<store::Job>> run_highlights(store::Store& store, Id episode,
                                               std::string& message) {
  store::Job job = highlights_job(episode, 0, 0);
  std::atomic<bool> cancel{false};
  JobContext context{job,
                     [&](double, std::string m) -> Status {
                       message = std::move(m);
                       return ok();
                     },
                     cancel};
  return run_highlights_step(store, context);
}

bool covered(const std::vector<store::StoredHighlight>& highlights, Millis t) {
  return std::any_of(highlights.begin(), highlights.end(), [t](const store::StoredHighlight& h) {
    return h.start_ms <= t && t <= h.end_ms;
  });
}

TEST_F(SnipsTest, AMomentManyListenersSnippedBecomesAHighlight) {
  store_sample_transcript(episode_);
  ASSERT_TRUE(compute_insights(*store_, episode_));
  const auto before = *store_->highlights().list(episode_);
  // The middle of the first sentence no highlight covers.
  std::optional<Millis> quiet;
  for (const auto& seg : transcript_.segments) {
    const Millis mid = (seg.start_ms + seg.end_ms) / 2;
    if (!covered(before, mid) && mid > 20'000) {
      quiet = mid;
      break;
    }
  }
  ASSERT_TRUE(quiet) << "every moment of the sample is already a highlight";

  SnipService service(*store_);
  std::vector<store::Snip> made;
  for (const char* name : {"ann", "ben", "cal", "dee"}) {
    auto listener = store_->users().create(name, false);
    ASSERT_TRUE(listener);
    // Tapping twice at one place counts once per listener.
    for (Millis at : {*quiet, *quiet + 5'000}) {
      auto snip = service.snip_at(listener->id, episode_, at);
      ASSERT_TRUE(snip);
      made.push_back(*snip);
    }
  }
  // Eight snips queued one re-scoring, a minute from now.
  auto queued = store_->jobs().list();
  ASSERT_TRUE(queued);
  const auto rescoring = std::count_if(queued->begin(), queued->end(), [](const store::Job& j) {
    return j.kind == kHighlightsJob && j.state == store::JobState::Queued;
  });
  EXPECT_EQ(rescoring, 1);

  std::string message;
  auto next = run_highlights(*store_, episode_, message);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_NE(message.find("re-scored"), std::string::npos) << message;
  const auto after = *store_->highlights().list(episode_);
  EXPECT_TRUE(covered(after, *quiet)) << "the snipped moment at " << *quiet << " ms";
  EXPECT_EQ(after.size(), before.size());

  // The listeners change their minds: deleting the snips queues a re-scoring too, and the
  // moment is no longer a highlight afterwards. Nobody deletes another's snip.
  // The creations' re-scoring is done (as a worker would after its minute's wait).
  auto leased =
      store_->jobs().lease("test", {std::string(kHighlightsJob)}, now_ms() + 3'600'000, 60'000);
  ASSERT_TRUE(leased && *leased);
  ASSERT_TRUE(store_->jobs().complete((*leased)->id, "test"));
  const Id someone_else = store_->users().default_user()->id;
  EXPECT_EQ(service.remove(someone_else, made.front().id).error().code, ErrorCode::NotFound);
  for (const auto& snip : made) ASSERT_TRUE(service.remove(snip.user_id, snip.id));
  EXPECT_EQ(store_->snips().find(made.front().user_id, made.front().id).error().code,
            ErrorCode::NotFound);
  queued = store_->jobs().list();
  ASSERT_TRUE(queued);
  EXPECT_TRUE(std::any_of(queued->begin(), queued->end(), [](const store::Job& j) {
    return j.kind == kHighlightsJob && j.state == store::JobState::Queued;
  }));
  ASSERT_TRUE(run_highlights(*store_, episode_, message)) << message;
  EXPECT_FALSE(covered(*store_->highlights().list(episode_), *quiet)) << *quiet << " ms";
}

TEST_F(SnipsTest, RescoringKeepsAModelsTextForAnUnchangedSpan) {
  store_sample_transcript(episode_);
  ASSERT_TRUE(compute_insights(*store_, episode_));
  auto rows = *store_->highlights().list(episode_);
  ASSERT_FALSE(rows.empty());
  rows[0].title = "A Title The Model Wrote";
  rows[0].engine = "llm:test-model";
  ASSERT_TRUE(store_->highlights().replace(episode_, rows));

  std::string message;
  ASSERT_TRUE(run_highlights(*store_, episode_, message)) << message;
  const auto after = *store_->highlights().list(episode_);
  ASSERT_EQ(after.size(), rows.size());
  EXPECT_EQ(after[0].title, "A Title The Model Wrote");
  EXPECT_EQ(after[0].engine, "llm:test-model");
  EXPECT_EQ(after[1].engine, "extractive");
}

TEST_F(SnipsTest, RescoringBeforeTheInsightsStepLeavesItToThatStep) {
  store_sample_transcript(episode_);
  std::string message;
  auto next = run_highlights(*store_, episode_, message);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_NE(message.find("insights step"), std::string::npos) << message;
  EXPECT_TRUE(store_->highlights().list(episode_)->empty());
  // A deleted episode completes the job with nothing to do.
  ASSERT_TRUE(run_highlights(*store_, episode_ + 100, message));
  EXPECT_EQ(message, "the episode was deleted");
}

}  // namespace
}  // namespace hark::app
