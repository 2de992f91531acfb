// JobRepo: the durable queue's enqueue, lease, heartbeat, complete, fail.
#include <nlohmann/json.hpp>

#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

constexpr Millis kNow = 1'000'000;
constexpr Millis kLease = 60'000;

class JobTest : public StoreTest {
 protected:
  JobRepo& jobs() { return store_->jobs(); }

  Job enqueue(const std::string& kind, const std::string& dedupe_key = "", Millis run_after = 0,
              int max_attempts = 5) {
    Job j;
    j.kind = kind;
    j.payload = R"({"episode_id": 1})";
    j.dedupe_key = dedupe_key;
    j.run_after = run_after;
    j.max_attempts = max_attempts;
    auto queued = jobs().enqueue(j);
    EXPECT_TRUE(queued) << (queued ? "" : queued.error().message);
    return queued ? *queued : j;
  }

  std::optional<Job> lease(const std::string& owner, Millis now = kNow,
                           const std::vector<std::string>& kinds = {}) {
    auto leased = jobs().lease(owner, kinds, now, kLease);
    EXPECT_TRUE(leased) << (leased ? "" : leased.error().message);
    return leased ? *leased : std::nullopt;
  }
};

TEST_F(JobTest, EnqueueStoresTheJob) {
  const auto job = enqueue("download", "download:1", 500, 3);
  EXPECT_GT(job.id, 0);
  EXPECT_EQ(job.state, JobState::Queued);
  EXPECT_EQ(job.payload, R"({"episode_id": 1})");
  EXPECT_EQ(job.dedupe_key, "download:1");
  EXPECT_EQ(job.run_after, 500);
  EXPECT_EQ(job.max_attempts, 3);
  EXPECT_EQ(job.attempts, 0);
  EXPECT_GT(job.created_at, 0);
  EXPECT_EQ(job.finished_at, 0);

  Job bare;
  bare.kind = "index";
  auto with_defaults = jobs().enqueue(bare);
  ASSERT_TRUE(with_defaults);
  EXPECT_EQ(with_defaults->payload, "{}");
}

TEST_F(JobTest, EnqueueRejectsBadJobs) {
  Job no_kind;
  EXPECT_EQ(jobs().enqueue(no_kind).error().code, ErrorCode::InvalidInput);
  Job bad_payload;
  bad_payload.kind = "download";
  bad_payload.payload = "{not json";
  EXPECT_EQ(jobs().enqueue(bad_payload).error().code, ErrorCode::InvalidInput);
  Job no_attempts;
  no_attempts.kind = "download";
  no_attempts.max_attempts = 0;
  EXPECT_EQ(jobs().enqueue(no_attempts).error().code, ErrorCode::InvalidInput);
  EXPECT_TRUE(jobs().list()->empty());
}

TEST_F(JobTest, DedupeReturnsTheLiveJobUntilItFinishes) {
  const auto first = enqueue("transcript", "transcript:9");
  const auto again = enqueue("transcript", "transcript:9");
  EXPECT_EQ(again.id, first.id);

  ASSERT_TRUE(lease("w1"));
  const auto while_running = enqueue("transcript", "transcript:9");
  EXPECT_EQ(while_running.id, first.id);

  ASSERT_TRUE(jobs().complete(first.id, "w1"));
  const auto after_done = enqueue("transcript", "transcript:9");
  EXPECT_NE(after_done.id, first.id);

  const auto undeduped_a = enqueue("transcript");
  const auto undeduped_b = enqueue("transcript");
  EXPECT_NE(undeduped_a.id, undeduped_b.id);
}

