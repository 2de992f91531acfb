// Snips written by a language model, over real SQLite and a real HTTP client, where the
// model service is a loopback server that fails the way real ones do (errors, hangs, bad
// keys, broken or refusing replies). The real model is in snip_real_llm_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "app/jobs.hpp"
#include "app/snips.hpp"
#include "llm/openai_chat.hpp"
#include "loopback_server.hpp"
#include "net/http_client.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"
#include "transcript/parse.hpp"

namespace hark::app {
namespace {

namespace fs = std::filesystem;
using hark::testing::LoopbackServer;
using hark::testing::ServerRequest;
using hark::testing::ServerResponse;
using nlohmann::json;
using namespace std::chrono_literals;

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

ServerResponse completion(const std::string& content) {
  json body = {{"object", "chat.completion"},
               {"model", "fake"},
               {"choices",
                {{{"index", 0},
                  {"message", {{"role", "assistant"}, {"content", content}}},
                  {"finish_reason", "stop"}}}}};
  return {200, {}, "application/json", body.dump()};
}

ServerResponse error_response(int status, const std::string& message) {
  return {status,
          {},
          "application/json",
          json{{"error", {{"message", message}, {"type", "error"}}}}.dump()};
}

// A reply that quotes the excerpt's first sentence, as a good model would.
ServerResponse good_reply(const ServerRequest& request, const std::string& quote_override = "") {
  const auto body = json::parse(request.body);
  const std::string user = body["messages"][1]["content"];
  std::smatch m;
  std::string quote = quote_override;
  if (quote.empty() && std::regex_search(user, m, std::regex(R"(\):\n[^:\n]+: ([^.?!]+[.?!]))")))
    quote = m[1];
  return completion(json{
      {"title", "Sleep Files Memories Away"},
      {"summary", "Priya explains how deep sleep stores what we learned."},
      {"takeaways", {"Deep sleep replays the day", "Spindles mark the replay"}},
      {"quote", quote}}.dump());
}

class SnipLlmTest : public ::testing::Test {
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
    Episode e;
    e.key = "ep-1";
    e.title = "Sleep on It";
    auto counts = store_->episodes().upsert(podcast->id, {e});
    ASSERT_TRUE(counts && counts->added_ids.size() == 1);
    episode_ = counts->added_ids[0];
    user_ = store_->users().default_user()->id;
    const char* sample = std::getenv("HARK_SAMPLE_DIR");
    const auto vtt = hark::testing::read_file(fs::path(sample ? sample : "") / "episode1.vtt");
    ASSERT_FALSE(vtt.empty()) << "sample podcast missing";
    auto parsed = transcript::parse_vtt(vtt);
    ASSERT_TRUE(parsed);
    ASSERT_TRUE(store_->transcripts().replace(episode_, parsed->transcript));
  }
  void TearDown() override { http_.reset(); }

