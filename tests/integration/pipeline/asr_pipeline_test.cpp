// The transcript step's speech-to-text path: real SQLite, enclosures served over loopback HTTP
// and downloaded by the Library, a loopback server speaking the OpenAI transcription API, real
// FFmpeg decoding, jobs run by a real Worker. Covers the stored origin and language, the
// prompt, per-chunk progress, and the failures that must end in a clear stored job error
// while the library stays as it was: corrupt audio, audio without speech, a 0-byte enclosure,
// and a service that cannot be reached (retried, naming its URL and where it was configured).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/asr_config.hpp"
#include "app/jobs.hpp"
#include "app/library.hpp"
#include "app/pipeline.hpp"
#include "app/worker.hpp"
#include "asr/chunked_transcriber.hpp"
#include "asr/wav.hpp"
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
using json = nlohmann::json;

// `seconds` of 16 kHz mono audio: a warbling tone (something to transcribe) or silence.
std::string wav(double seconds, bool silent) {
  std::vector<float> samples(static_cast<std::size_t>(seconds * 16000));
  if (!silent) {
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const double t = static_cast<double>(i) / 16000.0;
      samples[i] = static_cast<float>(0.3 * std::sin(2 * M_PI * (220 + 80 * std::sin(3 * t)) * t));
    }
  }
  return asr::encode_wav(samples);
}

ServerResponse body(std::string bytes, std::string type) {
  ServerResponse r;
  r.body = std::move(bytes);
  r.content_type = std::move(type);
  return r;
}

// What the OpenAI API answers for speech, and for silence (no segments).
std::string speech_answer() {
  json segment = {{"id", 0},
                  {"start", 0.2},
                  {"end", 2.5},
                  {"text", " Hello from the speech service."},
                  {"avg_logprob", -0.2},
                  {"no_speech_prob", 0.01}};
  return json{{"task", "transcribe"},
              {"language", "english"},
              {"duration", 4.0},
              {"text", " Hello from the speech service."},
              {"segments", json::array({segment})}}
      .dump();
}
constexpr const char* kSilenceAnswer =
    R"({"task":"transcribe","language":"english","duration":4.0,"text":"","segments":[]})";

// Keeps the last request body it sent (the loopback server does not see multipart bodies).
class RecordingClient final : public net::HttpClient {
 public:
  explicit RecordingClient(std::unique_ptr<net::HttpClient> inner) : inner_(std::move(inner)) {}
  Result<net::Response> fetch(const net::Request& request,
                              const net::ProgressFn& progress) override {
    {
      std::lock_guard lock(mutex_);
      last_body_ = request.body;
    }
    return inner_->fetch(request, progress);
  }
  Result<net::DownloadResult> download(const net::Request& request,
                                       const std::filesystem::path& file, std::int64_t resume_from,
                                       const net::ProgressFn& progress,
                                       std::int64_t max_bytes) override {
    return inner_->download(request, file, resume_from, progress, max_bytes);
  }
  std::string last_body() const {
    std::lock_guard lock(mutex_);
    return last_body_;
  }

 private:
  std::unique_ptr<net::HttpClient> inner_;
  mutable std::mutex mutex_;
  std::string last_body_;
};

Person person(std::string name, std::string role) {
  Person p;
  p.name = std::move(name);
  p.role = std::move(role);
  return p;
}

class AsrPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::open(dir_ / "hark.db");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    net::Policy policy;
    policy.allow_private_networks = true;  // the enclosures are on loopback
    http_ = net::make_http_client(policy);
    LibraryOptions library;
    library.media_dir = dir_ / "media";
    library_ = std::make_unique<Library>(*store_, *http_, library);
    asr_.on("/v1/audio/transcriptions", [this](const ServerRequest& request) {
      (void)request;
      ++asr_requests_;
      return body(answer_, "application/json");
    });
  }
  void TearDown() override {
    transcriber_.reset();
    asr_http_.reset();
    library_.reset();
    http_.reset();
    store_.reset();
  }

  // Registers the pipeline with speech-to-text at `url` (the loopback service by default),
  // through the same [asr] parsing and HTTP policy the App uses: feeds' client refuses
  // nothing here, but the ASR client allows only the configured host.
  void use_asr(const std::string& url, bool auto_transcribe = true) {
    AsrConfig asr;
    const std::string toml = "[asr]\nurl = \"" + url + "\"\nmodel = \"base\"\nauto_transcribe = " +
                             (auto_transcribe ? "true" : "false") + "\n";
    ASSERT_TRUE(apply_asr_toml(toml, "hark.toml", asr));
    auto recording =
        std::make_unique<RecordingClient>(net::make_http_client(asr_http_policy(asr, Config{})));
    recording_ = recording.get();
    asr_http_ = std::move(recording);
    asr::ChunkedOptions chunked;
    chunked.retry.max_attempts = 1;  // a dead service fails the attempt at once
    auto made = asr::ChunkedTranscriber::create(*asr_http_, asr.endpoints, chunked);
    ASSERT_TRUE(made) << made.error().message;
    transcriber_ = std::move(*made);
    PipelineOptions options;
    options.transcriber = transcriber_.get();
    options.download = [this](Id id, const net::ProgressFn& progress) {
      return library_->download(id, progress);
    };
    options.auto_transcribe = asr.auto_transcribe;
    options.asr_source = asr.source;
    register_pipeline(registry_, *store_, *http_, options);
  }

  // A podcast (language en) with one episode whose enclosure is served at /audio.
  Id add_episode(std::string enclosure_bytes, std::string type = "audio/wav") {
    enclosure_.on("/audio", [bytes = std::move(enclosure_bytes), type](const ServerRequest&) {
      return body(bytes, type);
    });
    Podcast podcast;
    podcast.feed_url = enclosure_.url("/feed.xml");
    podcast.title = "Lantern Hour";
    podcast.language = "en-US";
    podcast.persons = {person("Theo Marsh", "host")};
    auto inserted = store_->podcasts().insert(podcast);
    EXPECT_TRUE(inserted) << inserted.error().message;
    Episode episode;
    episode.key = "ep";
    episode.title = "Sleep on It";
    episode.enclosure_url = enclosure_.url("/audio");
    episode.enclosure_type = type;
    episode.persons = {person("Priya Raman", "guest")};
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

  store::Job transcript_job() {
    auto jobs = store_->jobs().list(-1);
    EXPECT_TRUE(jobs);
    for (const auto& job : *jobs)
      if (job.kind == kTranscriptJob) return job;
    ADD_FAILURE() << "no transcript job";
    return {};
  }

  Episode episode(Id id) {
    auto e = store_->episodes().find(id);
    EXPECT_TRUE(e) << e.error().message;
    return e ? *e : Episode{};
  }

  // The job failed for good with a message containing `expected`, and nothing in the library
  // changed: no transcript, no chapters, no download recorded, no file left in the media dir.
  void expect_failed_cleanly(Id id, const std::string& expected) {
    const auto job = transcript_job();
    EXPECT_EQ(job.state, store::JobState::Failed);
    EXPECT_EQ(job.attempts, 1);  // InvalidInput: not retried
    EXPECT_NE(job.last_error.find(expected), std::string::npos) << job.last_error;
    auto has = store_->transcripts().exists(id);
    ASSERT_TRUE(has);
    EXPECT_FALSE(*has);
    auto chapters = store_->chapters().list(id);
    ASSERT_TRUE(chapters);
    EXPECT_TRUE(chapters->empty());
    const auto e = episode(id);
    EXPECT_EQ(e.download_path, "");
    EXPECT_EQ(e.download_size, 0);
    std::error_code ec;
    std::size_t files = 0;
    for (auto it = std::filesystem::recursive_directory_iterator(dir_ / "media", ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); ++it)
      files += it->is_regular_file() ? 1 : 0;
    EXPECT_EQ(files, 0u);
  }

  LoopbackServer enclosure_;
  LoopbackServer asr_;
  std::string answer_ = speech_answer();
  std::atomic<int> asr_requests_{0};
  RecordingClient* recording_ = nullptr;
  hark::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Library> library_;
  std::unique_ptr<net::HttpClient> asr_http_;
  std::unique_ptr<asr::ChunkedTranscriber> transcriber_;
  JobRegistry registry_;
};

