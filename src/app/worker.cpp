#include "app/worker.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <exception>
#include <utility>

#include "core/time.hpp"

namespace hark::app {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Keeps one job's lease alive while its handler runs (a heartbeat every lease_ms/3 on its
// own thread, so a handler busy in one long call keeps the job) and carries the handler's
// progress reports to the row. Notices a lost lease, and then raises the job's cancel
// flag.
class LeaseKeeper {
 public:
  LeaseKeeper(store::JobRepo& jobs, const store::Job& job, std::string owner,
              const WorkerOptions& options, const Clock& clock, std::atomic<bool>& cancel)
      : jobs_(jobs),
        job_id_(job.id),
        owner_(std::move(owner)),
        options_(options),
        clock_(clock),
        cancel_(cancel),
        progress_(job.progress),
        message_(job.progress_message),
        thread_([this] { beat_until_done(); }) {}

  ~LeaseKeeper() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    done_changed_.notify_all();
    thread_.join();
  }
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  Status report(double progress, std::string message) {
    const auto now = SteadyClock::now();
    bool due = false;
    {
      std::lock_guard lock(mutex_);
      progress_ = std::clamp(progress, 0.0, 1.0);
      message_ = std::move(message);
      due = now - last_report_write_ >= std::chrono::milliseconds(options_.progress_interval_ms);
      if (due) last_report_write_ = now;
    }
    if (due) beat();
    if (lost_)
      return cancelled("job " + std::to_string(job_id_) + " was taken over by another worker");
    if (cancel_) return cancelled("the worker is stopping");
    return ok();
  }

  [[nodiscard]] bool lost() const { return lost_; }

 private:
  void beat_until_done() {
    const auto interval = std::chrono::milliseconds(std::max<Millis>(options_.lease_ms / 3, 1));
    std::unique_lock lock(mutex_);
    while (!done_changed_.wait_for(lock, interval, [&] { return done_; })) {
      lock.unlock();
      beat();
      lock.lock();
    }
  }

  // Writes the latest progress with a fresh lease. Serialised, and reading the snapshot
  // inside the write lock, so an older report can never overwrite a newer one.
  void beat() {
    std::lock_guard write(write_mutex_);
    if (lost_) return;
    double progress = 0;
    std::string message;
    {
      std::lock_guard lock(mutex_);
      progress = progress_;
      message = message_;
    }
    auto status = jobs_.heartbeat(job_id_, owner_, clock_() + options_.lease_ms, progress, message);
    // Conflict/NotFound: someone else owns the job now. Other errors (a busy database)
    // are transient; the lease has two more beats before it runs out.
    if (!status && (status.error().code == ErrorCode::Conflict ||
                    status.error().code == ErrorCode::NotFound)) {
      lost_ = true;
      cancel_ = true;
    }
  }

  store::JobRepo& jobs_;
  const Id job_id_;
  const std::string owner_;
  const WorkerOptions& options_;
  const Clock& clock_;
  std::atomic<bool>& cancel_;
  std::atomic<bool> lost_{false};

  std::mutex write_mutex_;  // one heartbeat write at a time
  std::mutex mutex_;
  std::condition_variable done_changed_;
  bool done_ = false;                            // guarded by mutex_
  double progress_;                              // guarded by mutex_
  std::string message_;                          // guarded by mutex_
  SteadyClock::time_point last_report_write_{};  // guarded by mutex_
  std::thread thread_;  // last: starts after everything it reads is initialised
};

std::string host_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "host";
  return host;
}

// The pid in a default lease owner "<host>:<pid>:<random>#<thread>" when <host> is this
// host; nullopt for owners from elsewhere or with custom names.
std::optional<pid_t> local_owner_pid(std::string_view owner, std::string_view host) {
  if (owner.size() <= host.size() + 1 || owner.substr(0, host.size()) != host ||
      owner[host.size()] != ':')
    return std::nullopt;
  const auto rest = owner.substr(host.size() + 1);
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  pid_t pid = 0;
  for (char c : rest.substr(0, colon)) {
    if (c < '0' || c > '9') return std::nullopt;
    pid = pid * 10 + (c - '0');
  }
  return pid;
}

