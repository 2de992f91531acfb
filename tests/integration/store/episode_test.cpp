// EpisodeRepo: upsert semantics, field round trips, ordering and local download state.
#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

class EpisodeTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    podcast_ = add_podcast("https://example.com/feed.xml");
  }

  Result<UpsertCounts> upsert(const std::vector<Episode>& episodes) {
    return store_->episodes().upsert(podcast_.id, episodes);
  }

  Episode find_by_key(const std::string& key) {
    auto list = store_->episodes().list(podcast_.id);
    EXPECT_TRUE(list);
    for (const auto& e : *list) {
      if (e.key == key) return e;
    }
    ADD_FAILURE() << "no episode with key " << key;
    return {};
  }

  Podcast podcast_;
};

TEST_F(EpisodeTest, UpsertAddsNewEpisodesAndReturnsTheirIds) {
  auto counts = upsert({full_episode("a"), full_episode("b")});
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->added, 2);
  EXPECT_EQ(counts->updated, 0);
  EXPECT_EQ(counts->unchanged, 0);
  ASSERT_EQ(counts->added_ids.size(), 2u);
  auto a = store_->episodes().find(counts->added_ids[0]);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->key, "a");
  EXPECT_EQ(a->podcast_id, podcast_.id);
}

TEST_F(EpisodeTest, EveryFieldRoundTrips) {
  auto original = full_episode("round-trip");
  ASSERT_TRUE(upsert({original}));
  auto stored = find_by_key("round-trip");
  expect_same_episode(stored, original);

  // And the empty / absent variants of each field come back empty / absent.
  Episode sparse;
  sparse.key = "sparse";
  ASSERT_TRUE(upsert({sparse}));
  auto stored_sparse = find_by_key("sparse");
  expect_same_episode(stored_sparse, sparse);
  EXPECT_FALSE(stored_sparse.published_at.has_value());
  EXPECT_FALSE(stored_sparse.season.has_value());
}

TEST_F(EpisodeTest, CountsUpdatedAndUnchanged) {
  ASSERT_TRUE(upsert({full_episode("a"), full_episode("b"), full_episode("c")}));

  auto b = full_episode("b");
  b.title = "A corrected title";
  auto c = full_episode("c");
  c.soundbites.push_back({90'000, 5'000, "a new soundbite"});  // a JSON field change counts
  auto counts = upsert({full_episode("a"), b, c, full_episode("d")});
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->added, 1);
  EXPECT_EQ(counts->updated, 2);
  EXPECT_EQ(counts->unchanged, 1);
  EXPECT_EQ(find_by_key("b").title, "A corrected title");
  EXPECT_EQ(find_by_key("c").soundbites.size(), 3u);

  auto again = upsert({full_episode("a"), b, c, full_episode("d")});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 4);
}

TEST_F(EpisodeTest, FeedDataNeverOverwritesDownloadState) {
  auto counts = upsert({full_episode("a")});
  ASSERT_TRUE(counts);
  const Id id = counts->added_ids.at(0);
  ASSERT_TRUE(store_->episodes().set_download(id, "/data/audio/a.mp3", 58'123'456));

  auto from_feed = full_episode("a");
  from_feed.title = "Retitled";
  from_feed.download_path = "/evil/path";  // feed data carries no local state; ignored
  from_feed.download_size = 1;
  auto updated = upsert({from_feed});
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->updated, 1);

  auto stored = store_->episodes().find(id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->title, "Retitled");
  EXPECT_EQ(stored->download_path, "/data/audio/a.mp3");
  EXPECT_EQ(stored->download_size, 58'123'456);
}

TEST_F(EpisodeTest, SameKeyInAnotherPodcastIsAnotherEpisode) {
  auto other = add_podcast("https://example.com/other.xml");
  ASSERT_TRUE(upsert({full_episode("shared-key")}));
  auto counts = store_->episodes().upsert(other.id, {full_episode("shared-key")});
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->added, 1);
  EXPECT_EQ(store_->episodes().list()->size(), 2u);
}

TEST_F(EpisodeTest, UpsertIntoMissingPodcastIsNotFound) {
  auto counts = store_->episodes().upsert(4242, {full_episode("a")});
  ASSERT_FALSE(counts);
  EXPECT_EQ(counts.error().code, ErrorCode::NotFound);
  EXPECT_EQ(counts.error().message, "no podcast with id 4242");
}

TEST_F(EpisodeTest, EmptyKeyRejectsTheWholeBatch) {
  auto bad = full_episode("");
  auto counts = upsert({full_episode("fine"), bad});
  ASSERT_FALSE(counts);
  EXPECT_EQ(counts.error().code, ErrorCode::InvalidInput);
  EXPECT_TRUE(store_->episodes().list(podcast_.id)->empty());
}

TEST_F(EpisodeTest, ListIsNewestFirstWithUndatedLast) {
  auto old_one = full_episode("old");
  old_one.published_at = 1'000;
  auto new_one = full_episode("new");
  new_one.published_at = 3'000;
  auto mid_one = full_episode("mid");
  mid_one.published_at = 2'000;
  auto undated = full_episode("undated");
  undated.published_at.reset();
  auto same_time = full_episode("same-time-later-id");
  same_time.published_at = 2'000;
  ASSERT_TRUE(upsert({old_one, undated, new_one, mid_one, same_time}));

  auto list = store_->episodes().list(podcast_.id);
  ASSERT_TRUE(list);
  std::vector<std::string> keys;
  for (const auto& e : *list) keys.push_back(e.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"new", "same-time-later-id", "mid", "old", "undated"}));

  auto limited = store_->episodes().list(podcast_.id, 2);
  ASSERT_TRUE(limited);
  ASSERT_EQ(limited->size(), 2u);
  EXPECT_EQ((*limited)[0].key, "new");
}

TEST_F(EpisodeTest, ListAcrossPodcastsAndFiltered) {
  auto other = add_podcast("https://example.com/other.xml");
  auto mine = full_episode("mine");
  mine.published_at = 1'000;
  auto theirs = full_episode("theirs");
  theirs.published_at = 2'000;
  ASSERT_TRUE(upsert({mine}));
  ASSERT_TRUE(store_->episodes().upsert(other.id, {theirs}));

  auto all = store_->episodes().list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].key, "theirs");
  auto only_mine = store_->episodes().list(podcast_.id);
  ASSERT_TRUE(only_mine);
  ASSERT_EQ(only_mine->size(), 1u);
  EXPECT_EQ((*only_mine)[0].key, "mine");
}

TEST_F(EpisodeTest, MissingEpisodeIsNotFound) {
  auto found = store_->episodes().find(99);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::NotFound);
  EXPECT_EQ(found.error().message, "no episode with id 99");
  EXPECT_EQ(store_->episodes().set_download(99, "/x", 1).error().code, ErrorCode::NotFound);
}

TEST_F(EpisodeTest, InvalidUtf8FromAFeedIsStoredNotFatal) {
  auto e = full_episode("bytes");
  e.persons = {{std::string("Bad \xff byte"), "host", "cast", "", ""}};
  auto counts = upsert({e});
  ASSERT_TRUE(counts) << counts.error().message;
  auto stored = find_by_key("bytes");
  ASSERT_EQ(stored.persons.size(), 1u);
  EXPECT_EQ(stored.persons[0].name.rfind("Bad ", 0), 0u);
}

}  // namespace
}  // namespace hark::store::testing
