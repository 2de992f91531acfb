// GET /api/search over a real server: the user's podcasts only, the result shape the web
// player builds on, and hostile input answered with 400, never 500.
#include <cstdio>

#include "server_fixture.hpp"
#include "transcript/parse.hpp"

namespace hark::testing {
namespace {

std::string url_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

class SearchApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    add_user("alice");
    add_user("bob");
    alice_ = login("alice");
    bob_ = login("bob");
    auto& store = app_->store();
    Podcast p;
    p.feed_url = "https://example.com/bread.xml";
    p.title = "Kitchen Table";
    auto podcast = store.podcasts().insert(p);
    ASSERT_TRUE(podcast);
    podcast_ = podcast->id;
    auto alice = store.users().find_by_name("alice");
    ASSERT_TRUE(alice);
    ASSERT_TRUE(store.subscriptions().subscribe(alice->id, podcast_));
    Episode e;
    e.key = "bread";
    e.title = "Patience and bread";
    e.published_at = 1'709'251'200'000;  // 2024-03-01
    auto counts = store.episodes().upsert(podcast_, {e});
    ASSERT_TRUE(counts && counts->added_ids.size() == 1);
    episode_ = counts->added_ids.front();
    auto parsed = transcript::parse_vtt(
        read_file(std::filesystem::path(HARK_FIXTURES) / "search" / "bread.vtt"));
    ASSERT_TRUE(parsed);
    ASSERT_TRUE(store.transcripts().replace(episode_, parsed->transcript));
    ASSERT_TRUE(app_->search().index_episode(episode_));
  }

  HttpReply search(const LoggedIn& who, const std::string& query, const std::string& extra = "") {
    return as(who, "GET", "/api/search?q=" + url_encode(query) + extra);
  }

  LoggedIn alice_, bob_;
  Id podcast_ = 0, episode_ = 0;
};

TEST_F(SearchApiTest, FindsTheMomentInTheUsersPodcasts) {
  auto r = search(alice_, "\"rose beautifully\"", "&mode=lexical");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json_of(r);
  EXPECT_EQ(body["mode"], "lexical");
  EXPECT_TRUE(body["notice"].is_null());
  ASSERT_EQ(body["results"].size(), 1u);
  const auto& hit = body["results"][0];
  EXPECT_EQ(hit["kind"], "passage");
  EXPECT_EQ(hit["episode_id"], episode_);
  EXPECT_EQ(hit["podcast_id"], podcast_);
  EXPECT_EQ(hit["start_ms"], 24'000);
  EXPECT_EQ(hit["end_ms"], 50'000);
  EXPECT_EQ(hit["speaker"], "Ben Okafor");
  EXPECT_EQ(hit["podcast_title"], "Kitchen Table");
  EXPECT_EQ(hit["episode_title"], "Patience and bread");
  EXPECT_EQ(hit["published_at"], "2024-03-01T00:00:00Z");
  const std::string html = hit["snippet_html"];
  EXPECT_NE(html.find("<mark>rose beautifully</mark>"), std::string::npos) << html;
  const std::string text = hit["snippet"];
  EXPECT_EQ(text.find('\x02'), std::string::npos);
  EXPECT_GT(hit["score"].get<double>(), 0);

  // Hybrid without an embedding service: full-text, and the response says so.
  auto hybrid = json_of(search(alice_, "sourdough"));
  EXPECT_EQ(hybrid["mode"], "lexical");
  EXPECT_TRUE(hybrid["notice"].is_string());
  EXPECT_EQ(hybrid["semantic_configured"], false);  // the page defaults to words then
  EXPECT_EQ(body["semantic_configured"], false);
  EXPECT_EQ(hybrid["results"].size(), 1u);

  // Filters.
  EXPECT_EQ(json_of(search(alice_, "sourdough", "&since=2024-06-01"))["results"].size(), 0u);
  EXPECT_EQ(json_of(search(alice_, "sourdough", "&podcast=" + std::to_string(podcast_)))["results"]
                .size(),
            1u);
  EXPECT_EQ(json_of(search(alice_, "dough", "&speaker=Ada%20Lovelace"))["results"].size(), 1u);
}

TEST_F(SearchApiTest, OtherUsersSeeNothingOfPodcastsTheyDoNotFollow) {
  auto r = search(bob_, "sourdough");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json_of(r)["results"].empty());
  EXPECT_EQ(get("/api/search?q=sourdough").status, 401);
}

TEST_F(SearchApiTest, HostileInputIsA400NeverA500) {
  for (const std::string& q :
       std::vector<std::string>{"", "\"", "-bread", "()*:^", std::string(4 * 1024, 'x')}) {
    auto r = search(alice_, q);
    EXPECT_EQ(r.status, 400) << q.substr(0, 20) << ": " << r.body;
    EXPECT_TRUE(json_of(r)["error"]["message"].is_string());
  }
  for (const std::string q : {"\"rose beautifully", "NEAR(bread, 2)", "text:bread", "bread AND OR",
                              "🍞 bread", "the of and"}) {
    auto r = search(alice_, q);
    EXPECT_EQ(r.status, 200) << q << ": " << r.body;
  }
  // 10 kB in the URL: the HTTP layer refuses it before search sees it.
  EXPECT_EQ(search(alice_, std::string(10 * 1024, 'x')).status, 414);
  EXPECT_EQ(search(alice_, "bread", "&mode=magic").status, 400);
  EXPECT_EQ(search(alice_, "bread", "&since=yesterday").status, 400);
  EXPECT_EQ(search(alice_, "bread", "&limit=-3").status, 400);
  EXPECT_EQ(search(alice_, "bread", "&podcast=x").status, 400);
  auto semantic = search(alice_, "bread", "&mode=semantic");
  EXPECT_EQ(semantic.status, 503) << semantic.body;
  EXPECT_EQ(as(alice_, "GET", "/api/search").status, 400);
}

}  // namespace
}  // namespace hark::testing