bool process_is_gone(pid_t pid) {
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

// "<host>:<pid>:<random>": unique across processes and restarts (a restarted process may
// get the same pid, e.g. in a container), and readable in `hark jobs` output.
std::string default_name() {
  std::random_device random;
  constexpr std::uint64_t kTokenMask = 0xffffff;
  char token[16];
  std::snprintf(token, sizeof token, "%06llx",
                static_cast<unsigned long long>(random() & kTokenMask));
  return host_name() + ":" + std::to_string(::getpid()) + ":" + token;
}

WorkerOptions with_defaults(WorkerOptions options) {
  if (!options.clock) options.clock = now_ms;
  options.threads = std::max(options.threads, 1);
  options.lease_ms = std::max<Millis>(options.lease_ms, 3);
  return options;
}

}  // namespace

// One run_until_idle(): how many threads are mid-job, and what they did.
struct Worker::Pass {
  std::mutex mutex;
  std::condition_variable job_finished;
  int busy = 0;                // guarded by mutex
  RunSummary summary;          // guarded by mutex
  std::optional<Error> error;  // guarded by mutex
};

Worker::Worker(store::JobRepo& jobs, const JobRegistry& registry, WorkerOptions options)
    : jobs_(jobs),
      registry_(registry),
      options_(with_defaults(std::move(options))),
      kinds_(registry.kinds()),
      name_(options_.name.empty() ? default_name() : options_.name),
      random_(std::random_device{}()) {}

Worker::~Worker() {
  stop();
}

std::string Worker::owner(int thread) const {
  return name_ + "#" + std::to_string(thread);
}

