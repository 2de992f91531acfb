// Restoring and merging a library backup (ArchiveRepo): ids kept where they are free, rows
// matched by feed URL and episode key, references followed to the ids rows got, and a
// broken backup refused with nothing stored.
#include <algorithm>

#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

class ArchiveTest : public StoreTest {
 protected:
  static Podcast podcast(Id id, const std::string& feed_url) {
    Podcast p;
    p.id = id;
    p.feed_url = feed_url;
    p.title = "Show at " + feed_url;
    return p;
  }

  static Episode episode(Id id, Id podcast_id, const std::string& key) {
    Episode e = full_episode(key);
    e.id = id;
    e.podcast_id = podcast_id;
    return e;
  }

  static Snip snip(Id id, Id episode_id, Millis start_ms) {
    Snip s;
    s.id = id;
    s.episode_id = episode_id;
    s.start_ms = start_ms;
    s.end_ms = start_ms + 10'000;
    s.title = "Snip at " + std::to_string(start_ms);
    s.takeaways = {"one"};
    s.created_at = 1'700'000'000'000 + start_ms;
    s.updated_at = s.created_at;
    return s;
  }

  // The library's episode of `podcast_id` with `key`, or 0.
  Id episode_id(Id podcast_id, const std::string& key) {
    auto episodes = store_->episodes().list(podcast_id, 100);
    EXPECT_TRUE(episodes);
    if (!episodes) return 0;
    for (const auto& e : *episodes)
      if (e.key == key) return e.id;
    return 0;
  }
};

TEST_F(ArchiveTest, RestoreKeepsIdsAndEveryEpisodeFieldAndRefusesALibraryWithPodcasts) {
  const Id u = default_user_id();
  LibraryArchive backup;
  backup.podcasts = {podcast(7, "https://restored.example/feed.xml")};
  backup.episodes = {episode(40, 7, "r1"), episode(41, 7, "r2")};
  backup.subscribed = {7};
  backup.snips = {snip(90, 41, 5'000)};
  ASSERT_TRUE(store_->archive().restore(u, backup));

  auto restored = store_->podcasts().find(7);
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(restored->feed_url, "https://restored.example/feed.xml");
  auto e = store_->episodes().find(41);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->podcast_id, 7);
  expect_same_episode(*e, backup.episodes[1]);
  EXPECT_TRUE(*store_->subscriptions().is_subscribed(u, 7));
  auto s = store_->snips().find(u, 90);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->episode_id, 41);
  EXPECT_EQ(s->created_at, backup.snips[0].created_at);

  auto again = store_->archive().restore(u, backup);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
}

TEST_F(ArchiveTest, MergeMatchesOrAddsPodcastsAndEpisodesAndFollowsTheirNewIds) {
  const Id u = default_user_id();
  const Podcast shared = add_podcast("https://shared.example/feed.xml");
  ASSERT_TRUE(store_->episodes().upsert(shared.id, {full_episode("k1")}));
  const Id filler_episode = add_episode("filler");  // its podcast and episode take ids
  const Id k1 = episode_id(shared.id, "k1");
  ASSERT_NE(k1, 0);
  const auto filler_podcast = store_->episodes().find(filler_episode)->podcast_id;

  LibraryArchive backup;
  backup.podcasts = {podcast(10, shared.feed_url),                              // matched
                     podcast(filler_podcast, "https://new.example/feed.xml")};  // id taken
  backup.episodes = {episode(20, 10, "k1"),                                     // matched by key
                     episode(filler_episode, 10, "k2"),                         // new, id taken
                     episode(77, filler_podcast, "n1")};                        // new, id free
  backup.subscribed = {filler_podcast};
  backup.snips = {snip(300, filler_episode, 1'000), snip(301, 77, 2'000), snip(302, 20, 3'000)};

  auto report = store_->archive().merge(u, backup);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->podcasts_existing, 1);
  EXPECT_EQ(report->podcasts_added, 1);
  EXPECT_EQ(report->episodes_existing, 1);
  EXPECT_EQ(report->episodes_added, 2);
  EXPECT_EQ(report->subscriptions_added, 1);
  EXPECT_EQ(report->snips_added, 3);

  auto added = store_->podcasts().find_by_feed_url("https://new.example/feed.xml");
  ASSERT_TRUE(added && added->has_value());
  const Id new_podcast = (*added)->id;
  EXPECT_NE(new_podcast, filler_podcast);  // SQLite chose another id
  EXPECT_TRUE(*store_->subscriptions().is_subscribed(u, new_podcast));
  EXPECT_FALSE(*store_->subscriptions().is_subscribed(u, filler_podcast));
  const Id k2 = episode_id(shared.id, "k2");
  ASSERT_NE(k2, 0);
  EXPECT_NE(k2, filler_episode);
  auto kept = store_->episodes().find(77);  // the free id was kept
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->podcast_id, new_podcast);
  expect_same_episode(*kept, backup.episodes[2]);
  EXPECT_EQ(episode_id(filler_podcast, "k2"), 0);

  auto snips = store_->snips().list(u);
  ASSERT_TRUE(snips);
  ASSERT_EQ(snips->size(), 3u);
  std::vector<std::pair<Millis, Id>> placed;  // start → library episode
  for (const auto& s : *snips) placed.emplace_back(s.start_ms, s.episode_id);
  std::sort(placed.begin(), placed.end());
  EXPECT_EQ(placed, (std::vector<std::pair<Millis, Id>>{{1'000, k2}, {2'000, 77}, {3'000, k1}}));

  // Merging the same backup again finds everything.
  auto twice = store_->archive().merge(u, backup);
  ASSERT_TRUE(twice) << twice.error().message;
  EXPECT_EQ(twice->podcasts_existing, 2);
  EXPECT_EQ(twice->podcasts_added, 0);
  EXPECT_EQ(twice->episodes_existing, 3);
  EXPECT_EQ(twice->episodes_added, 0);
  EXPECT_EQ(twice->subscriptions_added, 0);
  EXPECT_EQ(twice->snips_existing, 3);
  EXPECT_EQ(twice->snips_added, 0);
  EXPECT_EQ(store_->podcasts().list(std::nullopt)->size(), 3u);
}

TEST_F(ArchiveTest, MergeOfAnEpisodeWhosePodcastIsMissingStoresNothing) {
  const Id u = default_user_id();
  add_podcast("https://already.example/feed.xml");
  LibraryArchive backup;
  backup.podcasts = {podcast(5, "https://new.example/feed.xml")};
  backup.episodes = {episode(6, 5, "fine"), episode(7, 99, "orphan")};
  auto merged = store_->archive().merge(u, backup);
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(merged.error().message.find("names podcast 99"), std::string::npos)
      << merged.error().message;
  EXPECT_EQ(store_->podcasts().list(std::nullopt)->size(), 1u);  // rolled back
  EXPECT_FALSE(store_->episodes().find(6));

  auto nobody = store_->archive().merge(u + 100, backup);
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace hark::store::testing
