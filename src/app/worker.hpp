// Runs durable jobs: leases runnable jobs of the kinds in a JobRegistry, keeps each lease
// alive while its handler runs, and records the outcome on the job row.
//
// Per job: lease → run the handler while a heartbeat extends the lease every lease_ms/3
// → on success mark the job done and enqueue the follow-ups it returned (one
// transaction) → on error fail it (InvalidInput: at once, for good; otherwise retried
// after backoff until max_attempts, the error kept on the row). A job whose worker died
// is leased again once its lease expires, by this or any other worker or process.
// When a worker loses a lease (it expired and someone else took the job), it drops the
// handler's result: the new owner redoes the idempotent step.
//
// Thread-safety: all public methods may be called from any thread. start()/stop() and
// run_until_idle() are two modes of the same worker; run_until_idle() while started is
// refused. The JobRepo and JobRegistry must outlive the Worker.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/jobs.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::app {

struct WorkerOptions {
  // Lease owner prefix, unique per process; "" picks "<host>:<pid>:<random>". Each
  // thread appends "#<n>".
  std::string name;
  int threads = 1;
  Millis lease_ms = 60'000;
  // Progress reports are written at most this often (heartbeats keep their own pace).
  Millis progress_interval_ms = 1'000;
  // start(): how often an idle thread looks for jobs that became runnable by time
  // (backoff over, a lease expired) rather than by notify().
  Millis poll_ms = 1'000;
  RetryPolicy retry;
  Clock clock;  // empty: now_ms
};

// What happened to the jobs a worker ran.
struct RunSummary {
  int done = 0;
  int retrying = 0;      // failed, queued again after backoff
  int failed = 0;        // failed for good
  int released = 0;      // handed back unfinished by a graceful stop
  int lost = 0;          // lease taken over by another worker; result dropped
  int store_errors = 0;  // the store refused an update (the lease will expire and retry)
};

class Worker {
 public:
  Worker(store::JobRepo& jobs, const JobRegistry& registry, WorkerOptions options);
  ~Worker();  // stop()
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs jobs on `threads` threads until none is runnable now (queued jobs waiting for
  // their backoff and jobs leased by live workers elsewhere do not count), then returns
  // what ran. For `hark process`. An error when the store failed to lease (the run stops
  // there) or the worker is started.
  Result<RunSummary> run_until_idle();

  // Runs jobs on background threads until stop(). A no-op when already started.
  void start();
  // Hands back the jobs leased by worker processes on this host that no longer run (they
  // crashed or were killed), so a restarted hark resumes them at once instead of waiting
  // for their leases to expire. The attempt still counts. Owners on other hosts are left
  // to lease expiry. run_until_idle() and start() call it first. Returns how many.
  Result<int> reclaim_orphans();
  // Graceful stop: asks running handlers to stop, waits for them, and hands back
  // unfinished jobs at once (release) so another worker can take them without waiting
  // for the lease to expire. A handler that finishes anyway completes normally. Also
  // ends a run_until_idle() in progress on another thread.
  void stop();
  // Wakes idle started threads: a job was enqueued.
  void notify();

  // Everything run since construction.
  [[nodiscard]] RunSummary totals() const;

 private:
  enum class Outcome { Done, Retrying, Failed, Released, Lost, StoreError };
  struct Pass;  // shared state of one run_until_idle()

  Result<std::optional<store::Job>> lease_next(const std::string& owner);
  Outcome execute(const store::Job& job, const std::string& owner);
  Result<std::vector<store::Job>> call_handler(const JobHandler& handler, JobContext& context);
  Outcome settle(const store::Job& job, const std::string& owner,
                 const Result<std::vector<store::Job>>& result);
  Outcome settle_error(const store::Job& job, const std::string& owner, const Error& error);
  static void count(Outcome outcome, RunSummary& summary);
  void drain(const std::string& owner, Pass& pass);
  void serve(const std::string& owner);
  [[nodiscard]] std::string owner(int thread) const;
  double random_unit();

  store::JobRepo& jobs_;
  const JobRegistry& registry_;
  const WorkerOptions options_;
  const std::vector<std::string> kinds_;
  const std::string name_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  bool started_ = false;                    // guarded by mutex_
  std::uint64_t wake_generation_ = 0;       // guarded by mutex_
  std::vector<std::atomic<bool>*> active_;  // cancel flags of running jobs; mutex_
  RunSummary totals_;                       // guarded by mutex_
  std::mt19937_64 random_;                  // guarded by mutex_
  std::vector<std::thread> threads_;        // touched only by start()/stop()
  std::mutex lifecycle_mutex_;              // serialises start()/stop()
};

}  // namespace hark::app
