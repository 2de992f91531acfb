// Contract tests for the Notion export against a loopback server that implements the shapes
// documented at https://developers.notion.com/reference (as read on 2026-11-27): "Retrieve a
// database" (GET /v1/databases/{id}: properties by name with their "type"), "Create a page"
// (POST /v1/pages with parent.database_id, properties, children → a page object with "id"),
// "Update page properties" (PATCH /v1/pages/{id}), "Retrieve block children" (GET
// /v1/blocks/{id}/children → results, has_more, next_cursor), "Delete a block" (DELETE
// /v1/blocks/{id}), "Append block children" (PATCH /v1/blocks/{id}/children); errors are
// {"object": "error", "status", "code", "message"}: 401 "unauthorized", 404
// "object_not_found", 429 "rate_limited" with Retry-After; "Notion-Version" is required.
// Limits (developers.notion.com/reference/patch-block-children, read 2026-11-27): "There is a
// limit of 100 block children that can be appended by a single API request. Arrays of block
// children longer than 100 will result in an error" (400 validation_error; the same for a new
// page's children), and block children are listed at most 100 a page (page_size,
// start_cursor → has_more, next_cursor).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/senders.hpp"
#include "core/time.hpp"
#include "export_fixture.hpp"
#include "fake_notion.hpp"
#include "loopback_server.hpp"

namespace hark::app {
namespace {

using Json = nlohmann::json;
using testing::ExportLibrary;
using testing::FakeNotion;
using testing::kDb;
using testing::LoopbackServer;
using testing::ServerRequest;
using testing::ServerResponse;

std::string title_of(const Json& page) {
  return page["properties"]["Name"]["title"][0]["text"]["content"];
}

struct NotionTest : ::testing::Test {
  ExportLibrary lib;
  std::unique_ptr<net::HttpClient> http = ExportLibrary::loopback_client();
  std::unique_ptr<LoopbackServer> server = std::make_unique<LoopbackServer>();
  FakeNotion notion{*server};
  std::vector<Millis> waits;
  ExportConfig config;
  SenderOptions options;
  void SetUp() override {
    config.notion_token = "secret_good";
    config.notion_database_id = kDb;
    config.notion_base_url = server->url("");
    options.public_url = "https://hark.example.org";
    options.retry.sleep = [this](Millis ms) { waits.push_back(ms); };
  }
  void TearDown() override { http.reset(); }
  Result<SyncOutcome> run() { return export_notion(*lib.store, *http, lib.user, config, options); }
};

TEST_F(NotionTest, APagePerSnipWithPropertiesAndBlocks) {
  auto r = run();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 3);
  ASSERT_EQ(notion.pages.size(), 3u);
  const Json& page = notion.pages["page-1"];
  EXPECT_EQ(title_of(page), "Calm focus");
  EXPECT_EQ(page["properties"]["Podcast"]["rich_text"][0]["text"]["content"], "The Tea Hour");
  EXPECT_EQ(page["properties"]["Episode"]["rich_text"][0]["text"]["content"], "Green tea");
  EXPECT_EQ(page["properties"]["Time"]["rich_text"][0]["text"]["content"], "1:05–1:25");
  EXPECT_EQ(page["properties"]["Link"]["url"],
            "https://hark.example.org/episodes/" + std::to_string(lib.episodes[0].id) + "?t=65");
  EXPECT_FALSE(page["properties"].contains("Rating"));
  const auto& blocks = notion.children["page-1"];
  ASSERT_GE(blocks.size(), 4u);
  EXPECT_EQ(blocks[0]["type"], "paragraph");
  EXPECT_EQ(blocks[1]["type"], "bulleted_list_item");
  EXPECT_EQ(blocks[2]["type"], "quote");
  EXPECT_EQ(blocks[2]["quote"]["rich_text"][0]["text"]["content"],
            "Theanine calms the mind. — Ada Leaf");
  for (const auto& req : server->requests_to("/v1/pages"))
    EXPECT_EQ(req.header("notion-version"), "2022-06-28");
}

TEST_F(NotionTest, IdempotentAndEditsUpdateTheSamePage) {
  ASSERT_TRUE(run());
  const auto before = server->requests().size();
  auto again = run();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_EQ(server->requests().size(), before + 1);  // only the database check

  ASSERT_TRUE(lib.store->snips().update_note(lib.user, lib.snips[2].id, "Roast at home."));
  auto edited = run();
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(edited->updated, 1);
  EXPECT_EQ(notion.created, 3);
  const auto& blocks = notion.children["page-3"];
  ASSERT_FALSE(blocks.empty());
  bool has_note = false;
  for (const auto& b : blocks)
    if (b["type"] == "paragraph" &&
        b["paragraph"]["rich_text"][0]["text"]["content"] == "My note: Roast at home.")
      has_note = true;
  EXPECT_TRUE(has_note);
  int paragraphs_with_summary = 0;
  for (const auto& b : blocks)
    if (b["type"] == "paragraph" &&
        b["paragraph"]["rich_text"][0]["text"]["content"] == "Oolong roast, in short.")
      ++paragraphs_with_summary;
  EXPECT_EQ(paragraphs_with_summary, 1);  // old blocks replaced, not appended to
}

TEST_F(NotionTest, APageDeletedInNotionIsCreatedAgain) {
  ASSERT_TRUE(run());
  notion.pages["page-1"]["archived"] = true;
  ASSERT_TRUE(lib.store->snips().update_note(lib.user, lib.snips[0].id, "again"));
  auto r = run();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(notion.created, 4);
}

TEST_F(NotionTest, PagePerEpisodeHoldsItsSnips) {
  config.notion_page_per_episode = true;
  auto r = run();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 3);            // snips
  ASSERT_EQ(notion.pages.size(), 2u);  // pages
  EXPECT_EQ(title_of(notion.pages["page-1"]), "Green tea");
  EXPECT_EQ(notion.pages["page-1"]["properties"]["Time"]["rich_text"][0]["text"]["content"],
            "1:05–1:25, 12:34–12:54");
  int headings = 0;
  for (const auto& b : notion.children["page-1"]) headings += b["type"] == "heading_2";
  EXPECT_EQ(headings, 2);
  auto again = run();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, 3);
}

