// PodcastRepo: storing metadata and fetch state, listing with counts, removal.
#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

using PodcastTest = StoreTest;

Podcast full_podcast(const std::string& feed_url) {
  Podcast p;
  p.feed_url = feed_url;
  p.title = "Full Podcast";
  p.author = "Ada";
  p.description = "All about everything";
  p.link = "https://example.com";
  p.image_url = "https://example.com/cover.jpg";
  p.language = "en-GB";
  p.explicit_content = true;
  p.podcast_guid = "c7a8b2c4-0000-4000-8000-000000000001";
  p.locked = true;
  p.locked_owner = "ada@example.com";
  p.new_feed_url = "https://new.example.com/feed.xml";
  p.persons = {{"Ada", "host", "cast", "https://example.com/ada.jpg", "https://ada.example"}};
  p.etag = "\"abc\"";
  p.last_modified = "Tue, 10 Jun 2003 04:00:00 GMT";
  p.last_fetched_at = 1'700'000'000'000;
  p.last_success_at = 1'699'000'000'000;
  p.last_error = "timeout";
  return p;
}

void expect_same_podcast(const Podcast& a, const Podcast& b) {
  EXPECT_EQ(a.feed_url, b.feed_url);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.author, b.author);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.link, b.link);
  EXPECT_EQ(a.image_url, b.image_url);
  EXPECT_EQ(a.language, b.language);
  EXPECT_EQ(a.explicit_content, b.explicit_content);
  EXPECT_EQ(a.podcast_guid, b.podcast_guid);
  EXPECT_EQ(a.locked, b.locked);
  EXPECT_EQ(a.locked_owner, b.locked_owner);
  EXPECT_EQ(a.new_feed_url, b.new_feed_url);
  EXPECT_EQ(a.persons, b.persons);
  EXPECT_EQ(a.etag, b.etag);
  EXPECT_EQ(a.last_modified, b.last_modified);
  EXPECT_EQ(a.last_fetched_at, b.last_fetched_at);
  EXPECT_EQ(a.last_success_at, b.last_success_at);
  EXPECT_EQ(a.last_error, b.last_error);
}

TEST_F(PodcastTest, InsertThenFindRoundTripsEveryField) {
  const auto original = full_podcast("https://example.com/full.xml");
  auto inserted = store_->podcasts().insert(original);
  ASSERT_TRUE(inserted) << inserted.error().message;
  EXPECT_GT(inserted->id, 0);

  auto found = store_->podcasts().find(inserted->id);
  ASSERT_TRUE(found) << found.error().message;
  expect_same_podcast(*found, original);
  EXPECT_EQ(found->episode_count, 0);

  auto by_url = store_->podcasts().find_by_feed_url("https://example.com/full.xml");
  ASSERT_TRUE(by_url && by_url->has_value());
  EXPECT_EQ((*by_url)->id, inserted->id);
}

TEST_F(PodcastTest, UnknownFeedUrlIsNotAnError) {
  auto by_url = store_->podcasts().find_by_feed_url("https://nowhere.example/feed");
  ASSERT_TRUE(by_url);
  EXPECT_FALSE(by_url->has_value());
}

TEST_F(PodcastTest, DuplicateFeedUrlIsAConflictNamingTheUrl) {
  add_podcast("https://example.com/feed.xml");
  Podcast again;
  again.feed_url = "https://example.com/feed.xml";
  auto second = store_->podcasts().insert(again);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::Conflict);
  EXPECT_NE(second.error().message.find("https://example.com/feed.xml"), std::string::npos);
}

TEST_F(PodcastTest, MissingPodcastIsNotFoundNamingTheId) {
  auto found = store_->podcasts().find(7);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::NotFound);
  EXPECT_EQ(found.error().message, "no podcast with id 7");

  Podcast ghost;
  ghost.id = 7;
  ghost.feed_url = "https://example.com/ghost.xml";
  auto updated = store_->podcasts().update(ghost);
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->podcasts().remove(7).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->podcasts().record_fetch(7, 1, "", "", "").error().code, ErrorCode::NotFound);
}

TEST_F(PodcastTest, UpdateReplacesMetadataAndFetchState) {
  auto podcast = add_podcast("https://example.com/old.xml");
  auto changed = full_podcast("https://example.com/moved.xml");
  changed.id = podcast.id;
  ASSERT_TRUE(store_->podcasts().update(changed));
  auto found = store_->podcasts().find(podcast.id);
  ASSERT_TRUE(found);
  expect_same_podcast(*found, changed);
}

TEST_F(PodcastTest, UpdateToAnotherPodcastsFeedUrlIsAConflict) {
  add_podcast("https://example.com/a.xml");
  auto b = add_podcast("https://example.com/b.xml");
  b.feed_url = "https://example.com/a.xml";
  auto updated = store_->podcasts().update(b);
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().code, ErrorCode::Conflict);
}

