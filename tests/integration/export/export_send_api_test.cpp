// Sending snips to Readwise and Notion from the web player, against a real server and the
// loopback Readwise and Notion the sender's contract tests use: settings are per user and
// tokens never come back, the send runs as a background job with the CLI's senders, and its
// status (counts, the error naming what to fix) is reported.
#include <chrono>
#include <thread>

#include "fake_notion.hpp"
#include "fake_readwise.hpp"
#include "loopback_server.hpp"
#include "server_fixture.hpp"
#include "tea_library.hpp"

namespace hark::testing {
namespace {

using nlohmann::json;

class ExportSendApiTest : public ServerTest {
 protected:
  void configure(server::ServerOptions& options) override {
    options.public_url = "https://hark.example.org";
    options.readwise_base_url = services_.url("");
    options.notion_base_url = services_.url("");
  }
  void SetUp() override {
    ServerTest::SetUp();
    const auto alice = add_user("alice");
    add_user("bob");
    alice_ = login("alice");
    bob_ = login("bob");
    auto& store = app_->store();
    const Id episode = tea_episode(store);
    auto s = tea_snip(alice.id, episode, 65'000, 85'500, "Calm focus");
    s.summary = "Theanine calms without making you sleepy.";
    s.quote = "It calms you down without making you sleepy.";
    auto first = store.snips().insert(s);
    ASSERT_TRUE(first);
    first_ = first->id;
    s.start_ms = 754'000;
    s.end_ms = 781'000;
    s.title = "Temperature and taste";
    s.summary = "Boiling water makes green tea bitter.";
    s.quote = "Boiling water burns the leaves.";
    auto second = store.snips().insert(s);
    ASSERT_TRUE(second);
    second_ = second->id;
  }

  // The service's settings once its latest job has finished (or after 20 s).
  json settled(const LoggedIn& who, const std::string& service) {
    json j;
    for (int i = 0; i < 200; ++i) {
      j = json_of(as(who, "GET", "/api/settings/exports"))[service];
      const auto& job = j["job"];
      if (job.is_object() && (job["state"] == "done" || job["state"] == "failed") &&
          j["last_run"].is_object())
        return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "the " << service << " export did not finish: " << j.dump();
    return j;
  }

  HttpReply put_settings(const LoggedIn& who, const std::string& service, const json& body) {
    return as(who, "PUT", "/api/settings/exports/" + service, body.dump());
  }

  LoopbackServer services_;  // before the server: its address goes into the options
  FakeReadwise readwise_{services_};
  FakeNotion notion_{services_};
  LoggedIn alice_, bob_;
  Id first_ = 0, second_ = 0;
};

TEST_F(ExportSendApiTest, TokensAreNeverShownBackAndSettingsArePerUser) {
  const std::string token = "rw-7f3a9c0e5b2d4e6f8a1c";
  auto saved = put_settings(alice_, "readwise", {{"token", "  " + token + "\n"}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.body.find("rw-7f3a9c0e5b2d"), std::string::npos) << saved.body;
  const auto j = json_of(saved);
  EXPECT_EQ(j["configured"], true);
  EXPECT_EQ(j["token"]["set"], true);
  EXPECT_EQ(j["token"]["last4"], "8a1c");

  auto all = as(alice_, "GET", "/api/settings/exports");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.body.find("rw-7f3a9c0e5b2d"), std::string::npos) << all.body;
  EXPECT_EQ(json_of(all)["notion"]["configured"], false);

  // Bob sees none of it, cannot send with it, and removing his settings leaves Alice's.
  const auto bobs = json_of(as(bob_, "GET", "/api/settings/exports"));
  EXPECT_EQ(bobs["readwise"]["configured"], false);
  EXPECT_TRUE(bobs["readwise"]["token"].is_null());
  auto refused = as(bob_, "POST", "/api/exports/readwise");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("no Readwise token yet"), std::string::npos) << refused.body;
  EXPECT_EQ(as(bob_, "POST", "/api/exports/readwise", json{{"snip_id", first_}}.dump()).status,
            400);
  EXPECT_EQ(as(bob_, "DELETE", "/api/settings/exports/readwise").status, 204);
  EXPECT_EQ(json_of(as(alice_, "GET", "/api/settings/exports"))["readwise"]["configured"], true);
  // Bob with a token of his own still cannot send Alice's snip.
  ASSERT_EQ(put_settings(bob_, "readwise", {{"token", "good-token"}}).status, 200);
  EXPECT_EQ(as(bob_, "POST", "/api/exports/readwise", json{{"snip_id", first_}}.dump()).status,
            404);