TEST_F(AsrPipelineTest, NoPublisherTranscriptMeansSpeechToTextStoredWithItsOrigin) {
  use_asr(asr_.url(""));
  const Id id = add_episode(wav(4, false));
  const auto summary = process(id);
  EXPECT_EQ(summary.done, kSteps);
  EXPECT_EQ(summary.failed, 0);
  EXPECT_EQ(asr_requests_.load(), 1);
  // The prompt names the podcast and its people; the language comes from the feed.
  const auto body = recording_->last_body();
  const auto fields = body.substr(std::min(body.size(), body.find("name=\"model\"")));
  EXPECT_NE(fields.find("Lantern Hour. With Priya Raman, Theo Marsh."), std::string::npos)
      << fields;
  EXPECT_NE(fields.find("name=\"language\"\r\n\r\nen\r\n"), std::string::npos) << fields;

  auto info = store_->transcripts().info(id);
  ASSERT_TRUE(info && *info);
  EXPECT_EQ((*info)->source, "asr:openai");
  EXPECT_EQ((*info)->origin.engine, "openai");
  EXPECT_EQ((*info)->origin.model, "base");
  EXPECT_EQ((*info)->language, "en");
  auto t = store_->transcripts().find(id);
  ASSERT_TRUE(t && *t);
  ASSERT_EQ((*t)->segments.size(), 1u);
  EXPECT_EQ((*t)->segments[0].text, "Hello from the speech service.");
  // The audio stays downloaded (the chapters step and the player use it).
  const auto e = episode(id);
  EXPECT_FALSE(e.download_path.empty());
  EXPECT_TRUE(std::filesystem::exists(e.download_path));
  const auto job = transcript_job();
  EXPECT_EQ(job.state, store::JobState::Done);
  EXPECT_NE(
      job.progress_message.find("stored the speech-to-text transcript (asr:openai, model base"),
      std::string::npos)
      << job.progress_message;
}

TEST_F(AsrPipelineTest, PublisherTranscriptIsPreferredAndNoAudioIsFetched) {
  use_asr(asr_.url(""));
  enclosure_.on("/t.vtt", [](const ServerRequest&) {
    return body("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nFrom the publisher.\n", "text/vtt");
  });
  const Id id = add_episode(wav(4, false));
  TranscriptLink link;
  link.url = enclosure_.url("/t.vtt");
  link.type = "text/vtt";
  auto e = episode(id);
  e.transcripts = {link};
  ASSERT_TRUE(store_->episodes().upsert(e.podcast_id, {e}));
  EXPECT_EQ(process(id).done, kSteps);
  EXPECT_EQ(asr_requests_.load(), 0);
  EXPECT_TRUE(enclosure_.requests_to("/audio").empty());
  auto info = store_->transcripts().info(id);
  ASSERT_TRUE(info && *info);
  EXPECT_EQ((*info)->source, "publisher:vtt");
}

TEST_F(AsrPipelineTest, AutoTranscribeOffLeavesTheEpisodeWaiting) {
  use_asr(asr_.url(""), /*auto_transcribe=*/false);
  const Id id = add_episode(wav(4, false));
  EXPECT_EQ(process(id).done, kSteps);
  EXPECT_EQ(asr_requests_.load(), 0);
  const auto job = transcript_job();
  EXPECT_NE(job.progress_message.find("auto_transcribe is off"), std::string::npos)
      << job.progress_message;
}

TEST_F(AsrPipelineTest, CorruptAudioFailsForGoodAndLeavesTheLibraryAsItWas) {
  use_asr(asr_.url(""));
  std::string garbage;
  for (int i = 0; i < 64 * 1024; ++i) garbage += static_cast<char>((i * 37 + i / 251) & 0xFF);
  const Id id = add_episode(garbage, "audio/mpeg");
  const auto summary = process(id);
  EXPECT_EQ(summary.failed, 1);
  EXPECT_EQ(asr_requests_.load(), 0);
  expect_failed_cleanly(
      id, "speech-to-text of episode " + std::to_string(id) + " failed: cannot decode");
}