// Titles of the page's snip headings, in order, and its block count.
std::vector<std::string> headings_of(const std::vector<Json>& blocks) {
  std::vector<std::string> out;
  for (const auto& b : blocks)
    if (b["type"] == "heading_2") out.push_back(b["heading_2"]["rich_text"][0]["text"]["content"]);
  return out;
}

struct ManySnips : NotionTest {
  std::vector<std::string> expected;  // headings of episode 1's page, by start time
  void SetUp() override {
    NotionTest::SetUp();
    config.notion_page_per_episode = true;
    // 2 + 40 snips on one episode, 5 blocks each: 210 blocks, more than one request holds.
    for (int i = 0; i < 40; ++i) {
      store::Snip s = lib.snips[0];
      s.start_ms = 1'000'000 + i * 30'000;
      s.end_ms = s.start_ms + 20'000;
      s.title = "Moment " + std::to_string(i);
      ASSERT_TRUE(lib.store->snips().insert(s));
    }
    expected = {"Calm focus (1:05)", "Temperature (12:34)"};
    for (int i = 0; i < 40; ++i)
      expected.push_back("Moment " + std::to_string(i) + " (" +
                         format_clock(1'000'000 + i * 30'000) + ")");
  }
  void expect_page_whole() {
    const auto& blocks = notion.children["page-1"];
    EXPECT_EQ(blocks.size(), 210u);
    EXPECT_EQ(headings_of(blocks), expected);
    EXPECT_EQ(
        blocks.back()["paragraph"]["rich_text"][0]["text"]["content"].get<std::string>().rfind(
            "Listen: ", 0),
        0u);
    EXPECT_LE(notion.largest_children, 100u);
  }
};

TEST_F(ManySnips, APageOfMoreThan100BlocksIsCreatedThenAppendedInBatches) {
  auto r = run();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 43);
  ASSERT_EQ(notion.pages.size(), 2u);
  expect_page_whole();
  EXPECT_EQ(notion.appends_seen, 2);  // blocks 101–200 and 201–210

  auto again = run();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->unchanged, 43);

  // An edit replaces all 210 blocks: listed 100 at a time, removed, appended in batches.
  ASSERT_TRUE(lib.store->snips().update_note(lib.user, lib.snips[1].id, "Cooler water."));
  auto edited = run();
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(edited->updated, 42);
  EXPECT_EQ(notion.created, 2);
  const auto& blocks = notion.children["page-1"];
  EXPECT_EQ(blocks.size(), 211u);  // the note's paragraph added, nothing doubled
  EXPECT_EQ(headings_of(blocks), expected);
  EXPECT_LE(notion.largest_children, 100u);
}

TEST_F(ManySnips, A500WhileAppendingResumesOnTheSamePage) {
  notion.fail_append_number = 2;  // blocks 201–210 of the new page
  auto r = run();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("HTTP 500"), std::string::npos) << r.error().message;
  EXPECT_EQ(notion.pages.size(), 1u);
  EXPECT_EQ(notion.children["page-1"].size(), 200u);

  auto resumed = run();
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(notion.created, 2);  // page-1 was completed, not made again
  expect_page_whole();
  EXPECT_EQ(run()->unchanged, 43);
}

TEST_F(NotionTest, A500MidBatchResumesWithoutDuplicates) {
  notion.fail_create_number = 3;
  auto r = run();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("HTTP 500"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("after 2 of 3"), std::string::npos) << r.error().message;
  auto resumed = run();
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->created, 1);
  EXPECT_EQ(resumed->unchanged, 2);
  EXPECT_EQ(notion.pages.size(), 3u);
}

TEST_F(NotionTest, A429HonoursRetryAfter) {
  notion.rate_limit_next = 1;
  auto r = run();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(waits, (std::vector<Millis>{1000}));
  EXPECT_EQ(notion.pages.size(), 3u);
}

TEST_F(NotionTest, BadTokenDeletedDatabaseAndMissingSettingsAreClear) {
  config.notion_token = "secret_wrong";
  auto refused = run();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("refused the integration token"), std::string::npos);
  EXPECT_NE(refused.error().message.find("HARK_NOTION_TOKEN"), std::string::npos);

  config.notion_token = "secret_good";
  ASSERT_TRUE(run());
  notion.database_exists = false;
  ASSERT_TRUE(lib.store->snips().update_note(lib.user, lib.snips[0].id, "x"));
  auto gone = run();
  ASSERT_FALSE(gone);
  EXPECT_NE(gone.error().message.find("deleted, or is not shared"), std::string::npos)
      << gone.error().message;
  EXPECT_NE(gone.error().message.find("database_id"), std::string::npos);
  // What was exported before is still remembered.
  auto state = lib.store->export_state().list(notion_target(kDb), lib.user);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->size(), 3u);

  config.notion_database_id = "";
  auto missing = run();
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("[export.notion] database_id"), std::string::npos);
}

}  // namespace
}  // namespace hark::app
