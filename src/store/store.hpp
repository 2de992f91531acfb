// The store: repositories per aggregate behind small interfaces. `sqlite/` is the default
// backend; a PostgreSQL backend (scale-out) will implement the same interfaces.
//
// Thread-safety: a Store and its repositories are safe to use from many threads at once.
// Writes are serialised on one writer connection; reads use a pool of reader connections.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace hark::store {

struct User {
  Id id = 0;
  std::string name;
  std::string password_hash;  // empty until accounts arrive
  bool is_admin = false;
  Millis created_at = 0;
};

class UserRepo {
 public:
  virtual ~UserRepo() = default;
  // The local user the CLI acts as (created on first use, admin).
  virtual Result<User> default_user() = 0;
  virtual Result<User> create(const std::string& name, bool is_admin) = 0;
  virtual Result<User> find_by_name(const std::string& name) = 0;
  virtual Result<std::vector<User>> list() = 0;
};

class PodcastRepo {
 public:
  virtual ~PodcastRepo() = default;
  // Inserts a podcast (feed_url must be unique); returns it with its id.
  virtual Result<Podcast> insert(const Podcast& podcast) = 0;
  // Updates metadata and fetch state of an existing podcast.
  virtual Status update(const Podcast& podcast) = 0;
  // Records the result of a fetch without touching metadata.
  virtual Status record_fetch(Id podcast_id, Millis at, const std::string& error,
                              const std::string& etag, const std::string& last_modified) = 0;
  virtual Result<Podcast> find(Id id) = 0;
  virtual Result<std::optional<Podcast>> find_by_feed_url(const std::string& feed_url) = 0;
  // All podcasts, or those the user subscribes to; episode_count filled in.
  virtual Result<std::vector<Podcast>> list(std::optional<Id> user_id = std::nullopt) = 0;
  virtual Status remove(Id id) = 0;  // cascades to episodes and subscriptions
};

struct UpsertCounts {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
};

class EpisodeRepo {
 public:
  virtual ~EpisodeRepo() = default;
  // Inserts or updates the podcast's episodes by (podcast_id, key) in one transaction.
  // Local state (download path/size) is never overwritten by feed data.
  virtual Result<UpsertCounts> upsert(Id podcast_id, const std::vector<Episode>& episodes) = 0;
  virtual Result<Episode> find(Id id) = 0;
  // Newest first (by published_at, then id).
  virtual Result<std::vector<Episode>> list(std::optional<Id> podcast_id = std::nullopt,
                                            int limit = -1) = 0;
  virtual Status set_download(Id episode_id, const std::string& path, std::int64_t size) = 0;
};

class SubscriptionRepo {
 public:
  virtual ~SubscriptionRepo() = default;
  virtual Status subscribe(Id user_id, Id podcast_id) = 0;  // idempotent
  virtual Status unsubscribe(Id user_id, Id podcast_id) = 0;
  virtual Result<bool> is_subscribed(Id user_id, Id podcast_id) = 0;
};

enum class JobState { Queued, Running, Done, Failed };
std::string_view to_string(JobState s);

struct Job {
  Id id = 0;
  std::string kind;     // "download", "transcript", ...
  std::string payload;  // JSON
  std::string dedupe_key;  // unique among jobs not yet done/failed; empty: no dedupe
  JobState state = JobState::Queued;
  int attempts = 0;
  int max_attempts = 5;
  Millis run_after = 0;
  std::string lease_owner;
  Millis lease_until = 0;
  std::string last_error;
  double progress = 0;
  std::string progress_message;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// The durable job queue. Workers lease a job, heartbeat to extend the lease, and finish
// or fail it. A job whose lease expired (its worker died) can be leased again.
class JobRepo {
 public:
  virtual ~JobRepo() = default;
  // Enqueues a job; when dedupe_key is set and a queued/running job has it, returns that one.
  virtual Result<Job> enqueue(const Job& job) = 0;
  // Leases the oldest runnable job of one of `kinds` (any kind if empty) until now+lease_ms.
  virtual Result<std::optional<Job>> lease(const std::string& owner,
                                           const std::vector<std::string>& kinds, Millis now,
                                           Millis lease_ms) = 0;
  virtual Status heartbeat(Id job_id, const std::string& owner, Millis lease_until,
                           double progress, const std::string& message) = 0;
  virtual Status complete(Id job_id, const std::string& owner) = 0;
  // Records the error; requeues with run_after = retry_at while attempts < max_attempts,
  // else marks the job failed.
  virtual Status fail(Id job_id, const std::string& owner, const std::string& error,
                      Millis retry_at) = 0;
  virtual Result<Job> find(Id id) = 0;
  virtual Result<std::vector<Job>> list(int limit = 100) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual UserRepo& users() = 0;
  virtual PodcastRepo& podcasts() = 0;
  virtual EpisodeRepo& episodes() = 0;
  virtual SubscriptionRepo& subscriptions() = 0;
  virtual JobRepo& jobs() = 0;
  // The schema version after migrations.
  virtual int schema_version() = 0;
  // "ok" when the database is intact (PRAGMA integrity_check).
  virtual Result<std::string> integrity_check() = 0;
};

}  // namespace hark::store