  llm::OpenAiChat& model(Millis timeout_ms = 5000) {
    llm::RetryOptions retry;
    retry.sleep = [](Millis) {};
    model_ = std::make_unique<llm::OpenAiChat>(
        *http_, llm::ChatEndpoint{server_.url("/v1"), "fake", "", timeout_ms, "hark.toml [llm]"},
        retry);
    return *model_;
  }
  // A snip made the CLI's way (the model writes it before it is stored).
  store::Snip snip_now(Millis timeout_ms = 5000) {
    SnipService service(*store_, {&model(timeout_ms), false});
    auto snip = service.snip_at(user_, episode_, 60'000);
    EXPECT_TRUE(snip) << snip.error().message;
    return snip ? *snip : store::Snip{};
  }
  // What the extractive engine alone makes of the same tap.
  store::Snip extractive() {
    auto snip = SnipService(*store_).snip_at(user_, episode_, 60'000);
    EXPECT_TRUE(snip);
    return *snip;
  }

  hark::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  LoopbackServer server_;
  std::unique_ptr<net::HttpClient> http_ =
      net::make_http_client(net::Policy{.allow_private_networks = true});
  std::unique_ptr<llm::OpenAiChat> model_;
  Id episode_ = 0;
  Id user_ = 0;
};

TEST_F(SnipLlmTest, TwoServerErrorsThenSuccessIsWrittenByTheModel) {
  std::atomic<int> calls{0};
  server_.on("/v1/chat/completions", [&](const ServerRequest& r) {
    if (++calls <= 2) return error_response(500, "warming up");
    return good_reply(r);
  });
  const auto snip = snip_now();
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(snip.engine, "llm:fake");
  EXPECT_EQ(snip.fallback_reason, "");
  EXPECT_EQ(snip.title, "Sleep Files Memories Away");
  EXPECT_EQ(snip.takeaways.size(), 2U);
  EXPECT_FALSE(snip.quote_speaker.empty());
  // The prompt named the podcast and the episode.
  const auto sent = json::parse(server_.requests().back().body);
  const std::string user = sent["messages"][1]["content"];
  EXPECT_TRUE(contains(user, "Podcast: Lantern Hour\nEpisode: Sleep on It\n")) << user;
  auto stored = store_->snips().find(user_, snip.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->engine, "llm:fake");
}

TEST_F(SnipLlmTest, AHangingModelTimesOutIntoTheExtractiveSnip) {
  server_.on("/v1/chat/completions", [](const ServerRequest& r) {
    auto response = good_reply(r);
    response.delay = 10s;
    return response;
  });
  const auto t0 = std::chrono::steady_clock::now();
  const auto snip = snip_now(/*timeout_ms=*/300);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  const auto plain = extractive();
  EXPECT_EQ(snip.engine, "extractive");
  EXPECT_EQ(snip.title, plain.title);
  EXPECT_EQ(snip.summary, plain.summary);
  EXPECT_TRUE(contains(snip.fallback_reason, "timed out")) << snip.fallback_reason;
}

TEST_F(SnipLlmTest, ABadKeyIsRecordedWithTheSettingToFix) {
  server_.on("/v1/chat/completions",
             [](const ServerRequest&) { return error_response(401, "invalid api key"); });
  const auto snip = snip_now();
  EXPECT_EQ(snip.engine, "extractive");
  EXPECT_TRUE(contains(snip.fallback_reason, "requires an API key")) << snip.fallback_reason;
  EXPECT_TRUE(contains(snip.fallback_reason, "api_key_env")) << snip.fallback_reason;
  EXPECT_TRUE(contains(snip.fallback_reason, "hark.toml [llm]")) << snip.fallback_reason;
  EXPECT_EQ(server_.requests().size(), 1U);  // not retried
}

TEST_F(SnipLlmTest, InvalidJsonFallsBack) {
  server_.on("/v1/chat/completions", [](const ServerRequest&) {
    return completion("{\"title\": \"Sleep\", \"summary\": \"cut off");
  });
  const auto snip = snip_now();
  EXPECT_EQ(snip.engine, "extractive");
  EXPECT_EQ(snip.title, extractive().title);
  EXPECT_TRUE(contains(snip.fallback_reason, "no JSON object")) << snip.fallback_reason;
}

TEST_F(SnipLlmTest, ARefusalFallsBack) {
  server_.on("/v1/chat/completions", [](const ServerRequest&) {
    return completion("I'm sorry, but as an AI I cannot summarise copyrighted audio.");
  });
  const auto snip = snip_now();
  EXPECT_EQ(snip.engine, "extractive");
  EXPECT_TRUE(contains(snip.fallback_reason, "refusal")) << snip.fallback_reason;
}

TEST_F(SnipLlmTest, AQuoteThatIsNotInTheTextIsReplaced) {
  server_.on("/v1/chat/completions", [](const ServerRequest& r) {
    return good_reply(r, "Sleep is for the weak, and coffee is for the strong.");
  });
  const auto snip = snip_now();
  const auto plain = extractive();
  EXPECT_EQ(snip.engine, "llm:fake");
  EXPECT_EQ(snip.title, "Sleep Files Memories Away");
  EXPECT_EQ(snip.quote, plain.quote);
  EXPECT_EQ(snip.quote_speaker, plain.quote_speaker);
  EXPECT_TRUE(contains(snip.fallback_reason, "quote: the model's quote is not in the transcript"))
      << snip.fallback_reason;
}

// ---- the web player's way: stored at once, rewritten by a durable job ----

struct JobRun {
  Result<std::vector<store::Job>> result;
  std::string message;
};

JobRun run_job(store::Store& store, llm::ChatModel* model, const store::Job& job) {
  std::atomic<bool> cancel{false};
  JobRun run{std::vector<store::Job>{}, ""};
  JobContext context{job,
                     [&](double, std::string m) -> Status {
                       run.message = std::move(m);
                       return ok();
                     },
                     cancel};
  run.result = run_snip_llm_step(store, model, context);
  return run;
}

TEST_F(SnipLlmTest, InTheBackgroundTheSnipIsStoredAtOnceAndAJobIsQueued) {
  server_.on("/v1/chat/completions",
             [](const ServerRequest&) { return error_response(503, "overloaded"); });
  SnipService service(*store_, {&model(), true});
  auto snip = service.snip_at(user_, episode_, 60'000);
  ASSERT_TRUE(snip) << snip.error().message;
  EXPECT_EQ(snip->engine, "extractive");
  EXPECT_EQ(snip->fallback_reason, "");
  EXPECT_TRUE(server_.requests().empty());  // the model is not asked while the listener waits

  auto jobs = store_->jobs().list();
  ASSERT_TRUE(jobs);
  // The rewrite, and the episode's highlights re-scoring that every new snip queues.
  ASSERT_EQ(jobs->size(), 2U);
  const auto rewrite = std::find_if(jobs->begin(), jobs->end(),
                                    [](const store::Job& j) { return j.kind == kSnipLlmJob; });
  ASSERT_NE(rewrite, jobs->end());
  store::Job job = *rewrite;
  EXPECT_EQ(job.dedupe_key, "snip_llm:" + std::to_string(snip->id));
  EXPECT_EQ(json::parse(job.payload), (json{{"snip_id", snip->id}, {"user_id", user_}}));

  // Overloaded with attempts left: the job fails to be retried, the snip says why.
  job.attempts = 1;
  auto first = run_job(*store_, model_.get(), job);
  ASSERT_FALSE(first.result);
  EXPECT_EQ(first.result.error().code, ErrorCode::Unavailable);
  auto waiting = store_->snips().find(user_, snip->id);
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->engine, "extractive");
  EXPECT_EQ(waiting->title, snip->title);
  EXPECT_TRUE(contains(waiting->fallback_reason, "overloaded")) << waiting->fallback_reason;
  EXPECT_TRUE(contains(waiting->fallback_reason, "(will retry)")) << waiting->fallback_reason;
  EXPECT_GT(waiting->updated_at, snip->updated_at);

  // The last attempt completes with the extractive text kept and the reason recorded.
  job.attempts = job.max_attempts;
  auto last = run_job(*store_, model_.get(), job);
  ASSERT_TRUE(last.result) << last.result.error().message;
  EXPECT_TRUE(contains(last.message, "the extractive text stays")) << last.message;
  auto final_snip = store_->snips().find(user_, snip->id);
  EXPECT_FALSE(contains(final_snip->fallback_reason, "will retry")) << final_snip->fallback_reason;
  EXPECT_TRUE(contains(final_snip->fallback_reason, "overloaded"));
}

TEST_F(SnipLlmTest, TheBackgroundJobRewritesTheSnipWhenTheModelAnswers) {
  std::atomic<int> calls{0};
  server_.on("/v1/chat/completions", [&](const ServerRequest& r) {
    if (++calls == 1) return error_response(500, "warming up");
    return good_reply(r);
  });
  SnipService service(*store_, {&model(), true});
  auto snip = service.snip_at(user_, episode_, 60'000);
  ASSERT_TRUE(snip);
  ASSERT_TRUE(store_->snips().update_note(user_, snip->id, "my note"));
  auto job = store_->jobs().list()->front();
  job.attempts = 1;
  auto run = run_job(*store_, model_.get(), job);
  ASSERT_TRUE(run.result) << run.result.error().message;
  EXPECT_EQ(run.message, "written by llm:fake");
  auto rewritten = store_->snips().find(user_, snip->id);
  ASSERT_TRUE(rewritten);
  EXPECT_EQ(rewritten->engine, "llm:fake");
  EXPECT_EQ(rewritten->title, "Sleep Files Memories Away");
  EXPECT_EQ(rewritten->note, "my note");
  EXPECT_EQ(rewritten->start_ms, snip->start_ms);
  EXPECT_EQ(rewritten->end_ms, snip->end_ms);
  EXPECT_GT(rewritten->updated_at, snip->updated_at);
}

TEST_F(SnipLlmTest, ADeletedSnipOrNoModelCompletesTheJobWithNothingToDo) {
  server_.on("/v1/chat/completions", [](const ServerRequest& r) { return good_reply(r); });
  SnipService service(*store_, {&model(), true});
  auto snip = service.snip_at(user_, episode_, 60'000);
  ASSERT_TRUE(snip);
  const auto job = store_->jobs().list()->front();
  auto no_model = run_job(*store_, nullptr, job);
  ASSERT_TRUE(no_model.result);
  EXPECT_TRUE(contains(no_model.message, "no language model")) << no_model.message;
  EXPECT_EQ(store_->snips().find(user_, snip->id)->engine, "extractive");

  ASSERT_TRUE(store_->snips().remove(user_, snip->id));
  auto deleted = run_job(*store_, model_.get(), job);
  ASSERT_TRUE(deleted.result);
  EXPECT_EQ(deleted.message, "the snip was deleted");
  EXPECT_TRUE(server_.requests().empty());

  store::Job broken = job;
  broken.payload = "{}";
  auto bad = run_job(*store_, model_.get(), broken);
  ASSERT_FALSE(bad.result);
  EXPECT_EQ(bad.result.error().code, ErrorCode::InvalidInput);  // fails for good
}

}  // namespace
}  // namespace hark::app
