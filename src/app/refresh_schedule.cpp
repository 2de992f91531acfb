#include "app/refresh_schedule.hpp"

#include <algorithm>
#include <chrono>

#include "app/pipeline.hpp"
#include "core/time.hpp"

namespace hark::app {

Result<std::vector<store::Job>> enqueue_recent(store::Store& store, Id podcast_id,
                                               const std::vector<Id>& added, int recent) {
  std::vector<store::Job> jobs;
  if (recent == 0 || added.empty()) return jobs;
  std::vector<Id> chosen;
  if (recent < 0) {
    chosen = added;
  } else {
    auto newest = store.episodes().list(podcast_id, recent);
    if (!newest) return newest.error();
    for (const auto& e : *newest)
      if (std::find(added.begin(), added.end(), e.id) != added.end()) chosen.push_back(e.id);
  }
  for (Id id : chosen) {
    auto job = enqueue_episode(store, id);
    if (!job) return job.error();
    jobs.push_back(*job);
  }
  return jobs;
}

RefreshSchedule::RefreshSchedule(Library& library, store::Store& store,
                                 RefreshScheduleOptions options)
    : library_(library), store_(store), options_(std::move(options)) {}

RefreshSchedule::~RefreshSchedule() {
  stop();
}

void RefreshSchedule::start() {
  if (options_.interval_ms <= 0 || thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    next_at_ = now_ms() + options_.interval_ms;
  }
  thread_ = std::thread([this] { loop(); });
}

void RefreshSchedule::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    next_at_ = 0;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RefreshSchedule::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const Millis wait = std::max<Millis>(0, next_at_ - now_ms());
    if (wake_.wait_for(lock, std::chrono::milliseconds(wait), [&] { return stopping_; })) break;
    if (now_ms() < next_at_) continue;
    lock.unlock();
    run_once();
    lock.lock();
    next_at_ = now_ms() + options_.interval_ms;
  }
}

RefreshRound RefreshSchedule::run_once() {
  std::lock_guard round_lock(round_mutex_);
  RefreshRound round;
  round.started_at = now_ms();
  auto results = library_.refresh_all(std::nullopt);
  if (!results) {
    round.error = results.error().message;
  } else {
    round.feeds = static_cast<int>(results->size());
    for (const auto& r : *results) {
      if (r.outcome == RefreshOutcome::Failed) ++round.failed;
      round.new_episodes += r.episodes.added;
      auto queued =
          enqueue_recent(store_, r.podcast_id, r.episodes.added_ids, options_.auto_process_recent);
      if (queued)
        round.queued += static_cast<int>(queued->size());
      else if (round.error.empty())
        round.error = queued.error().message;
    }
  }
  if (round.queued > 0 && options_.on_enqueued) options_.on_enqueued();
  round.finished_at = now_ms();
  std::lock_guard lock(mutex_);
  last_ = round;
  return round;
}

std::optional<RefreshRound> RefreshSchedule::last_round() const {
  std::lock_guard lock(mutex_);
  return last_;
}

Millis RefreshSchedule::next_round_at() const {
  std::lock_guard lock(mutex_);
  return next_at_;
}

}  // namespace hark::app
