// Many threads (and a second Store on the same file, standing in for another process)
// using the store at once: no SQLITE_BUSY or other error may surface, and the job queue
// hands out every job exactly once.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

// Collects errors from worker threads; gtest assertions belong on the main thread.
class ErrorLog {
 public:
  void add(const std::string& where, const Error& e) {
    std::lock_guard lock(mutex_);
    errors_.push_back(where + ": " + e.message);
  }
  [[nodiscard]] std::vector<std::string> errors() const {
    std::lock_guard lock(mutex_);
    return errors_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> errors_;
};

using ConcurrencyTest = StoreTest;

TEST_F(ConcurrencyTest, WritersAndReadersRunTogetherWithoutErrors) {
  constexpr int kWriters = 3;
  constexpr int kBatches = 15;
  constexpr int kBatchSize = 10;
  constexpr int kReaders = 6;  // more than the reader pool, so some wait for a connection
  auto second = open_store();
  ASSERT_TRUE(second);
  std::vector<Id> podcasts;
  for (int w = 0; w < kWriters; ++w) {
    podcasts.push_back(add_podcast("https://example.com/" + std::to_string(w) + ".xml").id);
  }

  ErrorLog log;
  std::atomic<bool> writing{true};
  std::atomic<int> reads{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    Store& store = (w % 2 == 0) ? *store_ : *second;
    threads.emplace_back([&, w] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<Episode> batch;
        for (int i = 0; i < kBatchSize; ++i) {
          auto e = full_episode(std::to_string(b) + "-" + std::to_string(i));
          e.published_at = b * kBatchSize + i;
          batch.push_back(std::move(e));
        }
        if (auto r = store.episodes().upsert(podcasts[w], batch); !r) log.add("upsert", r.error());
        Job job;
        job.kind = "transcript";
        job.dedupe_key = "w" + std::to_string(w) + "-" + std::to_string(b);
        if (auto r = store.jobs().enqueue(job); !r) log.add("enqueue", r.error());
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    Store& store = (r % 2 == 0) ? *store_ : *second;
    threads.emplace_back([&] {
      while (writing.load()) {
        if (auto p = store.podcasts().list(); !p) log.add("list podcasts", p.error());
        if (auto e = store.episodes().list(std::nullopt, 50); !e)
          log.add("list episodes", e.error());
        if (auto j = store.jobs().list(20); !j) log.add("list jobs", j.error());
        reads.fetch_add(1);
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[static_cast<std::size_t>(w)].join();
  writing = false;
  for (std::size_t t = kWriters; t < threads.size(); ++t) threads[t].join();

  EXPECT_EQ(log.errors(), std::vector<std::string>{});
  EXPECT_GT(reads.load(), 0);
  auto listed = store_->podcasts().list();
  ASSERT_TRUE(listed);
  for (const auto& p : *listed) EXPECT_EQ(p.episode_count, kBatches * kBatchSize) << p.feed_url;
  EXPECT_EQ(store_->jobs().list(-1)->size(), static_cast<std::size_t>(kWriters * kBatches));
  EXPECT_EQ(*store_->integrity_check(), "ok");
}

TEST_F(ConcurrencyTest, ConcurrentWorkersLeaseEveryJobExactlyOnce) {
  constexpr int kJobs = 200;
  constexpr int kWorkersPerStore = 4;
  auto second = open_store();
  ASSERT_TRUE(second);
  for (int i = 0; i < kJobs; ++i) {
    Job job;
    job.kind = (i % 2 == 0) ? "download" : "transcript";
    job.payload = "{\"n\": " + std::to_string(i) + "}";
    ASSERT_TRUE(store_->jobs().enqueue(job));
  }

  ErrorLog log;
  std::mutex seen_mutex;
  std::map<Id, int> times_leased;
  std::vector<std::thread> workers;
  for (int w = 0; w < 2 * kWorkersPerStore; ++w) {
    Store& store = (w < kWorkersPerStore) ? *store_ : *second;
    workers.emplace_back([&, w] {
      const std::string owner = "worker-" + std::to_string(w);
      while (true) {
        // A long lease and a fixed clock: nothing expires, so any double lease is a bug.
        auto leased = store.jobs().lease(owner, {}, 1'000, 3'600'000);
        if (!leased) {
          log.add("lease", leased.error());
          return;
        }
        if (!*leased) return;
        {
          std::lock_guard lock(seen_mutex);
          ++times_leased[(*leased)->id];
        }
        if (auto s = store.jobs().heartbeat((*leased)->id, owner, 3'600'000, 0.5, "working"); !s)
          log.add("heartbeat", s.error());
        if (auto s = store.jobs().complete((*leased)->id, owner); !s)
          log.add("complete", s.error());
      }
    });
  }
  for (auto& t : workers) t.join();

  EXPECT_EQ(log.errors(), std::vector<std::string>{});
  EXPECT_EQ(times_leased.size(), static_cast<std::size_t>(kJobs));
  for (const auto& [id, times] : times_leased) EXPECT_EQ(times, 1) << "job " << id;
  auto all = store_->jobs().list(-1);
  ASSERT_TRUE(all);
  for (const auto& job : *all) {
    EXPECT_EQ(job.state, JobState::Done) << job.id;
    EXPECT_EQ(job.attempts, 1) << job.id;
  }
}

TEST_F(ConcurrencyTest, ConcurrentDefaultUserCreatesOneUser) {
  auto second = open_store();
  ASSERT_TRUE(second);
  ErrorLog log;
  std::vector<std::thread> threads;
  std::mutex ids_mutex;
  std::vector<Id> ids;
  for (int t = 0; t < 8; ++t) {
    Store& store = (t % 2 == 0) ? *store_ : *second;
    threads.emplace_back([&] {
      auto user = store.users().default_user();
      if (!user) return log.add("default_user", user.error());
      std::lock_guard lock(ids_mutex);
      ids.push_back(user->id);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(log.errors(), std::vector<std::string>{});
  ASSERT_EQ(ids.size(), 8u);
  for (Id id : ids) EXPECT_EQ(id, ids.front());
  EXPECT_EQ(store_->users().list()->size(), 1u);
}

}  // namespace
}  // namespace hark::store::testing
