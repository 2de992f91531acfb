// Snips, highlights and episode summaries (migrations 4 and 5): round trips, cascades, ownership.
#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

class InsightStoreTest : public StoreTest {
 protected:
  Snip snip_for(Id user, Id episode) {
    Snip s;
    s.user_id = user;
    s.episode_id = episode;
    s.start_ms = 60'000;
    s.end_ms = 95'000;
    s.tap_ms = 92'000;
    s.title = "Why “cheap” storage isn't";
    s.summary = "A summary.";
    s.takeaways = {"one", "two"};
    s.quote = "Disks fail.";
    s.quote_speaker = "Ada";
    s.speakers = {"Ada", "Grace"};
    s.engine = "extractive";
    return s;
  }
};

TEST_F(InsightStoreTest, SnipRoundTripsAndListsNewestFirst) {
  const Id episode = add_episode();
  auto user = store_->users().default_user();
  ASSERT_TRUE(user);
  auto first = store_->snips().insert(snip_for(user->id, episode));
  ASSERT_TRUE(first) << first.error().message;
  auto second = store_->snips().insert(snip_for(user->id, episode));
  ASSERT_TRUE(second);
  EXPECT_GT(first->id, 0);
  EXPECT_GT(first->created_at, 0);

  auto found = store_->snips().find(user->id, first->id);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->title, "Why “cheap” storage isn't");
  EXPECT_EQ(found->takeaways, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(found->speakers, (std::vector<std::string>{"Ada", "Grace"}));
  EXPECT_EQ(found->tap_ms, std::optional<Millis>(92'000));
  EXPECT_EQ(found->quote_speaker, "Ada");
  EXPECT_FALSE(found->share_id.has_value());

  auto listed = store_->snips().list(user->id);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, second->id);
  ASSERT_TRUE(store_->snips().update_note(user->id, first->id, "for the team"));
  EXPECT_EQ(store_->snips().find(user->id, first->id)->note, "for the team");
  ASSERT_TRUE(store_->snips().remove(user->id, first->id));
  EXPECT_EQ(store_->snips().list(user->id, episode)->size(), 1u);
}

TEST_F(InsightStoreTest, UpdateEngineTextReplacesTheEnginesTextOnlyAndBumpsUpdatedAt) {
  const Id episode = add_episode();
  auto user = store_->users().default_user();
  ASSERT_TRUE(user);
  auto original = snip_for(user->id, episode);
  original.fallback_reason = "the model timed out";
  auto stored = store_->snips().insert(original);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(store_->snips().find(user->id, stored->id)->fallback_reason, "the model timed out");
  ASSERT_TRUE(store_->snips().update_note(user->id, stored->id, "mine"));
  const Millis before = store_->snips().find(user->id, stored->id)->updated_at;

  Snip rewrite = *stored;
  rewrite.title = "Cheap Storage Is Not Cheap";
  rewrite.summary = "Written by a model.";
  rewrite.takeaways = {"disks fail"};
  rewrite.quote = "Disks fail.";
  rewrite.quote_speaker = "Grace";
  rewrite.engine = "llm:tiny";
  rewrite.fallback_reason = "";
  rewrite.start_ms = 1;    // not the engine's text: ignored
  rewrite.note = "other";  // the user's: kept
  auto updated = store_->snips().update_engine_text(rewrite, stored->title);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->title, "Cheap Storage Is Not Cheap");
  EXPECT_EQ(updated->summary, "Written by a model.");
  EXPECT_EQ(updated->takeaways, (std::vector<std::string>{"disks fail"}));
  EXPECT_EQ(updated->quote_speaker, "Grace");
  EXPECT_EQ(updated->engine, "llm:tiny");
  EXPECT_EQ(updated->fallback_reason, "");
  EXPECT_EQ(updated->start_ms, 60'000);
  EXPECT_EQ(updated->note, "mine");
  EXPECT_EQ(updated->speakers, (std::vector<std::string>{"Ada", "Grace"}));
  EXPECT_GT(updated->updated_at, before);
  EXPECT_EQ(updated->created_at, stored->created_at);

  auto bob = store_->users().create("bob", false);
  ASSERT_TRUE(bob);
  rewrite.user_id = bob->id;
  EXPECT_EQ(store_->snips().update_engine_text(rewrite, rewrite.title).error().code,
            ErrorCode::NotFound);
  rewrite.user_id = user->id;
  rewrite.id += 100;
  EXPECT_EQ(store_->snips().update_engine_text(rewrite, rewrite.title).error().code,
            ErrorCode::NotFound);
}

TEST_F(InsightStoreTest, UpdateEngineTextKeepsATitleTheListenerChanged) {
  const Id episode = add_episode();
  auto user = store_->users().default_user();
  auto stored = store_->snips().insert(snip_for(user->id, episode));
  ASSERT_TRUE(stored);
  ASSERT_TRUE(store_->snips().update_text(user->id, stored->id, "My own title", std::nullopt));
  Snip rewrite = *stored;
  rewrite.title = "A Model's Title";
  rewrite.summary = "The model's summary.";
  rewrite.engine = "llm:tiny";
  auto updated = store_->snips().update_engine_text(rewrite, stored->title);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->title, "My own title");
  EXPECT_EQ(updated->summary, "The model's summary.");
  EXPECT_EQ(updated->engine, "llm:tiny");
}