TEST_F(JobTest, LeaseTakesOldestRunAfterThenId) {
  const auto later = enqueue("a", "", 300);
  const auto first = enqueue("a", "", 100);
  const auto second = enqueue("a", "", 100);

  auto l1 = lease("w");
  auto l2 = lease("w");
  auto l3 = lease("w");
  ASSERT_TRUE(l1 && l2 && l3);
  EXPECT_EQ(l1->id, first.id);
  EXPECT_EQ(l2->id, second.id);
  EXPECT_EQ(l3->id, later.id);
  EXPECT_FALSE(lease("w").has_value());

  EXPECT_EQ(l1->state, JobState::Running);
  EXPECT_EQ(l1->lease_owner, "w");
  EXPECT_EQ(l1->lease_until, kNow + kLease);
  EXPECT_EQ(l1->attempts, 1);
}

TEST_F(JobTest, LeaseRespectsRunAfter) {
  const auto job = enqueue("a", "", kNow + 10);
  EXPECT_FALSE(lease("w", kNow).has_value());
  auto leased = lease("w", kNow + 10);
  ASSERT_TRUE(leased);
  EXPECT_EQ(leased->id, job.id);
}

TEST_F(JobTest, LeaseFiltersByKind) {
  const auto download = enqueue("download");
  const auto transcript = enqueue("transcript");
  auto leased = lease("w", kNow, {"transcript", "insights"});
  ASSERT_TRUE(leased);
  EXPECT_EQ(leased->id, transcript.id);
  EXPECT_FALSE(lease("w", kNow, {"insights"}).has_value());
  auto any = lease("w", kNow, {});
  ASSERT_TRUE(any);
  EXPECT_EQ(any->id, download.id);
}

TEST_F(JobTest, HeartbeatExtendsLeaseAndRecordsProgress) {
  const auto job = enqueue("a");
  ASSERT_TRUE(lease("w"));
  ASSERT_TRUE(jobs().heartbeat(job.id, "w", kNow + 2 * kLease, 0.5, "halfway"));
  auto found = jobs().find(job.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->lease_until, kNow + 2 * kLease);
  EXPECT_DOUBLE_EQ(found->progress, 0.5);
  EXPECT_EQ(found->progress_message, "halfway");
  // The extended lease keeps other workers away past the original expiry.
  EXPECT_FALSE(lease("other", kNow + kLease + 1).has_value());
}

TEST_F(JobTest, ExpiredLeaseIsTakenOverAndTheOldOwnerIsRefused) {
  const auto job = enqueue("a");
  ASSERT_TRUE(lease("dead-worker"));
  EXPECT_FALSE(lease("rescuer", kNow + kLease - 1).has_value());  // not expired yet

  auto rescued = lease("rescuer", kNow + kLease);
  ASSERT_TRUE(rescued);
  EXPECT_EQ(rescued->id, job.id);
  EXPECT_EQ(rescued->lease_owner, "rescuer");
  EXPECT_EQ(rescued->attempts, 2);

  auto beat = jobs().heartbeat(job.id, "dead-worker", kNow + 10 * kLease, 0.9, "");
  ASSERT_FALSE(beat);
  EXPECT_EQ(beat.error().code, ErrorCode::Conflict);
  EXPECT_NE(beat.error().message.find("rescuer"), std::string::npos) << beat.error().message;
  EXPECT_EQ(jobs().complete(job.id, "dead-worker").error().code, ErrorCode::Conflict);
  EXPECT_EQ(jobs().fail(job.id, "dead-worker", "x", 0).error().code, ErrorCode::Conflict);

  ASSERT_TRUE(jobs().complete(job.id, "rescuer"));
  auto done = jobs().find(job.id);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, JobState::Done);
  EXPECT_DOUBLE_EQ(done->progress, 1.0);
  EXPECT_GT(done->finished_at, 0);
  // Finished jobs refuse everyone, including their last owner.
  EXPECT_EQ(jobs().complete(job.id, "rescuer").error().code, ErrorCode::Conflict);
}

TEST_F(JobTest, OwnerOperationsOnMissingJobsAreNotFound) {
  EXPECT_EQ(jobs().heartbeat(5, "w", 0, 0, "").error().code, ErrorCode::NotFound);
  EXPECT_EQ(jobs().complete(5, "w").error().code, ErrorCode::NotFound);
  EXPECT_EQ(jobs().fail(5, "w", "e", 0).error().code, ErrorCode::NotFound);
  auto found = jobs().find(5);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().message, "no job with id 5");
}