double Worker::random_unit() {
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

Result<std::optional<store::Job>> Worker::lease_next(const std::string& owner) {
  // An empty registry must lease nothing; the store reads an empty kind list as "any".
  if (kinds_.empty()) return std::optional<store::Job>();
  return jobs_.lease(owner, kinds_, options_.clock(), options_.lease_ms);
}

Worker::Outcome Worker::execute(const store::Job& job, const std::string& owner) {
  std::atomic<bool> cancel{false};
  {
    std::lock_guard lock(mutex_);
    active_.push_back(&cancel);
    if (stopping_) cancel = true;
  }
  Result<std::vector<store::Job>> result = std::vector<store::Job>{};
  bool lost = false;
  {
    LeaseKeeper keeper(jobs_, job, owner, options_, options_.clock, cancel);
    JobContext context{job,
                       [&keeper](double progress, std::string message) {
                         return keeper.report(progress, std::move(message));
                       },
                       cancel};
    result = call_handler(*registry_.find(job.kind), context);
    lost = keeper.lost();
  }
  {
    std::lock_guard lock(mutex_);
    std::erase(active_, &cancel);
  }
  return lost ? Outcome::Lost : settle(job, owner, result);
}

Result<std::vector<store::Job>> Worker::call_handler(const JobHandler& handler,
                                                     JobContext& context) {
  // A throwing handler is a bug, but it must not take the worker (and every other job on
  // it) down: it fails like any internal error and is retried.
  try {
    return handler(context);
  } catch (const std::exception& e) {
    return internal_error("the " + context.job.kind + " handler threw: " + e.what());
  } catch (...) {
    return internal_error("the " + context.job.kind + " handler threw a non-exception");
  }
}

Worker::Outcome Worker::settle(const store::Job& job, const std::string& owner,
                               const Result<std::vector<store::Job>>& result) {
  if (!result) return settle_error(job, owner, result.error());
  auto completed = jobs_.complete_with(job.id, owner, *result);
  if (completed) return Outcome::Done;
  switch (completed.error().code) {
    case ErrorCode::Conflict:
    case ErrorCode::NotFound:
      return Outcome::Lost;
    case ErrorCode::InvalidInput:  // the handler returned a malformed follow-up: a bug
      return settle_error(job, owner, completed.error().with_context("enqueuing follow-ups"));
    default:  // the job stays leased; it runs again when the lease expires
      return Outcome::StoreError;
  }
}

Worker::Outcome Worker::settle_error(const store::Job& job, const std::string& owner,
                                     const Error& error) {
  Status status;
  Outcome outcome = Outcome::Retrying;
  if (error.code == ErrorCode::Cancelled && stopping_) {
    status = jobs_.release(job.id, owner, options_.clock());
    outcome = Outcome::Released;
  } else if (error.code == ErrorCode::InvalidInput) {
    status = jobs_.give_up(job.id, owner, error.message);
    outcome = Outcome::Failed;
  } else {
    const Millis delay = backoff_delay(options_.retry, job.attempts, random_unit());
    status = jobs_.fail(job.id, owner, error.message, options_.clock() + delay);
    if (job.attempts >= job.max_attempts) outcome = Outcome::Failed;
  }
  if (status) return outcome;
  const auto code = status.error().code;
  return code == ErrorCode::Conflict || code == ErrorCode::NotFound ? Outcome::Lost
                                                                    : Outcome::StoreError;
}

void Worker::count(Outcome outcome, RunSummary& summary) {
  switch (outcome) {
    case Outcome::Done:
      ++summary.done;
      break;
    case Outcome::Retrying:
      ++summary.retrying;
      break;
    case Outcome::Failed:
      ++summary.failed;
      break;
    case Outcome::Released:
      ++summary.released;
      break;
    case Outcome::Lost:
      ++summary.lost;
      break;
    case Outcome::StoreError:
      ++summary.store_errors;
      break;
  }
}

void Worker::drain(const std::string& owner, Pass& pass) {
  while (!stopping_) {
    auto leased = lease_next(owner);
    if (!leased) {
      std::lock_guard lock(pass.mutex);
      if (!pass.error) pass.error = leased.error();
      ++pass.summary.store_errors;
      break;
    }
    if (*leased) {
      {
        std::lock_guard lock(pass.mutex);
        ++pass.busy;
      }
      const Outcome outcome = execute(**leased, owner);
      {
        std::lock_guard lock(pass.mutex);
        --pass.busy;
        count(outcome, pass.summary);
      }
      pass.job_finished.notify_all();
      continue;
    }
    // Nothing runnable now. Idle only if no other thread is mid-job: a job that finishes
    // may enqueue follow-ups that are runnable at once.
    std::unique_lock lock(pass.mutex);
    if (pass.busy == 0) break;
    pass.job_finished.wait(lock);
  }
  pass.job_finished.notify_all();
}

Result<int> Worker::reclaim_orphans() {
  auto running = jobs_.list_running();
  if (!running) return running.error();
  const auto host = host_name();
  int reclaimed = 0;
  for (const auto& job : *running) {
    const auto pid = local_owner_pid(job.lease_owner, host);
    if (!pid || *pid == ::getpid() || !process_is_gone(*pid)) continue;
    // Conflict means another worker took it meanwhile: nothing to do.
    if (jobs_.expire_lease(job.id, job.lease_owner, options_.clock())) ++reclaimed;
  }
  return reclaimed;
}

Result<RunSummary> Worker::run_until_idle() {
  {
    std::lock_guard lock(mutex_);
    if (started_) return conflict("the worker is running in the background; stop it first");
  }
  stopping_ = false;
  if (auto reclaimed = reclaim_orphans(); !reclaimed) return reclaimed.error();
  Pass pass;
  std::vector<std::thread> threads;
  for (int i = 0; i < options_.threads; ++i) {
    threads.emplace_back([this, &pass, i] { drain(owner(i), pass); });
  }
  for (auto& thread : threads) thread.join();
  {
    std::lock_guard lock(mutex_);
    const auto& s = pass.summary;
    totals_.done += s.done;
    totals_.retrying += s.retrying;
    totals_.failed += s.failed;
    totals_.released += s.released;
    totals_.lost += s.lost;
    totals_.store_errors += s.store_errors;
  }
  if (pass.error) return pass.error->with_context("leasing a job");
  return pass.summary;
}

void Worker::serve(const std::string& owner) {
  while (!stopping_) {
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mutex_);
      generation = wake_generation_;
    }
    auto leased = lease_next(owner);
    if (leased && *leased) {
      const Outcome outcome = execute(**leased, owner);
      std::lock_guard lock(mutex_);
      count(outcome, totals_);
      continue;
    }
    std::unique_lock lock(mutex_);
    if (!leased) ++totals_.store_errors;  // a busy database: try again after a pause
    wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms),
                   [&] { return stopping_ || wake_generation_ != generation; });
  }
}

void Worker::start() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (started_) return;
    started_ = true;
  }
  stopping_ = false;
  (void)reclaim_orphans();  // best effort: expiry reclaims them later anyway
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this, i] { serve(owner(i)); });
  }
}

void Worker::stop() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto* cancel : active_) *cancel = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  std::lock_guard lock(mutex_);
  started_ = false;
}

void Worker::notify() {
  {
    std::lock_guard lock(mutex_);
    ++wake_generation_;
  }
  wake_.notify_all();
}

RunSummary Worker::totals() const {
  std::lock_guard lock(mutex_);
  return totals_;
}

}  // namespace hark::app
