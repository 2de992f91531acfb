// Clip downloads against a real server and the sample podcast's audio: the owner's clip
// through the API and a shared snip's from its share page, checked with ffprobe (duration
// within 100 ms of the snip, tags), the cache on disk, and the 404s.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iterator>
#include <thread>

#include "loopback_server.hpp"
#include "server_fixture.hpp"

namespace hark::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ffprobe's JSON report (format and streams) of `bytes` written to `file`, or null.
json ffprobe(const fs::path& file, const std::string& bytes) {
  {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
  }
  const std::string cmd =
      "ffprobe -v error -print_format json -show_format -show_streams '" + file.string() + "'";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return nullptr;
  std::string out;
  char buffer[4096];
  while (const std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return json::parse(out, nullptr, false);
}

class ClipApiTest : public ServerTest {
 protected:
  void configure(server::ServerOptions& options) override {
    options.public_url = "https://hark.example.org";
  }
  void SetUp() override {
    const char* sample_dir = std::getenv("HARK_SAMPLE_DIR");
    sample_ = fs::path(sample_dir != nullptr ? sample_dir : "");
    ASSERT_TRUE(fs::exists(sample_ / "episode1.mp3")) << "sample podcast missing at " << sample_;
    {
      std::ifstream png(sample_ / "artwork.png", std::ios::binary);
      unsigned char header[24] = {};
      png.read(reinterpret_cast<char*>(header), sizeof header);
      artwork_width_ = (header[16] << 24) | (header[17] << 16) | (header[18] << 8) | header[19];
    }
    ServerTest::SetUp();
    const auto alice = add_user("alice");
    add_user("bob");
    alice_ = login("alice");
    bob_ = login("bob");
    auto& store = app_->store();
    Podcast p;
    p.feed_url = (sample_ / "feed.xml").string();
    p.title = "The Sample Hour";
    p.author = "Hark Sample";
    p.image_url = "file://" + (sample_ / "artwork.png").string();
    const auto podcast = store.podcasts().insert(p);
    ASSERT_TRUE(podcast);
    ASSERT_TRUE(store.subscriptions().subscribe(alice.id, podcast->id));
    Episode e;
    e.key = "ep-1";
    e.title = "Episode one";
    ASSERT_TRUE(store.episodes().upsert(podcast->id, {e}));
    episode_ = store.episodes().list(podcast->id)->front().id;
    ASSERT_TRUE(store.episodes().set_download(
        episode_, (sample_ / "episode1.mp3").string(),
        static_cast<std::int64_t>(fs::file_size(sample_ / "episode1.mp3"))));
    store::Snip s;
    s.user_id = alice.id;
    s.episode_id = episode_;
    s.start_ms = 12'300;
    s.end_ms = 27'800;
    s.title = "Why \"tea\" / coffee?";
    auto own = store.snips().insert(s);
    ASSERT_TRUE(own);
    private_snip_ = *own;
    s.start_ms = 40'000;
    s.end_ms = 49'250;
    s.title = "Café moment";
    s.share_id = "Zk3xQ9pLmN2rT8vWq1";
    auto shared = store.snips().insert(s);
    ASSERT_TRUE(shared);
    shared_snip_ = *shared;
  }

  fs::path clips_dir() const { return dir_ / "data" / "cache" / "clips"; }

  // Checks a clip download: an attachment, the snip's duration (±100 ms), its tags, and the
  // artwork as an attached picture (unless `cover` is false: then no picture at all).
  void expect_clip(const HttpReply& r, const store::Snip& snip, const std::string& ext,
                   bool cover = true) {
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), ext == "mp3" ? "audio/mpeg" : "audio/mp4");
    EXPECT_TRUE(r.header("content-disposition").starts_with("attachment; filename=\""))
        << r.header("content-disposition");
    const auto probe = ffprobe(dir_ / ("got." + ext), r.body);
    ASSERT_TRUE(probe.is_object());
    const double duration = std::stod(probe["format"]["duration"].get<std::string>());
    EXPECT_NEAR(duration, static_cast<double>(snip.end_ms - snip.start_ms) / 1000, 0.1) << ext;
    const auto& tags = probe["format"]["tags"];
    EXPECT_EQ(tags.value("title", ""), snip.title) << tags.dump();
    EXPECT_EQ(tags.value("album", ""), "The Sample Hour") << tags.dump();
    EXPECT_EQ(tags.value("artist", ""), "Hark Sample") << tags.dump();
    int pictures = 0;
    for (const auto& stream : probe["streams"]) {
      if (stream.value("codec_type", "") != "video") continue;
      ++pictures;
      EXPECT_EQ(stream["disposition"].value("attached_pic", 0), 1) << stream.dump();
      EXPECT_EQ(stream.value("codec_name", ""), "png") << stream.dump();
      EXPECT_EQ(stream.value("width", 0), artwork_width_) << stream.dump();
    }
    EXPECT_EQ(pictures, cover ? 1 : 0) << ext;
  }

  fs::path sample_;
  int artwork_width_ = 0;  // read from the PNG's header
  LoggedIn alice_, bob_;
  Id episode_ = 0;
  store::Snip private_snip_, shared_snip_;
};