TEST_F(InsightStoreTest, AnotherUsersSnipIsNotFound) {
  const Id episode = add_episode();
  auto alice = store_->users().create("alice", false);
  auto bob = store_->users().create("bob", false);
  ASSERT_TRUE(alice && bob);
  auto snip = store_->snips().insert(snip_for(alice->id, episode));
  ASSERT_TRUE(snip);
  auto found = store_->snips().find(bob->id, snip->id);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::NotFound);
  EXPECT_TRUE(store_->snips().list(bob->id)->empty());
  EXPECT_EQ(store_->snips().update_note(bob->id, snip->id, "x").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->snips().remove(bob->id, snip->id).error().code, ErrorCode::NotFound);
  EXPECT_TRUE(store_->snips().find(alice->id, snip->id));
}

TEST_F(InsightStoreTest, BadSpanOrUnknownEpisodeIsRefused) {
  const Id episode = add_episode();
  auto user = store_->users().default_user();
  auto bad = snip_for(user->id, episode);
  bad.end_ms = 10;
  EXPECT_EQ(store_->snips().insert(bad).error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(store_->snips().insert(snip_for(user->id, episode + 99)).error().code,
            ErrorCode::NotFound);
}

TEST_F(InsightStoreTest, HighlightsAndSummaryReplaceAndCascade) {
  const Id episode = add_episode();
  auto user = store_->users().default_user();
  std::vector<StoredHighlight> list = {{1'000, 30'000, "First", "s1", 0.9, "extractive"},
                                       {40'000, 80'000, "Second", "s2", 0.5, "extractive"}};
  ASSERT_TRUE(store_->highlights().replace(episode, list));
  ASSERT_TRUE(store_->highlights().replace(episode, list));  // idempotent
  auto stored = store_->highlights().list(episode);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_EQ((*stored)[1].title, "Second");
  EXPECT_DOUBLE_EQ((*stored)[0].score, 0.9);

  StoredSummary summary{episode, "An abstract.", {"a", "b", "c"}, "extractive", 0};
  ASSERT_TRUE(store_->summaries().put(summary));
  summary.abstract = "Better.";
  ASSERT_TRUE(store_->summaries().put(summary));
  auto found = store_->summaries().find(episode);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->abstract, "Better.");
  EXPECT_EQ((*found)->takeaways.size(), 3u);
  EXPECT_EQ(store_->summaries().put({episode + 99, "", {}, "", 0}).error().code,
            ErrorCode::NotFound);

  ASSERT_TRUE(store_->snips().insert(snip_for(user->id, episode)));
  auto podcast = store_->episodes().find(episode)->podcast_id;
  ASSERT_TRUE(store_->podcasts().remove(podcast));  // cascades to the episode
  EXPECT_TRUE(store_->highlights().list(episode)->empty());
  EXPECT_FALSE(store_->summaries().find(episode)->has_value());
  EXPECT_TRUE(store_->snips().list(user->id)->empty());
}

TEST_F(InsightStoreTest, DeletingAUserDeletesTheirSnips) {
  const Id episode = add_episode();
  auto user = store_->users().create("carol", false);
  ASSERT_TRUE(user);
  ASSERT_TRUE(store_->snips().insert(snip_for(user->id, episode)));
  store_.reset();
  RawDb raw(db_path());
  raw.exec("PRAGMA foreign_keys = ON; DELETE FROM users WHERE name = 'carol'");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM snips"), "0");
}

}  // namespace
}  // namespace hark::store::testing