TEST_F(AsrPipelineTest, AudioWithoutSpeechFailsWithNoSpeechFound) {
  use_asr(asr_.url(""));
  answer_ = kSilenceAnswer;
  const Id id = add_episode(wav(4, true));
  const auto summary = process(id);
  EXPECT_EQ(summary.failed, 1);
  EXPECT_EQ(asr_requests_.load(), 1);
  expect_failed_cleanly(id, "no speech found in the audio of episode " + std::to_string(id));
}

TEST_F(AsrPipelineTest, EmptyEnclosureFailsForGood) {
  use_asr(asr_.url(""));
  const Id id = add_episode("", "audio/mpeg");
  const auto summary = process(id);
  EXPECT_EQ(summary.failed, 1);
  EXPECT_EQ(asr_requests_.load(), 0);
  expect_failed_cleanly(id, "the file is empty");
}

TEST_F(AsrPipelineTest, UnreachableServiceIsRetriedAndNamesTheUrlAndTheSetting) {
  std::string dead_url;
  {
    LoopbackServer gone;
    dead_url = gone.url("");
  }
  use_asr(dead_url);
  const Id id = add_episode(wav(4, false));
  const auto summary = process(id);
  EXPECT_EQ(summary.failed, 0);
  EXPECT_EQ(summary.retrying, 1);
  const auto job = transcript_job();
  EXPECT_EQ(job.state, store::JobState::Queued);
  EXPECT_NE(job.last_error.find(dead_url), std::string::npos) << job.last_error;
  EXPECT_NE(job.last_error.find("hark.toml [asr]"), std::string::npos) << job.last_error;
  auto has = store_->transcripts().exists(id);
  ASSERT_TRUE(has);
  EXPECT_FALSE(*has);
}

TEST_F(AsrPipelineTest, TheAsrClientReachesOnlyTheConfiguredPrivateHost) {
  AsrConfig asr;
  ASSERT_TRUE(apply_asr_toml("[asr]\nurl = \"" + asr_.url("") + "\"\n", "hark.toml", asr));
  auto client = net::make_http_client(asr_http_policy(asr, Config{}));
  auto allowed = client->fetch(net::Request{.url = asr_.url("/v1/audio/transcriptions")});
  EXPECT_TRUE(allowed) << allowed.error().message;
  auto refused = client->fetch(net::Request{.url = enclosure_.url("/audio")});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Forbidden);
}

// ---- [asr] parsing -----------------------------------------------------------------------

TEST(AsrConfig, ShorthandAndDefaults) {
  AsrConfig c;
  ASSERT_TRUE(apply_asr_toml("[asr]\nurl = \"http://127.0.0.1:8930\"\n", "f", c));
  ASSERT_EQ(c.endpoints.size(), 1u);
  EXPECT_EQ(c.endpoints[0].kind, asr::EngineKind::OpenAI);
  EXPECT_EQ(c.endpoints[0].model, "whisper-1");
  EXPECT_EQ(c.endpoints[0].concurrency, 1);
  EXPECT_EQ(c.language, "auto");
  EXPECT_TRUE(c.auto_transcribe);
  AsrConfig none;
  ASSERT_TRUE(apply_asr_toml("[network]\ntimeout_seconds = 3\n", "f", none));
  EXPECT_FALSE(none.enabled());
}