TEST_F(ClipApiTest, OwnerDownloadsAClipThatIsCutOnceThenCached) {
  const std::string url = "/api/snips/" + std::to_string(private_snip_.id) + "/clip";
  auto first = as(alice_, "GET", url);
  expect_clip(first, private_snip_, "m4a");
  EXPECT_EQ(first.header("x-hark-clip-cache"), "miss");
  // The title made safe as a file name on every OS (no quotes or slashes).
  EXPECT_EQ(first.header("content-disposition"),
            "attachment; filename=\"Why tea coffee.m4a\"; filename*=UTF-8''Why%20tea%20coffee.m4a");
  const auto cached = clips_dir() / app::ClipCache::file_name(private_snip_, "m4a");
  ASSERT_TRUE(fs::exists(cached));
  const auto made_at = fs::last_write_time(cached);

  auto again = as(alice_, "GET", url);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.header("x-hark-clip-cache"), "hit");
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(fs::last_write_time(cached), made_at);  // not encoded again

  auto mp3 = as(alice_, "GET", url + "?format=mp3");
  expect_clip(mp3, private_snip_, "mp3");

  // A range of the clip (browsers seek in downloads they play).
  auto part = http_request(port_, "GET", url, {{"Cookie", alice_.cookie}, {"Range", "bytes=0-99"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, first.body.substr(0, 100));

  // An edit makes a new clip and the old one goes.
  ASSERT_TRUE(app_->store().snips().update_text(private_snip_.user_id, private_snip_.id,
                                                std::string("Renamed"), std::nullopt));
  auto edited = as(alice_, "GET", url);
  ASSERT_EQ(edited.status, 200);
  EXPECT_EQ(edited.header("x-hark-clip-cache"), "miss");
  EXPECT_FALSE(fs::exists(cached));
}

TEST_F(ClipApiTest, OwnClipErrors) {
  const std::string url = "/api/snips/" + std::to_string(private_snip_.id) + "/clip";
  EXPECT_EQ(get(url).status, 401);
  EXPECT_EQ(as(bob_, "GET", url).status, 404);  // another user's snip
  EXPECT_EQ(as(alice_, "GET", "/api/snips/999/clip").status, 404);
  auto bad = as(alice_, "GET", url + "?format=wav");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("m4a or mp3"), std::string::npos) << bad.body;
}

