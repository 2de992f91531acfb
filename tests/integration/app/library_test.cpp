// The library use cases against a real HTTP server on loopback and a real SQLite store.
#include "app/library.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>

#include "loopback_server.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

namespace hark::app {
namespace {

std::string item(const std::string& guid, const std::string& title, const std::string& url) {
  std::string guid_tag = guid.empty() ? "" : "<guid>" + guid + "</guid>";
  return "<item><title>" + title + "</title>" + guid_tag + "<enclosure url=\"" + url +
         "\" type=\"audio/mpeg\" length=\"100\"/></item>";
}

std::string rss(const std::string& title, const std::string& items, const std::string& extra = "") {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\" "
         "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel><title>" +
         title + "</title>" + extra + items + "</channel></rss>";
}

// Feed documents the test can change between requests, served with an ETag so conditional
// GETs get 304.
class FeedServer {
 public:
  void set(const std::string& path, std::string doc) {
    {
      std::lock_guard lock(mutex_);
      docs_[path] = std::move(doc);
    }
    server_.on(path, [this, path](const testing::ServerRequest& req) {
      std::lock_guard lock(mutex_);
      testing::ServerResponse res;
      const auto& current = docs_[path];
      const auto etag = "\"" + std::to_string(std::hash<std::string>{}(current)) + "\"";
      res.headers.emplace_back("ETag", etag);
      if (req.header("if-none-match") == etag) {
        res.status = 304;
        return res;
      }
      res.content_type = "application/rss+xml";
      res.body = current;
      return res;
    });
  }
  std::string url(const std::string& path) const { return server_.url(path); }

 private:
  testing::LoopbackServer server_;
  std::mutex mutex_;
  std::map<std::string, std::string> docs_;
};

class LibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::sqlite::open(dir_ / "hark.db");
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    net::Policy policy;
    policy.allow_private_networks = true;
    http_ = net::make_http_client(policy);
    LibraryOptions o;
    o.media_dir = dir_ / "media";
    library_ = std::make_unique<Library>(*store_, *http_, o);
    user_ = store_->users().default_user()->id;
  }
  void TearDown() override {
    library_.reset();
    store_.reset();
  }
  std::vector<Episode> episodes(Id podcast) { return *store_->episodes().list(podcast); }

  FeedServer server_;  // outlives the client (see LoopbackServer)
  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Library> library_;
  Id user_ = 0;
};

TEST_F(LibraryTest, RefreshUsesConditionalGetAndAddsNewEpisodes) {
  server_.set("/feed.xml", rss("Show", item("a", "A", "https://cdn.test/a.mp3")));
  auto sub = library_->subscribe(server_.url("/feed.xml"), user_);
  ASSERT_TRUE(sub) << sub.error().message;
  EXPECT_EQ(sub->episodes.added, 1);

  auto r = library_->refresh(sub->podcast.id);
  EXPECT_EQ(r.outcome, RefreshOutcome::NotModified) << r.error;

  server_.set("/feed.xml", rss("Show", item("b", "B", "https://cdn.test/b.mp3") +
                                           item("a", "A", "https://cdn.test/a.mp3")));
  r = library_->refresh(sub->podcast.id);
  ASSERT_EQ(r.outcome, RefreshOutcome::Updated) << r.error;
  EXPECT_EQ(r.episodes.added, 1);
  EXPECT_EQ(episodes(sub->podcast.id).size(), 2u);
}

TEST_F(LibraryTest, VolatileEnclosureQueriesDoNotDuplicateGuidlessEpisodes) {
  server_.set("/f.xml", rss("Show", item("", "Ep", "https://cdn.test/ep.mp3?updated=1") +
                                        item("", "Private", "https://cdn.test/p.mp3?auth=XYZ")));
  auto sub = library_->subscribe(server_.url("/f.xml"), user_);
  ASSERT_TRUE(sub) << sub.error().message;
  server_.set("/f.xml", rss("Show", item("", "Ep", "https://cdn.test/ep.mp3?updated=2") +
                                        item("", "Private", "https://cdn.test/p.mp3?auth=XYZ")));
  auto r = library_->refresh(sub->podcast.id);
  ASSERT_EQ(r.outcome, RefreshOutcome::Updated) << r.error;
  EXPECT_EQ(r.episodes.added, 0);
  const auto eps = episodes(sub->podcast.id);
  ASSERT_EQ(eps.size(), 2u);
  bool auth_kept = false;
  for (const auto& e : eps) auth_kept |= e.enclosure_url.find("auth=XYZ") != std::string::npos;
  EXPECT_TRUE(auth_kept);
}

TEST_F(LibraryTest, FollowsNewFeedUrl) {
  server_.set("/new.xml", rss("Moved show", item("a", "A", "https://cdn.test/a.mp3")));
  server_.set("/old.xml",
              rss("Moved show", item("a", "A", "https://cdn.test/a.mp3"),
                  "<itunes:new-feed-url>" + server_.url("/new.xml") + "</itunes:new-feed-url>"));
  auto sub = library_->subscribe(server_.url("/old.xml"), user_);
  ASSERT_TRUE(sub) << sub.error().message;
  EXPECT_EQ(sub->podcast.feed_url, server_.url("/new.xml"));
  // Subscribing through the old address again finds the same podcast.
  auto again = library_->subscribe(server_.url("/old.xml"), user_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->podcast.id, sub->podcast.id);
  EXPECT_EQ(store_->podcasts().list()->size(), 1u);
}

TEST_F(LibraryTest, BrokenFeedLeavesLibraryAsItWasAndRecordsTheError) {
  server_.set("/f.xml", rss("Show", item("a", "A", "https://cdn.test/a.mp3")));
  auto sub = library_->subscribe(server_.url("/f.xml"), user_);
  ASSERT_TRUE(sub);
  server_.set("/f.xml", "<html><head><title>502 Bad Gateway</title></head></html>");
  auto r = library_->refresh(sub->podcast.id);
  EXPECT_EQ(r.outcome, RefreshOutcome::Failed);
  EXPECT_FALSE(r.error.empty());
  auto p = store_->podcasts().find(sub->podcast.id);
  EXPECT_EQ(p->title, "Show");
  EXPECT_FALSE(p->last_error.empty());
  EXPECT_EQ(episodes(sub->podcast.id).size(), 1u);

  // A failed first subscription stores nothing.
  auto bad = library_->subscribe(server_.url("/missing.xml"), user_);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("404"), std::string::npos);
  EXPECT_EQ(store_->podcasts().list()->size(), 1u);
}

TEST_F(LibraryTest, RefreshAllRunsInParallelAndReportsEach) {
  for (int i = 0; i < 20; ++i) {
    const auto path = "/p" + std::to_string(i) + ".xml";
    server_.set(path, rss("P" + std::to_string(i), item("g", "E", "https://cdn.test/e.mp3")));
    ASSERT_TRUE(library_->subscribe(server_.url(path), user_));
  }
  server_.set("/p3.xml", "not a feed at all");
  int calls = 0;
  auto results = library_->refresh_all(user_, [&](int, int total, const std::string&) {
    ++calls;
    EXPECT_EQ(total, 20);
  });
  ASSERT_TRUE(results);
  EXPECT_EQ(calls, 20);
  int failed = 0, not_modified = 0;
  for (const auto& r : *results) {
    failed += r.outcome == RefreshOutcome::Failed;
    not_modified += r.outcome == RefreshOutcome::NotModified;
  }
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(not_modified, 19);
}

}  // namespace
}  // namespace hark::app
