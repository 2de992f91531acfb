// The server's refresh schedule: every N minutes, refresh every feed and queue the episode
// pipeline for the newest new episodes of each podcast, then wake the worker.
//
// Thread-safety: start()/stop() from one thread (the server's); status() and run_once()
// from any thread (run_once() calls are serialised).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "app/library.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::app {

// Queues the pipeline (enqueue_episode) for those of `added` that are among the podcast's
// `recent` newest episodes; all of `added` when `recent` < 0, none when 0. Returns the
// queued jobs. For a new subscription `added` is every episode of the feed, so only the
// newest few are processed; for a refresh it is what the feed added since.
Result<std::vector<store::Job>> enqueue_recent(store::Store& store, Id podcast_id,
                                               const std::vector<Id>& added, int recent);

struct RefreshScheduleOptions {
  Millis interval_ms = 60 * 60'000;  // 0: never (run_once() still works)
  int auto_process_recent = 3;
  // Called after jobs were queued (the server passes Worker::notify).
  std::function<void()> on_enqueued;
};

struct RefreshRound {
  Millis started_at = 0;
  Millis finished_at = 0;
  int feeds = 0;
  int failed = 0;
  int new_episodes = 0;
  int queued = 0;     // pipeline jobs queued
  std::string error;  // set when the round could not run at all
};

class RefreshSchedule {
 public:
  RefreshSchedule(Library& library, store::Store& store, RefreshScheduleOptions options);
  ~RefreshSchedule();  // stop()
  RefreshSchedule(const RefreshSchedule&) = delete;
  RefreshSchedule& operator=(const RefreshSchedule&) = delete;

  // Starts the timer thread; the first round runs one interval after start. A no-op when
  // the interval is 0 or it is already started.
  void start();
  // Stops the timer; waits for a round in progress to finish.
  void stop();
  // One round now: refresh all feeds (every user's), queue new episodes.
  RefreshRound run_once();

  [[nodiscard]] std::optional<RefreshRound> last_round() const;
  [[nodiscard]] Millis next_round_at() const;  // 0 when not scheduled
  [[nodiscard]] const RefreshScheduleOptions& options() const { return options_; }

 private:
  void loop();

  Library& library_;
  store::Store& store_;
  RefreshScheduleOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;             // guarded by mutex_
  std::optional<RefreshRound> last_;  // guarded by mutex_
  Millis next_at_ = 0;                // guarded by mutex_
  std::mutex round_mutex_;            // serialises run_once()
  std::thread thread_;
};

}  // namespace hark::app