TEST_F(ClipApiTest, SharePageOffersTheClipToAnyone) {
  auto page = get("/s/Zk3xQ9pLmN2rT8vWq1");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<a class=\"button\" href=\"/s/Zk3xQ9pLmN2rT8vWq1/clip.m4a\" "
                           "download>Download clip</a>"),
            std::string::npos)
      << page.body;

  auto m4a = get("/s/Zk3xQ9pLmN2rT8vWq1/clip.m4a");  // no account
  expect_clip(m4a, shared_snip_, "m4a");
  EXPECT_EQ(m4a.header("content-disposition"),
            "attachment; filename=\"Caf_ moment.m4a\"; filename*=UTF-8''Caf%C3%A9%20moment.m4a");
  auto mp3 = get("/s/Zk3xQ9pLmN2rT8vWq1/clip.mp3");
  expect_clip(mp3, shared_snip_, "mp3");
  EXPECT_EQ(get("/s/Zk3xQ9pLmN2rT8vWq1/clip.mp3").header("x-hark-clip-cache"), "hit");

  // Unshared, unknown and deleted snips have no public clip.
  EXPECT_EQ(get("/s/not-a-share-id/clip.m4a").status, 404);
  EXPECT_EQ(get("/s/Zk3xQ9pLmN2rT8vWq1/clip.wav").status, 404);
  // Withdrawn: the owner stopped sharing it.
  auto withdrawn = as(alice_, "DELETE", "/api/snips/" + std::to_string(shared_snip_.id) + "/share");
  ASSERT_TRUE(withdrawn.status == 200 || withdrawn.status == 204) << withdrawn.body;
  EXPECT_EQ(get("/s/Zk3xQ9pLmN2rT8vWq1/clip.mp3").status, 404);
  // Deleted.
  ASSERT_TRUE(app_->store().snips().remove(shared_snip_.user_id, shared_snip_.id));
  EXPECT_EQ(get("/s/Zk3xQ9pLmN2rT8vWq1/clip.m4a").status, 404);
  EXPECT_EQ(get("/s/Zk3xQ9pLmN2rT8vWq1").status, 404);
}

TEST_F(ClipApiTest, ArtworkThatCannotBeHadLeavesTheClipWithoutCoverAndSaysWhy) {
  auto& store = app_->store();
  auto episode = store.episodes().find(episode_);
  ASSERT_TRUE(episode);
  auto podcast = store.podcasts().find(episode->podcast_id);
  ASSERT_TRUE(podcast);
  podcast->image_url = "file://" + (sample_ / "no-such-artwork.png").string();
  ASSERT_TRUE(store.podcasts().update(*podcast));
  auto clip = as(alice_, "GET", "/api/snips/" + std::to_string(private_snip_.id) + "/clip");
  expect_clip(clip, private_snip_, "m4a", /*cover=*/false);
  const std::string log = log_.str();
  EXPECT_NE(log.find("the clip of snip " + std::to_string(private_snip_.id) +
                     " has no cover art: the artwork file"),
            std::string::npos)
      << log;
}

