// The episode pipeline end to end: real SQLite in a temporary directory, transcripts and
// chapters served over loopback HTTP, jobs run by a real Worker.
#include "app/pipeline.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "app/jobs.hpp"
#include "app/worker.hpp"
#include "loopback_server.hpp"
#include "net/http_client.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

namespace hark::app {
namespace {

// Every job of the pipeline runs once per episode.
constexpr int kSteps = static_cast<int>(kPipelineSteps.size());

using hark::testing::LoopbackServer;
using hark::testing::ServerRequest;
using hark::testing::ServerResponse;

constexpr const char* kVtt =
    "WEBVTT\n\n"
    "00:00:00.000 --> 00:00:04.000\n<v Theo>Welcome to the show.\n\n"
    "00:00:04.000 --> 00:00:08.000\n<v Priya>Thanks for having me.\n\n"
    "00:00:08.000 --> 00:00:12.000\n<v Theo>Let us begin.\n";

constexpr const char* kJsonTranscript =
    R"({"version":"1.0.0","segments":[)"
    R"({"speaker":"Theo","startTime":0,"endTime":5,"body":"From the JSON file."},)"
    R"({"speaker":"Priya","startTime":5,"endTime":9,"body":"Indeed it is."}]})";

constexpr const char* kChaptersJson =
    R"({"version":"1.2.0","chapters":[)"
    R"({"startTime":0,"title":"Intro"},{"startTime":60,"title":"Interview","url":"https://example.com"},)"
    R"({"startTime":120,"title":"Outro"}]})";

constexpr const char* kShowNotes =
    "<p>In this episode:</p><ul><li>[00:00] Hello</li><li>[01:30] The news</li>"
    "<li>[02:30] Goodbye</li></ul>";

TranscriptLink link(std::string url, std::string type = "", std::string language = "",
                    std::string rel = "") {
  TranscriptLink l;
  l.url = std::move(url);
  l.type = std::move(type);
  l.language = std::move(language);
  l.rel = std::move(rel);
  return l;
}

Person person(std::string name, std::string role) {
  Person p;
  p.name = std::move(name);
  p.role = std::move(role);
  return p;
}

ServerResponse text(std::string body, std::string type) {
  ServerResponse r;
  r.body = std::move(body);
  r.content_type = std::move(type);
  return r;
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::open(dir_ / "hark.db");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    net::Policy policy;
    policy.allow_private_networks = true;
    http_ = net::make_http_client(policy);
    register_pipeline(registry_, *store_, *http_);
  }
  void TearDown() override {
    http_.reset();
    store_.reset();
  }

  // A podcast (language en, host Theo Marsh) with one episode built by `edit`.
  template <typename Edit>
  Id add_episode(Edit edit) {
    Podcast podcast;
    podcast.feed_url = server_.url("/feed.xml");
    podcast.language = "en";
    podcast.persons = {person("Theo Marsh", "host")};
    auto inserted = store_->podcasts().insert(podcast);
    EXPECT_TRUE(inserted) << inserted.error().message;
    Episode episode;
    episode.key = "ep";
    episode.duration_ms = 180'000;
    episode.persons = {person("Theo Marsh", "host"), person("Priya Raman", "guest")};
    edit(episode);
    auto counts = store_->episodes().upsert(inserted->id, {episode});
    EXPECT_TRUE(counts) << counts.error().message;
    return counts->added_ids.front();
  }

  RunSummary process(Id episode_id) {
    auto queued = enqueue_episode(*store_, episode_id);
    EXPECT_TRUE(queued) << queued.error().message;
    WorkerOptions options;
    options.progress_interval_ms = 0;
    Worker worker(store_->jobs(), registry_, options);
    auto summary = worker.run_until_idle();
    EXPECT_TRUE(summary) << summary.error().message;
    return summary ? *summary : RunSummary{};
  }

  std::optional<Transcript> transcript_of(Id episode_id) {
    auto found = store_->transcripts().find(episode_id);
    EXPECT_TRUE(found) << found.error().message;
    return found ? *found : std::nullopt;
  }

  std::vector<Chapter> chapters_of(Id episode_id) {
    auto found = store_->chapters().list(episode_id);
    EXPECT_TRUE(found) << found.error().message;
    return found ? *found : std::vector<Chapter>{};
  }

  store::Job job_of_kind(std::string_view kind) {
    auto jobs = store_->jobs().list(-1);
    EXPECT_TRUE(jobs);
    for (const auto& job : *jobs)
      if (job.kind == kind) return job;  // newest first
    ADD_FAILURE() << "no " << kind << " job";
    return {};
  }