TEST_F(PodcastTest, RecordFetchSuccessThenFailure) {
  auto podcast = full_podcast("https://example.com/f.xml");
  auto inserted = store_->podcasts().insert(podcast);
  ASSERT_TRUE(inserted);
  const Id id = inserted->id;

  // Success: validators stored, error cleared, metadata untouched.
  ASSERT_TRUE(store_->podcasts().record_fetch(id, 1000, "", "\"v2\"", "Wed, 11 Jun 2003"));
  auto after_success = store_->podcasts().find(id);
  ASSERT_TRUE(after_success);
  EXPECT_EQ(after_success->last_fetched_at, 1000);
  EXPECT_EQ(after_success->last_success_at, 1000);
  EXPECT_EQ(after_success->last_error, "");
  EXPECT_EQ(after_success->etag, "\"v2\"");
  EXPECT_EQ(after_success->last_modified, "Wed, 11 Jun 2003");
  EXPECT_EQ(after_success->title, "Full Podcast");

  // A 304 without validators keeps the stored ones.
  ASSERT_TRUE(store_->podcasts().record_fetch(id, 1500, "", "", ""));
  auto after_304 = store_->podcasts().find(id);
  ASSERT_TRUE(after_304);
  EXPECT_EQ(after_304->etag, "\"v2\"");
  EXPECT_EQ(after_304->last_modified, "Wed, 11 Jun 2003");
  EXPECT_EQ(after_304->last_success_at, 1500);

  // Failure: error recorded, last success and validators kept.
  ASSERT_TRUE(store_->podcasts().record_fetch(id, 2000, "HTTP 503", "\"ignored\"", "ignored"));
  auto after_failure = store_->podcasts().find(id);
  ASSERT_TRUE(after_failure);
  EXPECT_EQ(after_failure->last_fetched_at, 2000);
  EXPECT_EQ(after_failure->last_success_at, 1500);
  EXPECT_EQ(after_failure->last_error, "HTTP 503");
  EXPECT_EQ(after_failure->etag, "\"v2\"");
}

TEST_F(PodcastTest, ListHasEpisodeCountsAndIsOrderedByTitle) {
  auto zebra = add_podcast("https://example.com/z.xml", "zebra talk");
  auto apple = add_podcast("https://example.com/a.xml", "Apple Pie");
  auto empty = add_podcast("https://example.com/e.xml", "Empty");
  ASSERT_TRUE(store_->episodes().upsert(
      zebra.id, {full_episode("z1"), full_episode("z2"), full_episode("z3")}));
  ASSERT_TRUE(store_->episodes().upsert(apple.id, {full_episode("a1")}));

  auto list = store_->podcasts().list();
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, apple.id);
  EXPECT_EQ((*list)[0].episode_count, 1);
  EXPECT_EQ((*list)[1].id, empty.id);
  EXPECT_EQ((*list)[1].episode_count, 0);
  EXPECT_EQ((*list)[2].id, zebra.id);
  EXPECT_EQ((*list)[2].episode_count, 3);

  auto found = store_->podcasts().find(zebra.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->episode_count, 3);
}

TEST_F(PodcastTest, ListFiltersByUserSubscriptions) {
  auto a = add_podcast("https://example.com/a.xml", "A");
  auto b = add_podcast("https://example.com/b.xml", "B");
  add_podcast("https://example.com/c.xml", "C");
  ASSERT_TRUE(store_->episodes().upsert(b.id, {full_episode("b1"), full_episode("b2")}));
  auto alice = store_->users().create("alice", false);
  auto bob = store_->users().create("bob", false);
  ASSERT_TRUE(alice && bob);
  ASSERT_TRUE(store_->subscriptions().subscribe(alice->id, a.id));
  ASSERT_TRUE(store_->subscriptions().subscribe(alice->id, b.id));
  ASSERT_TRUE(store_->subscriptions().subscribe(bob->id, b.id));

  auto alices = store_->podcasts().list(alice->id);
  ASSERT_TRUE(alices);
  ASSERT_EQ(alices->size(), 2u);
  EXPECT_EQ((*alices)[0].id, a.id);
  EXPECT_EQ((*alices)[1].id, b.id);
  EXPECT_EQ((*alices)[1].episode_count, 2);

  auto bobs = store_->podcasts().list(bob->id);
  ASSERT_TRUE(bobs);
  ASSERT_EQ(bobs->size(), 1u);
  EXPECT_EQ((*bobs)[0].id, b.id);

  auto nobodys = store_->podcasts().list(Id{9999});
  ASSERT_TRUE(nobodys);
  EXPECT_TRUE(nobodys->empty());
}

// Also proves PRAGMA foreign_keys is on for the writer: without it nothing would cascade.
TEST_F(PodcastTest, RemoveCascadesToEpisodesAndSubscriptions) {
  auto doomed = add_podcast("https://example.com/doomed.xml");
  auto kept = add_podcast("https://example.com/kept.xml");
  auto user = store_->users().default_user();
  ASSERT_TRUE(user);
  auto doomed_episodes = store_->episodes().upsert(doomed.id, {full_episode("d1")});
  ASSERT_TRUE(doomed_episodes);
  ASSERT_TRUE(store_->episodes().upsert(kept.id, {full_episode("k1")}));
  ASSERT_TRUE(store_->subscriptions().subscribe(user->id, doomed.id));
  ASSERT_TRUE(store_->subscriptions().subscribe(user->id, kept.id));

  ASSERT_TRUE(store_->podcasts().remove(doomed.id));

  EXPECT_EQ(store_->podcasts().find(doomed.id).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->episodes().find(doomed_episodes->added_ids.at(0)).error().code,
            ErrorCode::NotFound);
  auto all_episodes = store_->episodes().list();
  ASSERT_TRUE(all_episodes);
  ASSERT_EQ(all_episodes->size(), 1u);
  EXPECT_EQ((*all_episodes)[0].podcast_id, kept.id);
  EXPECT_FALSE(*store_->subscriptions().is_subscribed(user->id, doomed.id));
  EXPECT_TRUE(*store_->subscriptions().is_subscribed(user->id, kept.id));
  store_.reset();
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM subscriptions"), "1");
}

}  // namespace
}  // namespace hark::store::testing
