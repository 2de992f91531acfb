// The sharing and export routes against a real server: share intents, an episode's note as
// Markdown, soundbites, and the snips RSS feed a feed reader fetches with only its token.
#include "server_fixture.hpp"
#include "tea_library.hpp"

namespace hark::testing {
namespace {

using nlohmann::json;

class ExportApiTest : public ServerTest {
 protected:
  void configure(server::ServerOptions& options) override {
    options.public_url = "https://hark.example.org";
  }
  void SetUp() override {
    ServerTest::SetUp();
    const auto alice = add_user("alice");
    add_user("bob");
    alice_ = login("alice");
    bob_ = login("bob");
    auto& store = app_->store();
    episode_ = tea_episode(store, alice.id);
    auto s = tea_snip(alice.id, episode_, 65'000, 85'500, "Calm focus");
    s.summary = "Theanine calms.";
    auto first = store.snips().insert(s);
    ASSERT_TRUE(first);
    private_snip_ = first->id;
    s.start_ms = 754'000;
    s.end_ms = 781'000;
    s.title = "Temperature & taste";
    s.share_id = "Zk3xQ9pLmN2rT8vWq1";
    auto second = store.snips().insert(s);
    ASSERT_TRUE(second);
    shared_snip_ = second->id;
  }
  std::string ep() const { return std::to_string(episode_); }
  LoggedIn alice_, bob_;
  Id episode_ = 0, private_snip_ = 0, shared_snip_ = 0;
};

TEST_F(ExportApiTest, ShareIntentsUseThePublicUrl) {
  auto r = as(alice_, "GET", "/api/snips/" + std::to_string(shared_snip_) + "/share-intents");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto j = json_of(r);
  EXPECT_EQ(j["link"], "https://hark.example.org/s/Zk3xQ9pLmN2rT8vWq1");
  EXPECT_EQ(j["shared"], true);
  EXPECT_TRUE(
      j["twitter_url"].get<std::string>().starts_with("https://twitter.com/intent/tweet?text="));
  auto unshared =
      json_of(as(alice_, "GET", "/api/snips/" + std::to_string(private_snip_) + "/share-intents"));
  EXPECT_EQ(unshared["link"], "https://hark.example.org/episodes/" + ep() + "?t=65");
  EXPECT_EQ(unshared["shared"], false);
  EXPECT_EQ(as(bob_, "GET", "/api/snips/" + std::to_string(shared_snip_) + "/share-intents").status,
            404);
  EXPECT_EQ(get("/api/snips/" + std::to_string(shared_snip_) + "/share-intents").status, 401);
}

TEST_F(ExportApiTest, EpisodeNoteAsMarkdownAndSoundbites) {
  auto md = as(alice_, "GET", "/api/episodes/" + ep() + "/markdown");
  ASSERT_EQ(md.status, 200) << md.body;
  EXPECT_TRUE(md.header("content-type").starts_with("text/markdown"));
  EXPECT_NE(md.body.find("hark_episode_id: " + ep()), std::string::npos);
  EXPECT_NE(md.body.find("[Calm focus](https://hark.example.org/episodes/" + ep() + "?t=65)"),
            std::string::npos);
  EXPECT_EQ(as(bob_, "GET", "/api/episodes/" + ep() + "/markdown").status, 404);

  auto bites = as(alice_, "GET", "/api/episodes/" + ep() + "/soundbites");
  ASSERT_EQ(bites.status, 200) << bites.body;
  const auto j = json_of(bites);
  ASSERT_EQ(j["soundbites"].size(), 1u);  // only the shared snip
  EXPECT_EQ(j["soundbites"][0]["startTime"], 754.0);
  EXPECT_EQ(j["soundbites"][0]["duration"], 27.0);
  EXPECT_EQ(j["soundbites"][0]["title"], "Temperature & taste");
  EXPECT_EQ(j["tags"],
            "<podcast:soundbite startTime=\"754.000\" duration=\"27.000\">Temperature &amp; "
            "taste</podcast:soundbite>\n");
}

TEST_F(ExportApiTest, SnipsFeedWorksWithItsTokenAloneAndRotates) {
  auto r = as(alice_, "GET", "/api/feeds/snips");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string url = json_of(r)["url"];
  const std::string prefix = "https://hark.example.org";
  ASSERT_TRUE(url.starts_with(prefix + "/api/feeds/snips/")) << url;
  const std::string path = url.substr(prefix.size());
  EXPECT_EQ(json_of(as(alice_, "GET", "/api/feeds/snips"))["url"], url);  // stable

  auto feed = get(path);  // no cookie, no bearer token: a feed reader
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_TRUE(feed.header("content-type").starts_with("application/rss+xml"));
  EXPECT_NE(feed.body.find("<title>alice's snips</title>"), std::string::npos);
  EXPECT_NE(feed.body.find("<title>Temperature &amp; taste</title>"), std::string::npos);
  EXPECT_NE(feed.body.find("<link>https://hark.example.org/s/Zk3xQ9pLmN2rT8vWq1</link>"),
            std::string::npos);
  EXPECT_NE(
      feed.body.find("<guid isPermaLink=\"false\">hark-snip-" + std::to_string(private_snip_)),
      std::string::npos);
  EXPECT_LT(feed.body.find("Temperature"), feed.body.find("Calm focus"));  // newest first

  auto rotated = as(alice_, "POST", "/api/feeds/snips/rotate");
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  const std::string new_url = json_of(rotated)["url"];
  EXPECT_NE(new_url, url);
  EXPECT_EQ(get(path).status, 404);
  EXPECT_EQ(get(new_url.substr(prefix.size())).status, 200);
  EXPECT_EQ(get("/api/feeds/snips/not-a-real-token-at-all").status, 404);

  // Bob's feed has none of Alice's snips.
  const std::string bob_url = json_of(as(bob_, "GET", "/api/feeds/snips"))["url"];
  auto bobs = get(bob_url.substr(prefix.size()));
  ASSERT_EQ(bobs.status, 200);
  EXPECT_EQ(bobs.body.find("<item>"), std::string::npos);
}

}  // namespace
}  // namespace hark::testing