  LoopbackServer server_;
  hark::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<net::HttpClient> http_;
  JobRegistry registry_;
};

TEST(RankTranscriptLinks, PrefersPodcastLanguageThenFormatAndSkipsCaptions) {
  const std::vector<TranscriptLink> links = {
      link("https://x/a.srt", "application/srt", "en"),
      link("https://x/b.json", "application/json", "de"),
      link("https://x/c.vtt", "text/vtt", "en-US"),
      link("https://x/d.json", "application/json", "en", "captions"),
      link("https://x/e.html", "text/html", "en"),
  };
  const auto ranked = rank_transcript_links(links, "en");
  ASSERT_EQ(ranked.size(), 5u);
  EXPECT_EQ(ranked[0].url, "https://x/c.vtt");
  EXPECT_EQ(ranked[1].url, "https://x/a.srt");
  EXPECT_EQ(ranked[2].url, "https://x/e.html");
  EXPECT_EQ(ranked[3].url, "https://x/b.json");
  EXPECT_EQ(ranked[4].url, "https://x/d.json");  // captions only as the last resort
}

TEST(RankTranscriptLinks, FormatFromExtensionWhenTypeIsMissing) {
  const auto ranked =
      rank_transcript_links({link("https://x/t.txt"), link("https://x/t.vtt?v=2"), link("")}, "");
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].url, "https://x/t.vtt?v=2");
}

TEST(NextPipelineJobs, ChainsTranscriptToIndexToChaptersToInsightsAndEndsThere) {
  const auto after_transcript = next_pipeline_jobs(kTranscriptJob, 7);
  ASSERT_EQ(after_transcript.size(), 1u);
  EXPECT_EQ(after_transcript[0].kind, kIndexJob);
  EXPECT_EQ(after_transcript[0].dedupe_key, "index:7");
  const auto after_index = next_pipeline_jobs(kIndexJob, 7);
  ASSERT_EQ(after_index.size(), 1u);
  EXPECT_EQ(after_index[0].kind, kChaptersJob);
  EXPECT_EQ(after_index[0].dedupe_key, "chapters:7");
  const auto after_chapters = next_pipeline_jobs(kChaptersJob, 7);
  ASSERT_EQ(after_chapters.size(), 1u);
  EXPECT_EQ(after_chapters[0].kind, kInsightsJob);
  EXPECT_TRUE(next_pipeline_jobs(kInsightsJob, 7).empty());
}

TEST_F(PipelineTest, BestLinkIsFetchedAndSpeakersAreNamed) {
  server_.on("/t.vtt", [](const ServerRequest&) { return text(kVtt, "text/vtt"); });
  server_.on("/t.json",
             [](const ServerRequest&) { return text(kJsonTranscript, "application/json"); });
  const Id id = add_episode([&](Episode& e) {
    e.transcripts = {link(server_.url("/t.vtt"), "text/vtt", "en"),
                     link(server_.url("/t.json"), "application/json", "en")};
  });
  const auto summary = process(id);
  EXPECT_EQ(summary.done, kSteps);
  EXPECT_EQ(summary.failed, 0);
  EXPECT_TRUE(server_.requests_to("/t.vtt").empty());
  const auto t = transcript_of(id);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->source, "publisher:json");
  ASSERT_EQ(t->segments.size(), 2u);
  EXPECT_EQ(speaker_name(*t, t->segments[0].speaker), "Theo Marsh");
  EXPECT_EQ(speaker_name(*t, t->segments[1].speaker), "Priya Raman");
}

TEST_F(PipelineTest, BrokenLinkFallsBackToTheNextOne) {
  server_.on("/t.vtt", [](const ServerRequest&) { return text(kVtt, "text/vtt"); });
  const Id id = add_episode([&](Episode& e) {
    e.transcripts = {link(server_.url("/gone.json"), "application/json"),
                     link(server_.url("/t.vtt"), "text/vtt")};
  });
  EXPECT_EQ(process(id).done, kSteps);
  const auto t = transcript_of(id);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->source, "publisher:vtt");
  EXPECT_EQ(t->segments.size(), 3u);
}

