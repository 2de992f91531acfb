// The job runner on a real SQLite store: chains, dedupe, retries with backoff, permanent
// failures, progress, exclusive leases, expired leases, lost leases and graceful stop.
#include "app/worker.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/time.hpp"
#include "jobs_fixture.hpp"

namespace hark::app::testing {
namespace {

using store::Job;
using store::JobState;
using Jobs = std::vector<Job>;

// Polls `done` every few milliseconds for up to 5 s.
template <typename F>
bool eventually(F&& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return done();
}

// Options for tests: no waiting between progress writes, tiny backoff.
WorkerOptions fast_options(std::string name = "test-worker") {
  WorkerOptions options;
  options.name = std::move(name);
  options.progress_interval_ms = 0;
  options.poll_ms = 5;
  options.retry = {1, 1, 0.0};
  return options;
}

class WorkerTest : public JobsTest {
 protected:
  RunSummary run(const JobRegistry& registry, WorkerOptions options = fast_options()) {
    Worker worker(store_->jobs(), registry, std::move(options));
    auto summary = worker.run_until_idle();
    EXPECT_TRUE(summary) << (summary ? "" : summary.error().message);
    return summary ? *summary : RunSummary{};
  }

  std::vector<Job> jobs_of_kind(const std::string& kind) {
    std::vector<Job> found;
    auto all = store_->jobs().list(-1);
    EXPECT_TRUE(all) << (all ? "" : all.error().message);
    if (!all) return found;
    for (const auto& job : *all) {
      if (job.kind == kind) found.push_back(job);
    }
    return found;
  }
};

TEST(BackoffTest, DoublesFromBaseUpToTheCapMinusJitter) {
  const RetryPolicy policy{5'000, 3'600'000, 0.2};
  EXPECT_EQ(backoff_delay(policy, 1, 0.0), 5'000);
  EXPECT_EQ(backoff_delay(policy, 2, 0.0), 10'000);
  EXPECT_EQ(backoff_delay(policy, 4, 0.0), 40'000);
  EXPECT_EQ(backoff_delay(policy, 20, 0.0), 3'600'000);
  EXPECT_EQ(backoff_delay(policy, 1'000'000, 0.0), 3'600'000);  // no overflow
  EXPECT_EQ(backoff_delay(policy, 1, 0.5), 4'500);              // 10% of 5 s taken off
  EXPECT_EQ(backoff_delay(policy, 2, 1.0), 8'000);
  EXPECT_EQ(backoff_delay({0, 1'000, 0.0}, 5, 0.0), 0);
}

TEST(RegistryTest, KindsAreSortedAndDuplicatesAreRefused) {
  JobRegistry registry;
  const JobHandler noop = [](JobContext&) -> Result<Jobs> { return Jobs{}; };
  registry.add("transcript", noop);
  registry.add("download", noop);
  EXPECT_EQ(registry.kinds(), (std::vector<std::string>{"download", "transcript"}));
  EXPECT_NE(registry.find("download"), nullptr);
  EXPECT_EQ(registry.find("chapters"), nullptr);
  EXPECT_THROW(registry.add("download", noop), std::logic_error);
  EXPECT_THROW(registry.add("", noop), std::logic_error);
  EXPECT_THROW(registry.add("chapters", JobHandler{}), std::logic_error);
}

TEST(EpisodeJobTest, PayloadAndDedupeKeyNameTheEpisode) {
  auto job = episode_job("transcript", 42);
  EXPECT_EQ(job.kind, "transcript");
  EXPECT_EQ(job.dedupe_key, "transcript:42");
  EXPECT_EQ(*episode_id_of(job), 42);
  job.payload = R"({"episode": 42})";
  EXPECT_EQ(episode_id_of(job).error().code, ErrorCode::InvalidInput);
  job.payload = "[]";
  EXPECT_EQ(episode_id_of(job).error().code, ErrorCode::InvalidInput);
}

TEST_F(WorkerTest, AChainOfThreeKindsRunsInOrder) {
  const Id episode = add_episode();
  std::vector<std::string> ran;
  JobRegistry registry;
  // Registered out of order: the chain, not the registry, decides what runs next.
  const auto step = [&](std::string next) {
    return [&, next](JobContext& context) -> Result<Jobs> {
      auto id = episode_id_of(context.job);
      if (!id) return id.error();
      ran.push_back(context.job.kind + ":" + std::to_string(*id));
      if (next.empty()) return Jobs{};
      return Jobs{episode_job(next, *id)};
    };
  };
  registry.add("three", step(""));
  registry.add("one", step("two"));
  registry.add("two", step("three"));
  enqueue(episode_job("one", episode));

  const auto summary = run(registry);
  const std::string e = std::to_string(episode);
  EXPECT_EQ(ran, (std::vector<std::string>{"one:" + e, "two:" + e, "three:" + e}));
  EXPECT_EQ(summary.done, 3);
  for (const char* kind : {"one", "two", "three"}) {
    const auto jobs = jobs_of_kind(kind);
    ASSERT_EQ(jobs.size(), 1u) << kind;
    EXPECT_EQ(jobs[0].state, JobState::Done) << kind;
    EXPECT_EQ(jobs[0].dedupe_key, std::string(kind) + ":" + e);
  }
}

TEST_F(WorkerTest, FollowUpsAreDeduplicated) {
  const Id episode = add_episode();
  std::atomic<int> leaf_runs{0};
  JobRegistry registry;
  registry.add("split", [&](JobContext&) -> Result<Jobs> {
    return Jobs{episode_job("leaf", episode), episode_job("leaf", episode)};
  });
  registry.add("leaf", [&](JobContext&) -> Result<Jobs> {
    ++leaf_runs;
    return Jobs{};
  });
  // Two parents (no dedupe key) both ask for the same leaf; the second asks while the
  // first one's leaf is still queued.
  Job parent;
  parent.kind = "split";
  enqueue(parent);
  enqueue(parent);

  const auto summary = run(registry);
  EXPECT_EQ(summary.done, 3);
  EXPECT_EQ(leaf_runs, 1);
  EXPECT_EQ(jobs_of_kind("leaf").size(), 1u);
}

TEST_F(WorkerTest, FailuresRetryWithBackoffThenStayFailedWithTheError) {
  std::atomic<Millis> now{1'000'000};
  int calls = 0;
  JobRegistry registry;
  registry.add("flaky", [&](JobContext&) -> Result<Jobs> {
    return unavailable("server down, try " + std::to_string(++calls));
  });
  Job flaky;
  flaky.kind = "flaky";
  flaky.max_attempts = 3;
  const auto job = enqueue(flaky);
  auto options = fast_options();
  options.clock = [&] { return now.load(); };
  options.retry = {1'000, 1'500, 0.0};

  auto summary = run(registry, options);
  EXPECT_EQ(summary.retrying, 1);
  auto row = find(job.id);
  EXPECT_EQ(row.state, JobState::Queued);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.run_after, 1'001'000);  // base delay
  EXPECT_EQ(row.last_error, "server down, try 1");

  // Not runnable before its backoff is over.
  now = 1'000'999;
  EXPECT_EQ(run(registry, options).retrying, 0);
  now = 1'001'000;
  EXPECT_EQ(run(registry, options).retrying, 1);
  row = find(job.id);
  EXPECT_EQ(row.run_after, 1'002'500);  // doubled, then capped at 1.5 s

  now = 1'002'500;
  summary = run(registry, options);
  EXPECT_EQ(summary.failed, 1);
  row = find(job.id);
  EXPECT_EQ(row.state, JobState::Failed);
  EXPECT_EQ(row.attempts, 3);
  EXPECT_EQ(row.last_error, "server down, try 3");
  now = 9'000'000;
  EXPECT_EQ(run(registry, options).failed, 0);
  EXPECT_EQ(calls, 3);
}

TEST_F(WorkerTest, InvalidInputFailsAtOnce) {
  JobRegistry registry;
  registry.add("decode", [](JobContext&) -> Result<Jobs> {
    return invalid_input("not an audio file: it starts with <html>");
  });
  Job decode;
  decode.kind = "decode";
  decode.max_attempts = 5;
  const auto job = enqueue(decode);

  const auto summary = run(registry);
  EXPECT_EQ(summary.failed, 1);
  const auto row = find(job.id);
  EXPECT_EQ(row.state, JobState::Failed);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.last_error, "not an audio file: it starts with <html>");
}

TEST_F(WorkerTest, AThrowingHandlerIsRetriedLikeAnInternalError) {
  JobRegistry registry;
  registry.add("buggy", [](JobContext&) -> Result<Jobs> { throw std::runtime_error("oops"); });
  Job buggy;
  buggy.kind = "buggy";
  const auto job = enqueue(buggy);
  auto options = fast_options();
  options.retry = {60'000, 60'000, 0.0};
  EXPECT_EQ(run(registry, options).retrying, 1);
  const auto row = find(job.id);
  EXPECT_EQ(row.state, JobState::Queued);
  EXPECT_EQ(row.last_error, "the buggy handler threw: oops");
}

TEST_F(WorkerTest, ProgressReportsUpdateTheJobRow) {
  Job seen;
  JobRegistry registry;
  registry.add("slow", [&](JobContext& context) -> Result<Jobs> {
    auto status = context.report(0.25, "a quarter done");
    if (!status) return status.error();
    seen = find(context.job.id);
    return Jobs{};
  });
  Job slow;
  slow.kind = "slow";
  const auto job = enqueue(slow);
  auto options = fast_options();
  options.lease_ms = 60'000;

  const Millis before = now_ms();
  EXPECT_EQ(run(registry, options).done, 1);
  EXPECT_EQ(seen.state, JobState::Running);
  EXPECT_DOUBLE_EQ(seen.progress, 0.25);
  EXPECT_EQ(seen.progress_message, "a quarter done");
  EXPECT_GE(seen.lease_until, before + 60'000);  // reporting also extends the lease
  EXPECT_DOUBLE_EQ(find(job.id).progress, 1.0);
}

TEST_F(WorkerTest, HeartbeatsKeepALongJobLeased) {
  JobRegistry registry;
  Millis first_lease = 0;
  Millis last_lease = 0;
  registry.add("long", [&](JobContext& context) -> Result<Jobs> {
    first_lease = context.job.lease_until;
    // Several lease periods without calling report: the heartbeat thread keeps it alive.
    EXPECT_TRUE(eventually([&] { return find(context.job.id).lease_until > first_lease + 90; }));
    last_lease = find(context.job.id).lease_until;
    return Jobs{};
  });
  Job job;
  job.kind = "long";
  enqueue(job);
  auto options = fast_options();
  options.lease_ms = 30;
  const auto summary = run(registry, options);
  EXPECT_EQ(summary.done, 1);
  EXPECT_EQ(summary.lost, 0);
  EXPECT_GT(last_lease, first_lease);
}

TEST_F(WorkerTest, TwoWorkersNeverRunTheSameJob) {
  constexpr int kJobs = 40;
  std::mutex mutex;
  std::set<Id> running;
  std::map<Id, int> runs;
  int overlaps = 0;
  JobRegistry registry;
  registry.add("work", [&](JobContext& context) -> Result<Jobs> {
    {
      std::lock_guard lock(mutex);
      if (!running.insert(context.job.id).second) ++overlaps;
      ++runs[context.job.id];
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard lock(mutex);
    running.erase(context.job.id);
    return Jobs{};
  });
  for (int i = 0; i < kJobs; ++i) enqueue(episode_job("work", i));

  // Two stores on the same file, as two processes would have.
  auto other_store = open_store();
  ASSERT_TRUE(other_store);
  auto options = fast_options("a");
  options.threads = 2;
  Worker a(store_->jobs(), registry, options);
  options.name = "b";
  Worker b(other_store->jobs(), registry, options);
  Result<RunSummary> ran_a = RunSummary{};
  Result<RunSummary> ran_b = RunSummary{};
  std::thread thread_a([&] { ran_a = a.run_until_idle(); });
  std::thread thread_b([&] { ran_b = b.run_until_idle(); });
  thread_a.join();
  thread_b.join();

  ASSERT_TRUE(ran_a && ran_b);
  EXPECT_EQ(ran_a->done + ran_b->done, kJobs);
  EXPECT_EQ(overlaps, 0);
  ASSERT_EQ(runs.size(), static_cast<std::size_t>(kJobs));
  for (const auto& [id, count] : runs) EXPECT_EQ(count, 1) << "job " << id;
}

TEST_F(WorkerTest, AJobOfADeadWorkerRunsAgainOnceItsLeaseExpires) {
  JobRegistry registry;
  registry.add("work", [](JobContext&) -> Result<Jobs> { return Jobs{}; });
  const auto job = enqueue(episode_job("work", 1));
  const Millis now = now_ms();
  // "dead" leased it and vanished without completing.
  ASSERT_TRUE(*store_->jobs().lease("dead", {"work"}, now, 60'000));

  auto options = fast_options();
  options.clock = [now] { return now + 59'999; };
  EXPECT_EQ(run(registry, options).done, 0);  // the lease still holds
  options.clock = [now] { return now + 60'000; };
  EXPECT_EQ(run(registry, options).done, 1);
  const auto row = find(job.id);
  EXPECT_EQ(row.state, JobState::Done);
  EXPECT_EQ(row.attempts, 2);
}

TEST_F(WorkerTest, ALostLeaseDropsTheResult) {
  JobRegistry registry;
  Status report_status;
  registry.add("work", [&](JobContext& context) -> Result<Jobs> {
    // Another worker decides this one is dead and takes the job over.
    auto taken = store_->jobs().lease("rescuer", {"work"}, context.job.lease_until, 60'000);
    EXPECT_TRUE(taken && *taken);
    report_status = context.report(0.5, "half");
    EXPECT_TRUE(context.cancel.load());
    return Jobs{episode_job("next", 1)};  // must not be enqueued
  });
  const auto job = enqueue(episode_job("work", 1));

  const auto summary = run(registry);
  EXPECT_EQ(summary.lost, 1);
  ASSERT_FALSE(report_status);
  EXPECT_EQ(report_status.error().code, ErrorCode::Cancelled);
  const auto row = find(job.id);
  EXPECT_EQ(row.state, JobState::Running);
  EXPECT_EQ(row.lease_owner, "rescuer");
  EXPECT_TRUE(jobs_of_kind("next").empty());
}

TEST_F(WorkerTest, UnknownKindsAreLeftForAnotherWorker) {
  JobRegistry registry;
  registry.add("known", [](JobContext&) -> Result<Jobs> { return Jobs{}; });
  const auto unknown = enqueue(episode_job("insights", 1));
  EXPECT_EQ(run(registry).done, 0);
  EXPECT_EQ(find(unknown.id).state, JobState::Queued);
  EXPECT_EQ(find(unknown.id).attempts, 0);
  EXPECT_EQ(run(JobRegistry{}).done, 0);
}

TEST_F(WorkerTest, GracefulStopReleasesTheLeaseAtOnce) {
  std::atomic<bool> started{false};
  std::atomic<bool> block{true};
  JobRegistry registry;
  registry.add("long", [&](JobContext& context) -> Result<Jobs> {
    started = true;
    while (block) {
      auto status = context.report(0.5, "working");
      if (!status) return status.error();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return Jobs{};
  });
  const auto job = enqueue(episode_job("long", 1));

  Worker worker(store_->jobs(), registry, fast_options());
  worker.start();
  ASSERT_TRUE(eventually([&] { return started.load(); }));
  const Millis stopped_at = now_ms();
  worker.stop();
  EXPECT_EQ(worker.totals().released, 1);
  auto row = find(job.id);
  EXPECT_EQ(row.state, JobState::Queued);
  EXPECT_EQ(row.lease_owner, "");
  EXPECT_EQ(row.attempts, 0);  // a shutdown is not a failed attempt
  EXPECT_LE(row.run_after, now_ms());
  EXPECT_GE(row.run_after, stopped_at);

  // Another worker takes it at once, without waiting for a lease to expire.
  block = false;
  EXPECT_EQ(run(registry).done, 1);
  EXPECT_EQ(find(job.id).state, JobState::Done);
}

TEST_F(WorkerTest, AStartedWorkerRunsJobsEnqueuedLater) {
  std::atomic<int> ran{0};
  JobRegistry registry;
  registry.add("work", [&](JobContext&) -> Result<Jobs> {
    ++ran;
    return Jobs{};
  });
  auto options = fast_options();
  options.poll_ms = 60'000;  // only notify() can wake it in time
  options.threads = 2;
  Worker worker(store_->jobs(), registry, options);
  worker.start();
  EXPECT_EQ(worker.run_until_idle().error().code, ErrorCode::Conflict);
  const auto job = enqueue(episode_job("work", 1));
  worker.notify();
  EXPECT_TRUE(eventually([&] { return find(job.id).state == JobState::Done; }));
  worker.stop();
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(worker.totals().done, 1);
}

}  // namespace
}  // namespace hark::app::testing