TEST_F(ClipApiTest, ABurstOfClipsWaitsItsTurnOrIsTurnedAway) {
  // An episode whose audio comes from a server that answers only when told to, so the
  // first clip holds the one encoding slot for as long as the test wants.
  std::string audio;
  {
    std::ifstream in(sample_ / "episode1.mp3", std::ios::binary);
    audio.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> asked{0};
  LoopbackServer publisher;
  publisher.on("/slow.mp3", [&](const ServerRequest& r) {
    ++asked;
    released.wait_for(std::chrono::seconds(30));
    return serve_bytes(r, audio, "audio/mpeg");
  });
  auto& store = app_->store();
  const Id podcast = store.episodes().find(episode_)->podcast_id;
  Episode e;
  e.key = "ep-slow";
  e.title = "Slow episode";
  e.enclosure_url = publisher.url("/slow.mp3");
  e.enclosure_type = "audio/mpeg";
  ASSERT_TRUE(store.episodes().upsert(podcast, {e}));
  const auto episodes = store.episodes().list(podcast);
  ASSERT_TRUE(episodes);
  Id slow_episode = 0;
  for (const auto& x : *episodes)
    if (x.key == "ep-slow") slow_episode = x.id;
  ASSERT_NE(slow_episode, 0);
  store::Snip s = private_snip_;
  s.episode_id = slow_episode;
  s.share_id.reset();
  auto slow = store.snips().insert(s);
  ASSERT_TRUE(slow);

  app::ClipCache::Options o;
  o.dir = dir_ / "burst";
  o.max_encoding = 1;
  o.max_waiting = 1;
  app::ClipCache cache(store, app_->library(), o);
  std::optional<Result<app::ClipCache::File>> first, second;
  std::thread a([&] { first = cache.get(*slow, "m4a"); });
  for (int i = 0; i < 500 && asked == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(asked, 1);
  EXPECT_EQ(cache.load().encoding, 1);
  std::thread b([&] { second = cache.get(private_snip_, "m4a"); });  // waits its turn
  for (int i = 0; i < 500 && cache.load().waiting == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(cache.load().waiting, 1);
  const auto asked_at = std::chrono::steady_clock::now();
  auto third = cache.get(shared_snip_, "mp3");  // one too many: turned away at once
  EXPECT_LT(std::chrono::steady_clock::now() - asked_at, std::chrono::seconds(2));
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::Unavailable);
  EXPECT_NE(third.error().message.find("try again"), std::string::npos);

  release.set_value();
  a.join();
  b.join();
  ASSERT_TRUE(first && *first) << (first ? first->error().message : "no result");
  ASSERT_TRUE(second && *second) << (second ? second->error().message : "no result");
  EXPECT_FALSE((*first)->cached);
  EXPECT_FALSE((*second)->cached);
  EXPECT_EQ(cache.load().encoding, 0);
  EXPECT_TRUE(cache.get(shared_snip_, "mp3"));  // a turn is free again
}

TEST_F(ClipApiTest, DeletingASnipOrItsEpisodeRemovesItsCachedClips) {
  const auto own = "/api/snips/" + std::to_string(private_snip_.id) + "/clip";
  const auto shared = "/api/snips/" + std::to_string(shared_snip_.id) + "/clip";
  ASSERT_EQ(as(alice_, "GET", own).status, 200);
  ASSERT_EQ(as(alice_, "GET", own + "?format=mp3").status, 200);
  ASSERT_EQ(as(alice_, "GET", shared).status, 200);
  const auto own_m4a = clips_dir() / app::ClipCache::file_name(private_snip_, "m4a");
  const auto own_mp3 = clips_dir() / app::ClipCache::file_name(private_snip_, "mp3");
  const auto shared_m4a = clips_dir() / app::ClipCache::file_name(shared_snip_, "m4a");
  ASSERT_TRUE(fs::exists(own_m4a) && fs::exists(own_mp3) && fs::exists(shared_m4a));

  // Another user cannot delete it, so its clips stay.
  const auto snip_url = "/api/snips/" + std::to_string(private_snip_.id);
  EXPECT_EQ(as(bob_, "DELETE", snip_url).status, 404);
  EXPECT_TRUE(fs::exists(own_m4a));
  // The owner deletes it: both of its clips go, the other snip's stays.
  ASSERT_EQ(as(alice_, "DELETE", snip_url).status, 204);
  EXPECT_FALSE(fs::exists(own_m4a));
  EXPECT_FALSE(fs::exists(own_mp3));
  EXPECT_TRUE(fs::exists(shared_m4a));

  // The episode goes (its podcast removed, here behind the server's back, as another
  // process would): the next start clears the clips of the snips that went with it.
  const Id podcast = app_->store().episodes().find(episode_)->podcast_id;
  ASSERT_TRUE(app_->store().podcasts().remove(podcast));
  EXPECT_TRUE(fs::exists(shared_m4a));
  stop();
  start();
  EXPECT_FALSE(fs::exists(shared_m4a));
  EXPECT_NE(log_.str().find("removed 1 cached clip(s) of deleted snips"), std::string::npos)
      << log_.str();
}

}  // namespace
}  // namespace hark::testing