TEST_F(JobTest, FailRetriesUntilMaxAttemptsThenKeepsTheError) {
  const auto job = enqueue("a", "a:1", 0, /*max_attempts=*/3);
  Millis now = kNow;
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto leased = lease("w", now);
    ASSERT_TRUE(leased) << "attempt " << attempt;
    EXPECT_EQ(leased->attempts, attempt);
    ASSERT_TRUE(jobs().fail(job.id, "w", "error " + std::to_string(attempt), now + 1000));
    auto requeued = jobs().find(job.id);
    ASSERT_TRUE(requeued);
    EXPECT_EQ(requeued->state, JobState::Queued);
    EXPECT_EQ(requeued->run_after, now + 1000);
    EXPECT_EQ(requeued->last_error, "error " + std::to_string(attempt));
    EXPECT_FALSE(lease("w", now + 999).has_value());  // backoff respected
    now += 1000;
  }
  ASSERT_TRUE(lease("w", now));
  ASSERT_TRUE(jobs().fail(job.id, "w", "final error", now + 1000));
  auto failed = jobs().find(job.id);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->state, JobState::Failed);
  EXPECT_EQ(failed->attempts, 3);
  EXPECT_EQ(failed->last_error, "final error");
  EXPECT_GT(failed->finished_at, 0);
  EXPECT_FALSE(lease("w", now + 1'000'000).has_value());
  // A failed job frees its dedupe key.
  EXPECT_NE(enqueue("a", "a:1").id, job.id);
}

TEST_F(JobTest, ExpiredLeaseOnTheLastAttemptFailsTheJob) {
  const auto job = enqueue("poison", "", 0, /*max_attempts=*/2);
  ASSERT_TRUE(lease("w1", kNow));
  ASSERT_TRUE(jobs().fail(job.id, "w1", "decoder error", kNow));
  ASSERT_TRUE(lease("w2", kNow));  // attempt 2 of 2, then w2 dies

  EXPECT_FALSE(lease("w3", kNow + kLease).has_value());
  auto failed = jobs().find(job.id);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->state, JobState::Failed);
  EXPECT_NE(failed->last_error.find("w2"), std::string::npos) << failed->last_error;
  EXPECT_NE(failed->last_error.find("decoder error"), std::string::npos) << failed->last_error;
}

TEST_F(JobTest, CompleteWithEnqueuesFollowUpsAtomically) {
  const auto job = enqueue("download", "download:1");
  ASSERT_TRUE(lease("w"));
  Job next;
  next.kind = "transcript";
  next.dedupe_key = "transcript:1";
  Job bad;
  bad.kind = "chapters";
  bad.payload = "{not json";
  auto refused = jobs().complete_with(job.id, "w", {next, bad});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(jobs().find(job.id)->state, JobState::Running);  // nothing changed
  EXPECT_EQ(jobs().list()->size(), 1u);

  const auto live = enqueue("transcript", "transcript:1");
  auto enqueued = jobs().complete_with(job.id, "w", {next, next});
  ASSERT_TRUE(enqueued) << enqueued.error().message;
  ASSERT_EQ(enqueued->size(), 2u);
  EXPECT_EQ((*enqueued)[0].id, live.id);  // deduplicated into the live job
  EXPECT_EQ((*enqueued)[1].id, live.id);
  EXPECT_EQ(jobs().find(job.id)->state, JobState::Done);
  EXPECT_EQ(jobs().complete_with(job.id, "w", {}).error().code, ErrorCode::Conflict);
}

