// Migration 3: sessions, API tokens, listening positions, login attempts; passwords on
// users; episode visibility through subscriptions; paging.
#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

using AccountStoreTest = StoreTest;

TEST_F(AccountStoreTest, PasswordHashIsStoredAndFoundById) {
  auto alice = store_->users().create("alice", false);
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->password_hash, "");
  ASSERT_TRUE(store_->users().set_password(alice->id, "$argon2id$v=19$fake"));
  auto found = store_->users().find(alice->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->password_hash, "$argon2id$v=19$fake");
  EXPECT_EQ(store_->users().set_password(999, "x").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->users().find(999).error().code, ErrorCode::NotFound);
}

TEST_F(AccountStoreTest, SessionsAreFoundByHashTouchedAndRemoved) {
  auto alice = store_->users().create("alice", false);
  ASSERT_TRUE(alice);
  Session s{.user_id = alice->id,
            .token_hash = "h1",
            .csrf_token = "c1",
            .created_at = 10,
            .expires_at = 100,
            .last_seen_at = 10};
  auto created = store_->sessions().create(s);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(store_->sessions().create(s).error().code, ErrorCode::Conflict);
  s.user_id = 999;
  s.token_hash = "h2";
  EXPECT_EQ(store_->sessions().create(s).error().code, ErrorCode::NotFound);

  ASSERT_TRUE(store_->sessions().touch(created->id, 50, 200));
  auto found = store_->sessions().find_by_token_hash("h1");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->csrf_token, "c1");
  EXPECT_EQ((*found)->last_seen_at, 50);
  EXPECT_EQ((*found)->expires_at, 200);
  EXPECT_FALSE(*store_->sessions().find_by_token_hash("nope"));

  EXPECT_EQ(*store_->sessions().remove_expired(199), 0);
  EXPECT_EQ(*store_->sessions().remove_expired(200), 1);
  EXPECT_FALSE(*store_->sessions().find_by_token_hash("h1"));

  s.user_id = alice->id;
  s.token_hash = "h3";
  ASSERT_TRUE(store_->sessions().create(s));
  ASSERT_TRUE(store_->sessions().remove_for_user(alice->id));
  EXPECT_FALSE(*store_->sessions().find_by_token_hash("h3"));
}

TEST_F(AccountStoreTest, ApiTokensBelongToTheirUser) {
  auto alice = store_->users().create("alice", false);
  auto bob = store_->users().create("bob", false);
  ASSERT_TRUE(alice && bob);
  auto t = store_->api_tokens().create({.user_id = alice->id, .name = "phone", .token_hash = "t1"});
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_FALSE(t->last_used_at);
  EXPECT_EQ(store_->api_tokens()
                .create({.user_id = bob->id, .name = "x", .token_hash = "t1"})
                .error()
                .code,
            ErrorCode::Conflict);
  ASSERT_TRUE(store_->api_tokens().touch(t->id, 1234));
  auto found = store_->api_tokens().find_by_hash("t1");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->user_id, alice->id);
  EXPECT_EQ((*found)->last_used_at, 1234);
  EXPECT_EQ(store_->api_tokens().list(alice->id)->size(), 1u);
  EXPECT_TRUE(store_->api_tokens().list(bob->id)->empty());
  // Bob cannot revoke Alice's token.
  EXPECT_EQ(store_->api_tokens().remove(bob->id, t->id).error().code, ErrorCode::NotFound);
  ASSERT_TRUE(store_->api_tokens().remove(alice->id, t->id));
  EXPECT_FALSE(*store_->api_tokens().find_by_hash("t1"));
}

