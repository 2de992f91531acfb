// The web player's way with a real language model: POST /api/snips answers at once with the
// extractive snip, and the `snip_llm` job rewrites it through the real local model
// (scripts/llm-service, CTest fixture `llm_service`) in the server's own worker; the snip
// then reads as the model's (engine "llm:<model>") or, when the tiny model's reply was
// rejected, stays extractive with the reason. Either way updated_at moves, which is what
// GET /api/events watches.
#include <chrono>
#include <cstdlib>
#include <thread>

#include "loopback_server.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"

namespace hark::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kFeed = R"FEED(<?xml version="1.0"?>
<rss version="2.0"><channel><title>Lantern Hour</title><link>https://example.com</link>
<description>d</description>
<item><title>Sleep on It</title><guid>ep-1</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
<enclosure url="https://cdn.example.com/ep1.mp3" type="audio/mpeg" length="1000"/>
<description>How rest turns practice into memory.</description></item>
</channel></rss>)FEED";

Transcript talk() {
  const std::vector<std::pair<std::string, std::string>> lines = {
      {"S1", "Why does sleep matter for learning at all?"},
      {"S2", "During the day the hippocampus takes quick notes on what you practise."},
      {"S2",
       "During deep sleep the brain replays those notes and moves them into long-term "
       "storage."},
      {"S2", "In the lab we can see this replay as slow waves and short bursts called spindles."},
      {"S2", "People who sleep after learning a list of words remember more of it the next day."},
      {"S1", "So pulling an all-nighter before an exam is a bad idea?"},
      {"S2", "It is the worst idea, because the notes from the day never get filed away."},
  };
  Transcript t;
  t.source = "publisher:vtt";
  t.language = "en";
  t.timed = true;
  t.speakers = {{"S1", "Theo Marsh", "host"}, {"S2", "Priya Raman", "guest"}};
  Millis at = 0;
  for (const auto& [speaker, text] : lines) {
    t.segments.push_back({at, at + 6000, speaker, text, {}});
    at += 6000;
  }
  return t;
}

std::string service_url() {
  std::string url = read_file(std::filesystem::path(HARK_BINARY_DIR) / "llm-service" / "url");
  while (!url.empty() && (url.back() == '\n' || url.back() == ' ')) url.pop_back();
  return url;
}

class SnipsLlmApiTest : public ServerTest {
 protected:
  void SetUp() override {
    url_ = service_url();
    ASSERT_FALSE(url_.empty()) << "the llm_service fixture did not start the service";
    ::setenv("HARK_LLM_URL", (url_ + "/v1").c_str(), 1);
    ::setenv("HARK_LLM_MODEL", "smollm2-135m-instruct", 1);
    ::setenv("HARK_LLM_TIMEOUT_SECONDS", "300", 1);
    ServerTest::SetUp();
    ::unsetenv("HARK_LLM_URL");
    ::unsetenv("HARK_LLM_MODEL");
    ::unsetenv("HARK_LLM_TIMEOUT_SECONDS");
  }
  void configure(server::ServerOptions& options) override { options.auto_process_recent = 0; }

  std::string url_;
};

TEST_F(SnipsLlmApiTest, TheSnipIsSavedAtOnceAndRewrittenByTheModelInTheBackground) {
  LoopbackServer feeds;
  feeds.on("/feed.xml", [](const ServerRequest&) {
    return ServerResponse{.content_type = "application/rss+xml", .body = kFeed};
  });
  add_user("alice");
  const auto alice = login("alice");
  auto sub = as(alice, "POST", "/api/podcasts", json{{"url", feeds.url("/feed.xml")}}.dump());
  ASSERT_EQ(sub.status, 201) << sub.body;
  const Id pid = json_of(sub)["podcast"]["id"];
  auto eps = json_of(as(alice, "GET", "/api/podcasts/" + std::to_string(pid) + "/episodes"));
  const Id episode = eps["episodes"][0]["id"];
  ASSERT_TRUE(app_->store().transcripts().replace(episode, talk()));

  const auto t0 = std::chrono::steady_clock::now();
  auto created =
      as(alice, "POST", "/api/snips", json{{"episode_id", episode}, {"at_ms", 29'000}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);  // not waiting for the model
  const auto snip = json_of(created);
  EXPECT_EQ(snip["engine"], "extractive");
  EXPECT_EQ(snip["fallback_reason"], "");
  const std::string path = "/api/snips/" + std::to_string(snip["id"].get<Id>());

  json now = snip;
  const auto deadline = std::chrono::steady_clock::now() + 400s;
  while (now["updated_at"] == snip["updated_at"] && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(250ms);
    now = json_of(as(alice, "GET", path));
  }
  ASSERT_NE(now["updated_at"], snip["updated_at"]) << "the snip_llm job never rewrote the snip";
  const std::string engine = now["engine"];
  const std::string reason = now["fallback_reason"];
  std::cout << "[ model    ] " << engine << " \"" << now["title"].get<std::string>() << "\""
            << (reason.empty() ? "" : " (" + reason + ")") << "\n";
  if (engine == "extractive") {
    EXPECT_EQ(now["title"], snip["title"]);
    EXPECT_TRUE(reason.starts_with("the model's reply")) << reason;
  } else {
    EXPECT_EQ(engine, "llm:smollm2-135m-instruct");
    EXPECT_FALSE(now["title"].get<std::string>().empty());
    EXPECT_FALSE(now["summary"].get<std::string>().empty());
    EXPECT_GE(now["takeaways"].size(), 1U);
    // Single fields the model got wrong come from the extractive text, said so.
    EXPECT_TRUE(reason.empty() || reason.starts_with("quote:") || reason.starts_with("summary:") ||
                reason.starts_with("takeaways:"))
        << reason;
  }
  EXPECT_EQ(now["start_ms"], snip["start_ms"]);
  EXPECT_EQ(now["end_ms"], snip["end_ms"]);
  // The rewrite is stored before the worker marks its job done (two transactions): wait.
  bool done = false;
  const auto job_deadline = std::chrono::steady_clock::now() + 30s;
  while (!done && std::chrono::steady_clock::now() < job_deadline) {
    auto jobs = app_->store().jobs().list();
    ASSERT_TRUE(jobs);
    for (const auto& j : *jobs)
      if (j.kind == "snip_llm") done = j.state == store::JobState::Done;
    if (!done) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(done);
}

}  // namespace
}  // namespace hark::testing