TEST_F(JobTest, GiveUpFailsAtOnceWithAttemptsLeft) {
  const auto job = enqueue("decode", "", 0, /*max_attempts=*/5);
  ASSERT_TRUE(lease("w"));
  EXPECT_EQ(jobs().give_up(job.id, "other", "x").error().code, ErrorCode::Conflict);
  ASSERT_TRUE(jobs().give_up(job.id, "w", "not an audio file"));
  auto failed = jobs().find(job.id);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->state, JobState::Failed);
  EXPECT_EQ(failed->attempts, 1);
  EXPECT_EQ(failed->last_error, "not an audio file");
  EXPECT_GT(failed->finished_at, 0);
  EXPECT_FALSE(lease("w", kNow + 10 * kLease).has_value());
}

TEST_F(JobTest, ReleaseRequeuesAtOnceWithoutSpendingAnAttempt) {
  const auto job = enqueue("a", "a:1", 0, /*max_attempts=*/1);
  ASSERT_TRUE(lease("w"));
  ASSERT_TRUE(jobs().heartbeat(job.id, "w", kNow + kLease, 0.4, "partway"));
  EXPECT_EQ(jobs().release(job.id, "other", kNow).error().code, ErrorCode::Conflict);
  ASSERT_TRUE(jobs().release(job.id, "w", kNow + 5));

  auto released = jobs().find(job.id);
  ASSERT_TRUE(released);
  EXPECT_EQ(released->state, JobState::Queued);
  EXPECT_EQ(released->attempts, 0);
  EXPECT_EQ(released->lease_owner, "");
  EXPECT_EQ(released->run_after, kNow + 5);
  EXPECT_EQ(enqueue("a", "a:1").id, job.id);  // still the live job for its key
  // Even on its only attempt, a released job runs again.
  auto again = lease("w2", kNow + 5);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, job.id);
  EXPECT_EQ(again->attempts, 1);
}

TEST_F(JobTest, ListIsNewestFirst) {
  const auto a = enqueue("a");
  const auto b = enqueue("b");
  const auto c = enqueue("c");
  auto all = jobs().list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, c.id);
  EXPECT_EQ((*all)[2].id, a.id);
  auto two = jobs().list(2);
  ASSERT_TRUE(two);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].id, b.id);
}

// list_visible_to: what GET /api/jobs shows each user.
class JobVisibilityTest : public JobTest {
 protected:
  void SetUp() override {
    JobTest::SetUp();
    alice_ = make_user("alice", false);
    bob_ = make_user("bob", false);
    root_ = make_user("root", true);
    alices_episode_ = add_episode("alices");
    bobs_episode_ = add_episode("bobs");
    subscribe(alice_, alices_episode_);
    subscribe(bob_, bobs_episode_);
  }

  Id make_user(const std::string& name, bool admin) {
    auto user = store_->users().create(name, admin);
    EXPECT_TRUE(user) << (user ? "" : user.error().message);
    return user ? user->id : 0;
  }

  void subscribe(Id user, Id episode) {
    auto found = store_->episodes().find(episode);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(store_->subscriptions().subscribe(user, found->podcast_id));
  }

  Id add(const std::string& payload) {
    Job j;
    j.kind = "k";
    j.payload = payload;
    auto queued = jobs().enqueue(j);
    EXPECT_TRUE(queued) << payload << ": " << (queued ? "" : queued.error().message);
    return queued ? queued->id : 0;
  }

  std::vector<Id> visible(Id user, bool admin, int limit = -1) {
    auto listed = jobs().list_visible_to(user, admin, limit);
    EXPECT_TRUE(listed) << (listed ? "" : listed.error().message);
    std::vector<Id> ids;
    if (listed)
      for (const auto& j : *listed) ids.push_back(j.id);
    return ids;
  }

  static std::string with(const std::string& key, Id id) {
    return "{\"" + key + "\": " + std::to_string(id) + "}";
  }

  Id alice_ = 0, bob_ = 0, root_ = 0;
  Id alices_episode_ = 0, bobs_episode_ = 0;
};