  // Changing other settings keeps the token; bad input changes nothing.
  EXPECT_EQ(put_settings(alice_, "readwise", {{"token", "two words"}}).status, 400);
  EXPECT_EQ(put_settings(alice_, "readwise", {{"token", ""}}).status, 400);
  EXPECT_EQ(put_settings(alice_, "readwise", {{"page_per", "episode"}}).status, 400);
  EXPECT_EQ(put_settings(alice_, "dropbox", {{"token", token}}).status, 400);
  EXPECT_EQ(json_of(as(alice_, "GET", "/api/settings/exports"))["readwise"]["token"]["last4"],
            "8a1c");

  // Signed out, or without the CSRF token, nothing is read or changed.
  EXPECT_EQ(get("/api/settings/exports").status, 401);
  auto no_csrf =
      http_request(port_, "DELETE", "/api/settings/exports/readwise", {{"Cookie", alice_.cookie}});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(as(alice_, "DELETE", "/api/settings/exports/readwise").status, 204);
  EXPECT_EQ(json_of(as(alice_, "GET", "/api/settings/exports"))["readwise"]["configured"], false);
}

TEST_F(ExportSendApiTest, SendingToReadwiseRunsInTheBackgroundAndReportsWhatItDid) {
  ASSERT_EQ(put_settings(alice_, "readwise", {{"token", "good-token"}}).status, 200);
  auto started = as(alice_, "POST", "/api/exports/readwise");
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_TRUE(json_of(started)["job"].is_object());
  auto j = settled(alice_, "readwise");
  EXPECT_EQ(j["job"]["state"], "done");
  EXPECT_EQ(j["last_run"]["sent"], 2);
  EXPECT_EQ(j["last_run"]["failed"], 0);
  EXPECT_EQ(j["last_run"]["error"], "");
  {
    std::lock_guard lock(readwise_.mutex);
    ASSERT_EQ(readwise_.highlights.size(), 2u);
    for (const auto& [id, h] : readwise_.highlights) {
      EXPECT_EQ(h["author"], "The Tea Hour");
      EXPECT_TRUE(h["source_url"].get<std::string>().starts_with("https://hark.example.org/"));
    }
  }
  // Again: nothing new is sent.
  ASSERT_EQ(as(alice_, "POST", "/api/exports/readwise").status, 202);
  j = settled(alice_, "readwise");
  EXPECT_EQ(j["last_run"]["sent"], 0);
  EXPECT_EQ(j["last_run"]["unchanged"], 2);
  std::lock_guard lock(readwise_.mutex);
  EXPECT_EQ(readwise_.creates, 2);
}

TEST_F(ExportSendApiTest, OneSnipFromItsShareMenu) {
  ASSERT_EQ(put_settings(alice_, "readwise", {{"token", "good-token"}}).status, 200);
  auto started = as(alice_, "POST", "/api/exports/readwise", json{{"snip_id", second_}}.dump());
  ASSERT_EQ(started.status, 202) << started.body;
  auto j = settled(alice_, "readwise");
  EXPECT_EQ(j["last_run"]["sent"], 1);
  std::lock_guard lock(readwise_.mutex);
  ASSERT_EQ(readwise_.highlights.size(), 1u);
  EXPECT_EQ(readwise_.highlights.begin()->second["title"], "Green tea");
  EXPECT_NE(readwise_.highlights.begin()->second["text"].get<std::string>().find("Boiling"),
            std::string::npos);
}

TEST_F(ExportSendApiTest, ARefusedTokenIsReportedWithWhatToFix) {
  ASSERT_EQ(put_settings(alice_, "readwise", {{"token", "revoked-token-0000"}}).status, 200);
  ASSERT_EQ(as(alice_, "POST", "/api/exports/readwise").status, 202);
  const auto j = settled(alice_, "readwise");
  EXPECT_EQ(j["job"]["state"], "failed");
  const std::string error = j["last_run"]["error"];
  EXPECT_NE(error.find("Readwise refused the access token"), std::string::npos) << error;
  EXPECT_NE(error.find("hark's Settings"), std::string::npos) << error;
  EXPECT_EQ(error.find("hark.toml"), std::string::npos) << error;
  EXPECT_EQ(j["last_run"]["failed"], 2);
  EXPECT_EQ(j["last_run"]["sent"], 0);
  // Fixing the token fixes the next run.
  ASSERT_EQ(put_settings(alice_, "readwise", {{"token", "good-token"}}).status, 200);
  ASSERT_EQ(as(alice_, "POST", "/api/exports/readwise").status, 202);
  const auto fixed = settled(alice_, "readwise");
  EXPECT_EQ(fixed["last_run"]["sent"], 2);
  EXPECT_EQ(fixed["last_run"]["error"], "");
}

TEST_F(ExportSendApiTest, NotionTakesTheDatabaseLinkAndSendsAPagePerEpisode) {
  // Notion needs its database before a send.
  ASSERT_EQ(put_settings(alice_, "notion", {{"token", "secret_good"}}).status, 200);
  auto no_db = as(alice_, "POST", "/api/exports/notion");
  EXPECT_EQ(no_db.status, 400);
  EXPECT_NE(no_db.body.find("database"), std::string::npos) << no_db.body;
  EXPECT_EQ(put_settings(alice_, "notion", {{"database_id", "my notes"}}).status, 400);

  auto saved = put_settings(
      alice_, "notion",
      {{"database_id", "https://www.notion.so/team/Podcast-notes-" + kDb + "?v=1a2b3c"},
       {"page_per", "episode"}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(json_of(saved)["database_id"], kDb);
  EXPECT_EQ(json_of(saved)["page_per"], "episode");
  EXPECT_EQ(saved.body.find("secret_good"), std::string::npos);

  ASSERT_EQ(as(alice_, "POST", "/api/exports/notion").status, 202);
  auto j = settled(alice_, "notion");
  EXPECT_EQ(j["job"]["state"], "done") << j.dump();
  EXPECT_EQ(j["last_run"]["sent"], 2);  // two snips, on one page
  std::lock_guard lock(notion_.mutex);
  EXPECT_EQ(notion_.pages.size(), 1u);
}

TEST_F(ExportSendApiTest, ADeletedNotionDatabaseIsReportedWithWhatToFix) {
  ASSERT_EQ(put_settings(alice_, "notion", {{"token", "secret_good"}, {"database_id", kDb}}).status,
            200);
  {
    std::lock_guard lock(notion_.mutex);
    notion_.database_exists = false;
  }
  ASSERT_EQ(as(alice_, "POST", "/api/exports/notion").status, 202);
  const auto j = settled(alice_, "notion");
  const std::string error = j["last_run"]["error"];
  EXPECT_NE(error.find("Notion has no database " + kDb), std::string::npos) << error;
  EXPECT_NE(error.find("the Notion database id in hark's Settings"), std::string::npos) << error;
  EXPECT_EQ(j["last_run"]["failed"], 2);
}

TEST_F(ExportSendApiTest, AllSnipsDownloadAsMarkdownAndAsTheJsonBackup) {
  auto md = as(alice_, "GET", "/api/exports/markdown");
  ASSERT_EQ(md.status, 200) << md.body;
  EXPECT_TRUE(md.header("content-type").starts_with("text/markdown"));
  EXPECT_EQ(md.header("content-disposition"), "attachment; filename=\"hark-snips.md\"");
  EXPECT_TRUE(md.body.starts_with("# My snips from hark\n\n2 snips from 1 episode")) << md.body;
  EXPECT_NE(md.body.find("# Green tea"), std::string::npos) << md.body;
  EXPECT_NE(md.body.find("[Calm focus](https://hark.example.org/episodes/"), std::string::npos);
  EXPECT_NE(md.body.find("Temperature and taste"), std::string::npos);

  auto backup = as(alice_, "GET", "/api/exports/json");
  ASSERT_EQ(backup.status, 200) << backup.body;
  EXPECT_EQ(backup.header("content-disposition"), "attachment; filename=\"hark-library.json\"");
  const auto j = json_of(backup);
  EXPECT_EQ(j["format"], "hark-library");
  ASSERT_EQ(j["snips"].size(), 2u);

  // Bob's downloads hold none of Alice's snips; signed out, nothing.
  auto bobs = as(bob_, "GET", "/api/exports/markdown");
  ASSERT_EQ(bobs.status, 200);
  EXPECT_EQ(bobs.body.find("Calm focus"), std::string::npos);
  EXPECT_NE(bobs.body.find("0 snips from 0 episodes"), std::string::npos) << bobs.body;
  EXPECT_EQ(json_of(as(bob_, "GET", "/api/exports/json"))["snips"].size(), 0u);
  EXPECT_EQ(get("/api/exports/markdown").status, 401);
  EXPECT_EQ(get("/api/exports/json").status, 401);
}

}  // namespace
}  // namespace hark::testing