TEST_F(AccountStoreTest, PositionsAreUpsertedPerUserAndEpisode) {
  auto alice = store_->users().create("alice", false);
  auto bob = store_->users().create("bob", false);
  ASSERT_TRUE(alice && bob);
  const Id episode = add_episode("ep-1");
  auto saved = store_->positions().save(
      {.user_id = alice->id, .episode_id = episode, .position_ms = 5000, .duration_ms = 60000});
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_GT(saved->updated_at, 0);
  ASSERT_TRUE(store_->positions().save(
      {.user_id = alice->id, .episode_id = episode, .position_ms = 7000, .played = true}));
  auto found = store_->positions().find(alice->id, episode);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->position_ms, 7000);
  EXPECT_FALSE((*found)->duration_ms);
  EXPECT_TRUE((*found)->played);
  EXPECT_FALSE(*store_->positions().find(bob->id, episode));

  const auto podcast = store_->episodes().find(episode)->podcast_id;
  EXPECT_EQ(store_->positions().list_for_podcast(alice->id, podcast)->size(), 1u);
  EXPECT_TRUE(store_->positions().list_for_podcast(bob->id, podcast)->empty());
  EXPECT_TRUE(store_->positions().in_progress(alice->id, 10)->empty());  // played
  ASSERT_TRUE(
      store_->positions().save({.user_id = bob->id, .episode_id = episode, .position_ms = 100}));
  EXPECT_EQ(store_->positions().in_progress(bob->id, 10)->size(), 1u);

  EXPECT_EQ(store_->positions()
                .save({.user_id = alice->id, .episode_id = 999, .position_ms = 1})
                .error()
                .code,
            ErrorCode::NotFound);
  EXPECT_EQ(store_->positions()
                .save({.user_id = alice->id, .episode_id = episode, .position_ms = -1})
                .error()
                .code,
            ErrorCode::InvalidInput);
  // Deleting the podcast removes its episodes' positions.
  ASSERT_TRUE(store_->podcasts().remove(podcast));
  EXPECT_FALSE(*store_->positions().find(bob->id, episode));
}

TEST_F(AccountStoreTest, LoginFailuresAreCountedPerNameAndIpInAWindow) {
  auto& attempts = store_->login_attempts();
  ASSERT_TRUE(attempts.record("Alice", "10.0.0.1", 1000, false));
  ASSERT_TRUE(attempts.record("alice", "10.0.0.2", 2000, false));
  ASSERT_TRUE(attempts.record("alice", "10.0.0.2", 3000, true));
  ASSERT_TRUE(attempts.record("bob", "10.0.0.2", 4000, false));
  auto by_name = attempts.failures_for_name("ALICE", 0);
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->failures, 2);
  EXPECT_EQ(by_name->oldest, 1000);
  EXPECT_EQ(attempts.failures_for_name("alice", 1500)->failures, 1);
  auto by_ip = attempts.failures_for_ip("10.0.0.2", 0);
  EXPECT_EQ(by_ip->failures, 2);
  EXPECT_EQ(by_ip->oldest, 2000);
  EXPECT_EQ(attempts.failures_for_ip("10.9.9.9", 0)->failures, 0);
  ASSERT_TRUE(attempts.prune(3500));
  EXPECT_EQ(attempts.failures_for_name("alice", 0)->failures, 0);
  EXPECT_EQ(attempts.failures_for_name("bob", 0)->failures, 1);
}

TEST_F(AccountStoreTest, EpisodesAreVisibleThroughSubscriptionsOnly) {
  auto alice = store_->users().create("alice", false);
  auto bob = store_->users().create("bob", false);
  ASSERT_TRUE(alice && bob);
  const Id episode = add_episode("ep-1");
  const auto podcast = store_->episodes().find(episode)->podcast_id;
  ASSERT_TRUE(store_->subscriptions().subscribe(alice->id, podcast));
  EXPECT_TRUE(*store_->subscriptions().can_see_episode(alice->id, episode));
  EXPECT_FALSE(*store_->subscriptions().can_see_episode(bob->id, episode));
  EXPECT_FALSE(*store_->subscriptions().can_see_episode(alice->id, 999));
  EXPECT_EQ(store_->episodes().page_for_user(alice->id, 10, 0)->size(), 1u);
  EXPECT_TRUE(store_->episodes().page_for_user(bob->id, 10, 0)->empty());
}

TEST_F(AccountStoreTest, EpisodePagesFollowTheListOrder) {
  const auto podcast = add_podcast("https://example.com/paged.xml");
  std::vector<Episode> episodes;
  for (int i = 0; i < 5; ++i) {
    auto e = full_episode("p" + std::to_string(i));
    e.published_at = 1'000'000 + i;
    episodes.push_back(e);
  }
  ASSERT_TRUE(store_->episodes().upsert(podcast.id, episodes));
  auto all = store_->episodes().list(podcast.id);
  auto page = store_->episodes().page(podcast.id, 2, 1);
  ASSERT_TRUE(all && page);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, (*all)[1].id);
  EXPECT_EQ((*page)[1].id, (*all)[2].id);
  EXPECT_EQ(store_->episodes().page(podcast.id, -1, 3)->size(), 2u);
  EXPECT_TRUE(store_->episodes().page(podcast.id, 10, 10)->empty());
}

}  // namespace
}  // namespace hark::store::testing