TEST_F(JobVisibilityTest, SharedJobsBySubscriptionPersonalJobsToTheirUserAlone) {
  using Ids = std::vector<Id>;
  // Shared jobs: an administrator sees them all, a user those of their episodes.
  const Id alices_transcript = add(with("episode_id", alices_episode_));
  const Id bobs_transcript = add(with("episode_id", bobs_episode_));
  const Id system = add("{}");
  const Id unknown_episode = add(with("episode_id", 999'999));
  const Id episode_as_text = add(R"({"episode_id": ")" + std::to_string(alices_episode_) + "\"}");
  const Id episode_as_real = add(R"({"episode_id": )" + std::to_string(alices_episode_) + ".0}");
  const Id not_an_object = add("[" + with("user_id", alice_) + "]");
  const Id nested = add(R"({"export": )" + with("user_id", alice_) + "}");
  // Personal jobs: their user's alone, whoever else subscribes to the episode or is an
  // administrator.
  const Id alices_export =
      add(R"({"service": "notion", "user_id": )" + std::to_string(alice_) + "}");
  const Id bobs_rewrite_of_alices_episode =
      add(R"({"episode_id": )" + std::to_string(alices_episode_) + R"(, "user_id": )" +
          std::to_string(bob_) + "}");
  const Id roots_export = add(with("user_id", root_));
  // A user_id that is not an integer hides the job from everyone.
  const Id null_user =
      add(R"({"user_id": null, "episode_id": )" + std::to_string(alices_episode_) + "}");
  const Id user_as_text = add(R"({"user_id": ")" + std::to_string(alice_) + "\"}");
  const Id user_as_real = add(R"({"user_id": )" + std::to_string(alice_) + ".0}");
  (void)null_user, (void)user_as_text, (void)user_as_real;

  EXPECT_EQ(visible(alice_, false), (Ids{alices_export, alices_transcript}));
  EXPECT_EQ(visible(bob_, false), (Ids{bobs_rewrite_of_alices_episode, bobs_transcript}));
  EXPECT_EQ(visible(root_, true),
            (Ids{roots_export, nested, not_an_object, episode_as_real, episode_as_text,
                 unknown_episode, system, bobs_transcript, alices_transcript}));
  // Being an administrator is the caller's role, not a property of the id: the same
  // user without it sees only their own and their subscriptions' jobs.
  EXPECT_EQ(visible(root_, false), (Ids{roots_export}));
  EXPECT_EQ(visible(alice_, true),
            (Ids{alices_export, nested, not_an_object, episode_as_real, episode_as_text,
                 unknown_episode, system, bobs_transcript, alices_transcript}));
  // A user with no subscriptions and no jobs of their own sees nothing.
  EXPECT_TRUE(visible(make_user("carol", false), false).empty());
}

TEST_F(JobVisibilityTest, LimitCountsVisibleJobsNewestFirst) {
  const Id old_one = add(with("episode_id", alices_episode_));
  const Id newer = add(with("user_id", alice_));
  // Many newer jobs Alice may not see must not crowd hers out of the page.
  for (int i = 0; i < 5; ++i) add(with("user_id", bob_));
  const Id newest = add(with("episode_id", alices_episode_));
  for (int i = 0; i < 5; ++i) add(with("episode_id", bobs_episode_));

  EXPECT_EQ(visible(alice_, false, 2), (std::vector<Id>{newest, newer}));
  EXPECT_EQ(visible(alice_, false, 3), (std::vector<Id>{newest, newer, old_one}));
  EXPECT_EQ(visible(alice_, false, 100), (std::vector<Id>{newest, newer, old_one}));
  EXPECT_EQ(visible(alice_, false, 1), (std::vector<Id>{newest}));
  EXPECT_TRUE(visible(alice_, false, 0).empty());
  EXPECT_EQ(visible(root_, true, 3).size(), 3u);
  EXPECT_EQ(visible(root_, true).size(), 7u);  // Alice's and Bob's own jobs are theirs alone
}