TEST(AsrConfig, EndpointListWithKindsKeysAndChunking) {
  ::setenv("HARK_TEST_ASR_KEY", "sk-test", 1);
  AsrConfig c;
  const auto status = apply_asr_toml(R"([asr]
language = "de"
auto_transcribe = false
chunk_seconds = 60
endpoints = [
  { url = "http://gpu1:8000", kind = "openai", model = "large-v3", api_key_env = "HARK_TEST_ASR_KEY", concurrency = 2, timeout_seconds = 120 },
  { url = "http://gpu2:8080/inference", kind = "whisper.cpp" },
]
)",
                                     "f", c);
  ASSERT_TRUE(status) << status.error().message;
  ASSERT_EQ(c.endpoints.size(), 2u);
  EXPECT_EQ(c.endpoints[0].api_key, "sk-test");
  EXPECT_EQ(c.endpoints[0].concurrency, 2);
  EXPECT_EQ(c.endpoints[0].timeout_ms, 120'000);
  EXPECT_EQ(c.endpoints[1].kind, asr::EngineKind::WhisperCpp);
  EXPECT_EQ(c.endpoints[1].model, "");
  EXPECT_EQ(c.language, "de");
  EXPECT_FALSE(c.auto_transcribe);
  EXPECT_EQ(c.chunking.target_ms, 60'000);
  EXPECT_LE(c.chunking.min_ms, 60'000);
  EXPECT_GE(c.chunking.max_ms, 60'000);
  const auto policy = asr_http_policy(c, Config{});
  EXPECT_EQ(policy.allowed_private_hosts, (std::vector<std::string>{"gpu1:8000", "gpu2:8080"}));
  EXPECT_FALSE(policy.allow_private_networks);
}

TEST(AsrConfig, MistakesAreErrorsNamingTheSetting) {
  const auto error_of = [](const std::string& toml) {
    AsrConfig c;
    auto s = apply_asr_toml(toml, "hark.toml", c);
    return s ? std::string("ok") : s.error().message;
  };
  EXPECT_NE(error_of("[asr]\nurl = \"http://x\"\nmodle = \"base\"\n").find("'asr.modle'"),
            std::string::npos);
  EXPECT_NE(error_of("[asr]\nendpoints = [{ url = \"http://x\", speed = 2 }]\n")
                .find("asr.endpoints[1].speed"),
            std::string::npos);
  EXPECT_NE(error_of("[asr]\nurl = \"ftp://x\"\n").find("http://"), std::string::npos);
  EXPECT_NE(error_of("[asr]\nurl = \"http://x\"\nkind = \"kaldi\"\n").find("whisper.cpp"),
            std::string::npos);
  EXPECT_NE(error_of("[asr]\nurl = \"http://x\"\nconcurrency = 0\n").find("concurrency"),
            std::string::npos);
  EXPECT_NE(error_of("[asr]\nurl = \"http://x\"\napi_key_env = \"HARK_NO_SUCH_VAR_42\"\n")
                .find("HARK_NO_SUCH_VAR_42"),
            std::string::npos);
  EXPECT_NE(
      error_of("[asr]\nurl = \"http://x\"\nendpoints = [{ url = \"http://y\" }]\n").find("both"),
      std::string::npos);
  EXPECT_NE(error_of("[asr]\nlanguage = \"english\"\n").find("asr.language"), std::string::npos);
  EXPECT_NE(error_of("[asr]\nmodel = \"base\"\n").find("'asr.url' is required"), std::string::npos);
}

TEST(AsrConfig, OverrideAndHostPort) {
  AsrConfig c;
  ASSERT_TRUE(apply_asr_toml("[asr]\nurl = \"http://a:1\"\nmodel = \"base\"\n", "f", c));
  ::unsetenv("HARK_ASR_MODEL");
  ASSERT_TRUE(override_endpoint(c, "http://127.0.0.1:8930", "--asr"));
  ASSERT_EQ(c.endpoints.size(), 1u);
  EXPECT_EQ(c.endpoints[0].url, "http://127.0.0.1:8930");
  EXPECT_EQ(c.endpoints[0].model, "base");  // the configured model carries over
  EXPECT_EQ(c.source, "--asr");
  EXPECT_FALSE(override_endpoint(c, "127.0.0.1:8930", "--asr"));
  EXPECT_EQ(host_port_of("https://user:pw@Example.com/v1"), "example.com:443");
  EXPECT_EQ(host_port_of("http://[::1]:8930/x"), "[::1]:8930");
  EXPECT_EQ(host_port_of("http://gpu"), "gpu:80");
  EXPECT_EQ(host_port_of("file:///x"), "");
}

}  // namespace
}  // namespace hark::app