TEST_F(PipelineTest, BrokenTranscriptLeavesEpisodeWaitingThenAGoodOneWorks) {
  std::atomic<bool> available{false};
  server_.on("/t.vtt", [&](const ServerRequest&) {
    if (available) return text(kVtt, "text/vtt");
    ServerResponse gone;
    gone.status = 404;
    return gone;
  });
  const Id id = add_episode(
      [&](Episode& e) { e.transcripts = {link(server_.url("/t.vtt"), "text/vtt", "en")}; });

  const auto first = process(id);
  EXPECT_EQ(first.done, kSteps);
  EXPECT_EQ(first.failed, 0);
  EXPECT_EQ(first.retrying, 0);
  EXPECT_FALSE(transcript_of(id));
  const auto job = job_of_kind(kTranscriptJob);
  EXPECT_EQ(job.state, store::JobState::Done);
  EXPECT_NE(job.progress_message.find("no usable publisher transcript"), std::string::npos)
      << job.progress_message;
  EXPECT_NE(job.progress_message.find("404"), std::string::npos) << job.progress_message;
  EXPECT_NE(job.progress_message.find("waiting for speech-to-text"), std::string::npos);

  available = true;
  EXPECT_EQ(process(id).done, kSteps);
  ASSERT_TRUE(transcript_of(id));
  EXPECT_EQ(transcript_of(id)->segments.size(), 3u);
}

TEST_F(PipelineTest, UnparsableTranscriptDoesNotFailThePipeline) {
  server_.on("/t.json", [](const ServerRequest&) { return text("{not json", "application/json"); });
  const Id id = add_episode(
      [&](Episode& e) { e.transcripts = {link(server_.url("/t.json"), "application/json")}; });
  const auto summary = process(id);
  EXPECT_EQ(summary.done, kSteps);
  EXPECT_EQ(summary.failed, 0);
  EXPECT_FALSE(transcript_of(id));
}

TEST_F(PipelineTest, ChaptersJsonIsPreferredOverShowNotes) {
  server_.on("/c.json",
             [](const ServerRequest&) { return text(kChaptersJson, "application/json"); });
  const Id id = add_episode([&](Episode& e) {
    e.chapters_url = server_.url("/c.json");
    e.content_html = kShowNotes;
  });
  process(id);
  const auto chapters = chapters_of(id);
  ASSERT_EQ(chapters.size(), 3u);
  EXPECT_EQ(chapters[0].title, "Intro");
  EXPECT_EQ(chapters[1].source, "publisher");
  EXPECT_EQ(chapters[1].url, "https://example.com");
  EXPECT_EQ(chapters[1].end_ms, 120'000);
  EXPECT_EQ(chapters[2].end_ms, 180'000);
}

TEST_F(PipelineTest, ShowNotesAreUsedWithoutAChaptersFile) {
  const Id id = add_episode([&](Episode& e) {
    e.chapters_url = server_.url("/missing.json");  // 404
    e.content_html = kShowNotes;
  });
  const auto summary = process(id);
  EXPECT_EQ(summary.failed, 0);
  const auto chapters = chapters_of(id);
  ASSERT_EQ(chapters.size(), 3u) << job_of_kind(kChaptersJob).progress_message;
  EXPECT_EQ(chapters[0].source, "shownotes");
  EXPECT_EQ(chapters[1].title, "The news");
  EXPECT_EQ(chapters[1].start_ms, 90'000);
}

TEST_F(PipelineTest, RerunningDoesNotDuplicateSegmentsOrChapters) {
  server_.on("/t.vtt", [](const ServerRequest&) { return text(kVtt, "text/vtt"); });
  server_.on("/c.json",
             [](const ServerRequest&) { return text(kChaptersJson, "application/json"); });
  const Id id = add_episode([&](Episode& e) {
    e.transcripts = {link(server_.url("/t.vtt"), "text/vtt")};
    e.chapters_url = server_.url("/c.json");
  });
  process(id);
  process(id);
  EXPECT_EQ(process(id).done, kSteps);
  ASSERT_TRUE(transcript_of(id));
  EXPECT_EQ(transcript_of(id)->segments.size(), 3u);
  EXPECT_EQ(chapters_of(id).size(), 3u);
  auto info = store_->transcripts().info(id);
  ASSERT_TRUE(info && *info);
  EXPECT_EQ((*info)->segment_count, 3);
}

TEST_F(PipelineTest, MissingEpisodeFailsAtOnce) {
  auto queued = store_->jobs().enqueue(episode_job(std::string(kTranscriptJob), 9999));
  ASSERT_TRUE(queued);
  Worker worker(store_->jobs(), registry_, WorkerOptions{});
  auto summary = worker.run_until_idle();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->failed, 1);
  EXPECT_FALSE(enqueue_episode(*store_, 9999));
}

}  // namespace
}  // namespace hark::app
