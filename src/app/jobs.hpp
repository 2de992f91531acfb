// Job kinds and what a job handler sees. The episode pipeline is a chain of durable jobs
// (download → transcript → chapters → ...): each kind's handler does its step
// idempotently and returns the jobs that come next, and the Worker (worker.hpp) enqueues
// them in the same transaction that marks the step done. Adding a step is registering
// one kind and making the step before it return a job of that kind.
//
// Handler contract:
// - Idempotent: a handler may run again after a crash, a lost lease or a retry, so it
//   replaces what it writes (TranscriptRepo::replace, ChapterRepo::replace) rather than
//   appending.
// - Errors are values: InvalidInput means retrying cannot help (a corrupt file) and fails
//   the job at once; any other error is retried with backoff up to the job's
//   max_attempts. A handler should not throw; if it does, that counts as an Internal
//   error.
// - Long work calls `report` now and then and stops (returning its Cancelled error) when
//   report returns one or `cancel` becomes true: the worker is shutting down or another
//   worker took the job over.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::app {

// Unix milliseconds; now_ms() in production. A seam so tests control lease and backoff
// arithmetic.
using Clock = std::function<Millis()>;

// What a running handler gets. Valid only during the handler call.
struct JobContext {
  const store::Job& job;
  // Records progress (0..1) and a short message on the job row (rate-limited) and keeps
  // the lease alive. Returns Cancelled once the lease is lost or shutdown was requested;
  // a transient failure to write progress is not reported (the next call retries).
  std::function<Status(double progress, std::string message)> report;
  // Becomes true when the handler should stop: shutdown requested or the lease lost.
  const std::atomic<bool>& cancel;
};

// Does the job's work and returns the follow-up jobs to enqueue (often none).
using JobHandler = std::function<Result<std::vector<store::Job>>(JobContext&)>;

// The known job kinds and their handlers.
//
// Thread-safety: fill it on one thread before handing it to a Worker; afterwards it is
// only read, which is safe from any number of threads.
class JobRegistry {
 public:
  // Registers `handler` for `kind`. An empty kind, an empty handler or a kind registered
  // twice is a programmer error and throws std::logic_error.
  void add(std::string kind, JobHandler handler);
  // The handler of `kind`, or nullptr.
  [[nodiscard]] const JobHandler* find(std::string_view kind) const;
  // Every registered kind, sorted.
  [[nodiscard]] std::vector<std::string> kinds() const;

 private:
  std::map<std::string, JobHandler, std::less<>> handlers_;
};

// A job about one episode: payload {"episode_id": N} and dedupe key "<kind>:<N>", so a
// step that runs twice (a retry, a crash before its completion was recorded) never
// queues the same next step twice.
store::Job episode_job(std::string kind, Id episode_id);

// The episode id in the payload of a job made by episode_job(). InvalidInput when the
// payload has none: such a job cannot succeed however often it is retried.
Result<Id> episode_id_of(const store::Job& job);

// How long a failed job waits before its next attempt.
struct RetryPolicy {
  Millis base_ms = 5'000;     // after the first failure
  Millis cap_ms = 3'600'000;  // never longer than this
  double jitter = 0.2;        // up to this fraction is taken off at random, so jobs that
                              // failed together (a server down) do not retry in lockstep
};

// The delay after failed attempt `attempt` (1-based): min(cap, base * 2^(attempt - 1)),
// minus jitter * unit of it. `unit` in [0, 1) is the random draw, a parameter so the
// function stays pure.
Millis backoff_delay(const RetryPolicy& policy, int attempt, double unit);

}  // namespace hark::app
