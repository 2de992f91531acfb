// Contract tests for the Readwise export against a loopback server that implements the
// request and response shapes documented at https://readwise.io/api_deets (as read on
// 2026-11-27): "Authorization: Token <token>"; GET /api/v2/auth/ → 204; POST
// /api/v2/highlights/ with {"highlights": [...]} → 200 and a list of books with
// "modified_highlights"; PATCH /api/v2/highlights/<id>/ → 200 with the highlight, 404 for
// an unknown one; 401 for a bad token; 429 with Retry-After (seconds) when rate-limited.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "app/senders.hpp"
#include "export_fixture.hpp"
#include "fake_readwise.hpp"
#include "loopback_server.hpp"

namespace hark::app {
namespace {

using Json = nlohmann::json;
using testing::ExportLibrary;
using testing::FakeReadwise;
using testing::LoopbackServer;
using testing::ServerRequest;
using testing::ServerResponse;

// What Readwise keeps, and the faults a test asks for.

struct ReadwiseTest : ::testing::Test {
  ExportLibrary lib;
  std::unique_ptr<net::HttpClient> http = ExportLibrary::loopback_client();
  std::unique_ptr<LoopbackServer> server = std::make_unique<LoopbackServer>();
  FakeReadwise readwise{*server};
  std::vector<Millis> waits;
  ExportConfig config;
  SenderOptions options;
  void SetUp() override {
    config.readwise_token = "good-token";
    config.readwise_base_url = server->url("");
    options.public_url = "https://hark.example.org";
    options.retry.sleep = [this](Millis ms) { waits.push_back(ms); };
  }
  void TearDown() override { http.reset(); }
  Result<SyncOutcome> run() {
    return export_readwise(*lib.store, *http, lib.user, config, options);
  }
};

TEST_F(ReadwiseTest, EachSnipBecomesAHighlightWithTheDocumentedFields) {
  auto r = run();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 3);
  ASSERT_EQ(readwise.highlights.size(), 3u);
  const Json& h = readwise.highlights.begin()->second;  // the first snip, sent first
  EXPECT_EQ(h["text"], "Theanine calms the mind.");
  EXPECT_EQ(h["title"], "Green tea");
  EXPECT_EQ(h["author"], "The Tea Hour");
  EXPECT_EQ(h["category"], "podcasts");
  EXPECT_EQ(h["location"], 65);
  EXPECT_EQ(h["location_type"], "time_offset");
  EXPECT_EQ(h["source_url"],
            "https://hark.example.org/episodes/" + std::to_string(lib.episodes[0].id) + "?t=0");
  EXPECT_EQ(h["highlight_url"],
            "https://hark.example.org/episodes/" + std::to_string(lib.episodes[0].id) + "?t=65");
  EXPECT_EQ(h["note"], "Calm focus\n- Calm focus matters.");
  EXPECT_TRUE(h["highlighted_at"].get<std::string>().ends_with("Z"));
  EXPECT_EQ(h["image_url"], "https://tea.example.org/art.jpg");
}

TEST_F(ReadwiseTest, RunningTwiceSendsNothingAndAnEditIsAnUpdate) {
  ASSERT_TRUE(run());
  const auto requests_after_first = server->requests_to("/api/v2/highlights/").size();
  auto again = run();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_EQ(server->requests_to("/api/v2/highlights/").size(), requests_after_first);

  ASSERT_TRUE(lib.store->snips().update_note(lib.user, lib.snips[1].id, "Use 80 degrees."));
  auto edited = run();
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(edited->updated, 1);
  EXPECT_EQ(edited->unchanged, 2);
  EXPECT_EQ(readwise.creates, 3);
  EXPECT_EQ(readwise.patches, 1);
  EXPECT_EQ(readwise.highlights.size(), 3u);
  bool found = false;
  for (const auto& [id, h] : readwise.highlights)
    if (h.value("note", "").find("Use 80 degrees.") != std::string::npos) found = true;
  EXPECT_TRUE(found);
}

TEST_F(ReadwiseTest, AHighlightDeletedInReadwiseIsSentAgain) {
  ASSERT_TRUE(run());
  readwise.highlights.erase(readwise.highlights.begin());
  ASSERT_TRUE(lib.store->snips().update_note(lib.user, lib.snips[0].id, "changed"));
  auto r = run();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(readwise.highlights.size(), 3u);
}

TEST_F(ReadwiseTest, A500MidBatchResumesWithoutDuplicates) {
  readwise.fail_create_number = 2;
  auto r = run();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("HTTP 500"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("after 1 of 3"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("running it again"), std::string::npos);
  EXPECT_EQ(readwise.creates, 1);
  auto resumed = run();
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->created, 2);
  EXPECT_EQ(resumed->unchanged, 1);
  EXPECT_EQ(readwise.creates, 3);
  EXPECT_EQ(readwise.highlights.size(), 3u);
}

TEST_F(ReadwiseTest, A429WaitsForRetryAfterThenContinues) {
  readwise.rate_limit_next = 2;
  auto r = run();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 3);
  EXPECT_EQ(waits, (std::vector<Millis>{2000, 2000}));
}

TEST_F(ReadwiseTest, ARateLimitThatNeverEndsStopsWithAClearError) {
  readwise.rate_limit_next = 1000;
  options.retry.max_attempts = 3;
  auto r = run();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("rate-limiting"), std::string::npos) << r.error().message;
  EXPECT_EQ(readwise.creates, 0);
}

TEST_F(ReadwiseTest, AuthFailureAndAMissingTokenNameTheSetting) {
  config.readwise_token = "wrong";
  auto refused = run();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("refused the access token"), std::string::npos);
  EXPECT_NE(refused.error().message.find("HARK_READWISE_TOKEN"), std::string::npos);
  config.readwise_token = "";
  auto missing = run();
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("[export.readwise] token"), std::string::npos);
  EXPECT_TRUE(readwise.highlights.empty());
  auto state = lib.store->export_state().list(std::string(kReadwiseTarget), lib.user);
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->empty());
}

}  // namespace
}  // namespace hark::app

namespace hark::app {
namespace {

TEST_F(ReadwiseTest, SnipsOfADeletedEpisodeAreGoneAndNothingElseIsResent) {
  ASSERT_TRUE(run());
  // Unsubscribing removes the podcast, its episodes and (by cascade) their snips and their
  // export records; the next export neither fails nor sends anything again.
  ASSERT_TRUE(lib.store->podcasts().remove(lib.podcast.id));
  auto r = run();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created + r->updated + r->unchanged, 0);
  EXPECT_EQ(readwise.creates, 3);
  auto snip = lib.store->snips().find(lib.user, lib.snips[0].id);
  ASSERT_FALSE(snip);
  EXPECT_EQ(snip.error().message, "you have no snip with id " + std::to_string(lib.snips[0].id));
}

}  // namespace
}  // namespace hark::app