TEST_F(JobVisibilityTest, ReturnsWholeJobs) {
  const Id id = add(with("user_id", alice_));
  auto listed = jobs().list_visible_to(alice_, false, 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  auto found = jobs().find(id);
  ASSERT_TRUE(found);
  EXPECT_EQ((*listed)[0].payload, found->payload);
  EXPECT_EQ((*listed)[0].kind, "k");
  EXPECT_EQ((*listed)[0].created_at, found->created_at);
  EXPECT_EQ((*listed)[0].state, JobState::Queued);
}

// The rule as GET /api/jobs applied it in C++ before it moved into SQL, payload by payload
// (nlohmann's reading of the JSON): the SQL must agree with it on every payload below.
bool visible_as_written_in_cpp(Store& store, const Job& job, Id user, bool admin) {
  const auto payload = nlohmann::json::parse(job.payload, nullptr, false);
  if (payload.is_object() && payload.contains("user_id")) {
    return payload["user_id"].is_number_integer() && payload["user_id"].get<Id>() == user;
  }
  if (admin) return true;
  if (!payload.is_object() || !payload.contains("episode_id") ||
      !payload["episode_id"].is_number_integer())
    return false;
  auto can_see = store.subscriptions().can_see_episode(user, payload["episode_id"].get<Id>());
  EXPECT_TRUE(can_see);
  return can_see && *can_see;
}

TEST_F(JobVisibilityTest, AgreesWithTheRuleAsWrittenInCpp) {
  const std::string a = std::to_string(alice_), e = std::to_string(alices_episode_);
  for (const std::string& payload : std::vector<std::string>{
           "{}",
           "[]",
           "7",
           "\"text\"",
           "null",
           "{\"episode_id\": " + e + "}",
           "{\"episode_id\": " + std::to_string(bobs_episode_) + "}",
           "{\"episode_id\": -" + e + "}",
           "{\"episode_id\": " + e + ".0}",
           "{\"episode_id\": " + e + "e0}",
           "{\"episode_id\": \"" + e + "\"}",
           "{\"episode_id\": [" + e + "]}",
           "{\"episode_id\": true}",
           "{\"episode_id\": null}",
           "{\"episode_id\": 9223372036854775807}",
           "{\"episode_id\": 18446744073709551615}",
           "{\"episode_id\": 99999999999999999999999}",
           "{\"Episode_id\": " + e + "}",
           "{\"user_id\": " + a + "}",
           "{\"user_id\": " + std::to_string(bob_) + ", \"episode_id\": " + e + "}",
           "{\"user_id\": " + std::to_string(root_) + "}",
           "{\"user_id\": " + a + ".0}",
           "{\"user_id\": " + a + "e0}",
           "{\"user_id\": \"" + a + "\"}",
           "{\"user_id\": null}",
           "{\"user_id\": null, \"episode_id\": " + e + "}",
           "{\"user_id\": false, \"episode_id\": " + e + "}",
           "{\"user_id\": {}, \"episode_id\": " + e + "}",
           "{\"user_id\": [" + a + "]}",
           "{\"user_id\": -0}",
           "{\"user_id\": -" + a + "}",
           "{\"user_id\": 18446744073709551615}",
           "{\"user_id\": 99999999999999999999999}",
           "{\"User_id\": " + a + ", \"episode_id\": " + e + "}",
           "{\"user\": {\"user_id\": " + a + "}, \"episode_id\": " + e + "}",
           "[{\"user_id\": " + a + "}]",
       })
    add(payload);
  auto all = jobs().list(-1);
  ASSERT_TRUE(all);
  for (const auto& [user, admin] : std::vector<std::pair<Id, bool>>{
           {alice_, false}, {alice_, true}, {bob_, false}, {root_, true}, {root_, false}}) {
    std::vector<Id> expected;
    for (const auto& job : *all)
      if (visible_as_written_in_cpp(*store_, job, user, admin)) expected.push_back(job.id);
    EXPECT_EQ(visible(user, admin), expected) << "user " << user << (admin ? " (admin)" : "");
  }
}

}  // namespace
}  // namespace hark::store::testing
