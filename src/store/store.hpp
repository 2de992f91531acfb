// The store: repositories per aggregate behind small interfaces. `sqlite/` is the default
// backend; a PostgreSQL backend (scale-out) will implement the same interfaces.
//
// Thread-safety: a Store and its repositories are safe to use from many threads at once.
// Writes are serialised on one writer connection; reads use a pool of reader connections.
// Every write method is atomic: it either fully happens or leaves the store as it was.
//
// Failure: every method returns an Error instead of throwing. NotFound names the missing
// thing ("no podcast with id 7"); Conflict means the request clashes with stored state (a
// duplicate name or feed URL, a job leased by someone else); InvalidInput means the value
// cannot be stored (empty key, malformed JSON payload); Unavailable means the database
// stayed locked by another process beyond the busy timeout; Internal carries the database
// engine's message.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "core/search.hpp"
#include "core/transcript.hpp"

namespace hark::store {

struct User {
  Id id = 0;
  std::string name;
  std::string password_hash;  // Argon2id (libsodium's encoded string); empty: cannot log in
  bool is_admin = false;
  Millis created_at = 0;
};

class UserRepo {
 public:
  virtual ~UserRepo() = default;
  // The local user the CLI acts as: "local", admin, created on first call.
  virtual Result<User> default_user() = 0;
  // Names are unique regardless of case; a taken name is a Conflict, an empty one
  // InvalidInput.
  virtual Result<User> create(const std::string& name, bool is_admin) = 0;
  virtual Result<User> find_by_name(const std::string& name) = 0;  // case-insensitive
  virtual Result<User> find(Id id) = 0;
  virtual Result<std::vector<User>> list() = 0;  // oldest first
  // Stores an already hashed password (never a plain one). NotFound for an unknown user.
  virtual Status set_password(Id user_id, const std::string& password_hash) = 0;
};

class PodcastRepo {
 public:
  virtual ~PodcastRepo() = default;
  // Inserts a podcast (feed_url must be unique: Conflict otherwise); returns it with its id.
  // `id` and `episode_count` of the argument are ignored.
  virtual Result<Podcast> insert(const Podcast& podcast) = 0;
  // Updates metadata, feed_url and fetch state of the podcast with `podcast.id`.
  virtual Status update(const Podcast& podcast) = 0;
  // Records the result of a fetch without touching metadata. Always sets last_fetched_at.
  // Success (empty `error`): sets last_success_at, clears last_error and stores the
  // validators; an empty etag/last_modified keeps the stored one (a 304 often omits them).
  // Failure: sets last_error and leaves last_success_at and the validators alone.
  virtual Status record_fetch(Id podcast_id, Millis at, const std::string& error,
                              const std::string& etag, const std::string& last_modified) = 0;
  virtual Result<Podcast> find(Id id) = 0;
  virtual Result<std::optional<Podcast>> find_by_feed_url(const std::string& feed_url) = 0;
  // All podcasts, or those the user subscribes to; episode_count filled in. Ordered by
  // title (case-insensitive), then id.
  virtual Result<std::vector<Podcast>> list(std::optional<Id> user_id = std::nullopt) = 0;
  virtual Status remove(Id id) = 0;  // cascades to episodes and subscriptions
};

struct UpsertCounts {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  std::vector<Id> added_ids;  // ids of the added episodes, in input order
};

// Where a keyset page of episodes starts: right after this episode in the newest-first
// order (published_at descending, undated last, then id descending). Unlike an offset it
// stays put when episodes are added, and finding the page costs the same at any depth.
struct EpisodeCursor {
  std::optional<Millis> published_at{};  // the episode's; nullopt when it is undated
  Id id = 0;
};
EpisodeCursor cursor_of(const Episode& episode);

struct EpisodeUserState;  // below, after Position

class EpisodeRepo {
 public:
  virtual ~EpisodeRepo() = default;
  // Inserts or updates the podcast's episodes by (podcast_id, key) in one transaction: a
  // new key is added, a known key whose feed fields differ is updated, the rest count as
  // unchanged. `id` and `podcast_id` of the inputs are ignored. Local state (download
  // path/size) is never overwritten by feed data. NotFound when the podcast does not
  // exist; InvalidInput (and nothing stored) when an episode has an empty key.
  virtual Result<UpsertCounts> upsert(Id podcast_id, const std::vector<Episode>& episodes) = 0;
  virtual Result<Episode> find(Id id) = 0;
  // Newest first (by published_at, undated last, then id); limit < 0 means all.
  virtual Result<std::vector<Episode>> list(std::optional<Id> podcast_id = std::nullopt,
                                            int limit = -1) = 0;
  // One page of a podcast's episodes in the same order as list(): `limit` of them (< 0:
  // all) after skipping `offset`.
  virtual Result<std::vector<Episode>> page(Id podcast_id, int limit, int offset) = 0;
  // The newest episodes of the podcasts `user_id` subscribes to, same order, paged.
  virtual Result<std::vector<Episode>> page_for_user(Id user_id, int limit, int offset) = 0;
  // Keyset pages in the same order: the `limit` episodes that come after `after`.
  virtual Result<std::vector<Episode>> page_after(Id podcast_id, int limit,
                                                  const EpisodeCursor& after) = 0;
  virtual Result<std::vector<Episode>> page_for_user_after(Id user_id, int limit,
                                                           const EpisodeCursor& after) = 0;
  // What a listing shows about each episode for `user_id` (position, transcript, chapters),
  // for a whole page in one query: one entry per id, in the order given; unknown ids get
  // an empty state.
  virtual Result<std::vector<EpisodeUserState>> user_states(Id user_id,
                                                            const std::vector<Id>& episode_ids) = 0;
  virtual Status set_download(Id episode_id, const std::string& path, std::int64_t size) = 0;
};

class SubscriptionRepo {
 public:
  virtual ~SubscriptionRepo() = default;
  // Idempotent. NotFound when the user or the podcast does not exist.
  virtual Status subscribe(Id user_id, Id podcast_id) = 0;
  virtual Status unsubscribe(Id user_id, Id podcast_id) = 0;  // idempotent
  virtual Result<bool> is_subscribed(Id user_id, Id podcast_id) = 0;
  // Whether the user subscribes to the podcast the episode belongs to: what makes an
  // episode visible to a user. false (not an error) for an unknown episode.
  virtual Result<bool> can_see_episode(Id user_id, Id episode_id) = 0;
};

// A logged-in browser. The cookie carries a random token; only its hash is stored.
struct Session {
  Id id = 0;
  Id user_id = 0;
  std::string token_hash{};
  std::string csrf_token{};  // sent back by the page in X-CSRF-Token on state changes
  Millis created_at = 0;
  Millis expires_at = 0;
  Millis last_seen_at = 0;
};

class SessionRepo {
 public:
  virtual ~SessionRepo() = default;
  // Stores a session (id ignored); Conflict for a token hash already in use, NotFound for
  // an unknown user.
  virtual Result<Session> create(const Session& session) = 0;
  // The session with this token hash, expired or not (the caller decides).
  virtual Result<std::optional<Session>> find_by_token_hash(const std::string& token_hash) = 0;
  // Records activity and slides the expiry. Idempotent; an unknown id is not an error.
  virtual Status touch(Id session_id, Millis last_seen_at, Millis expires_at) = 0;
  virtual Status remove(Id session_id) = 0;            // idempotent (logout)
  virtual Status remove_for_user(Id user_id) = 0;      // every session (a password change)
  virtual Result<int> remove_expired(Millis now) = 0;  // how many were removed
};

// A personal API token (`Authorization: Bearer ...`) for scripts and other clients.
struct ApiToken {
  Id id = 0;
  Id user_id = 0;
  std::string name{};  // a label the user chose ("phone", "backup script")
  std::string token_hash{};
  Millis created_at = 0;
  std::optional<Millis> last_used_at{};
};

class ApiTokenRepo {
 public:
  virtual ~ApiTokenRepo() = default;
  // Stores a token (id, created_at and last_used_at ignored). Conflict for a hash in use,
  // NotFound for an unknown user.
  virtual Result<ApiToken> create(const ApiToken& token) = 0;
  virtual Result<std::optional<ApiToken>> find_by_hash(const std::string& token_hash) = 0;
  virtual Status touch(Id token_id, Millis at) = 0;            // sets last_used_at
  virtual Result<std::vector<ApiToken>> list(Id user_id) = 0;  // oldest first
  // Revokes one of the user's tokens; NotFound when the user has no token with this id.
  virtual Status remove(Id user_id, Id token_id) = 0;
};

// Where a user stopped in an episode.
struct Position {
  Id user_id = 0;
  Id episode_id = 0;
  Millis position_ms = 0;
  std::optional<Millis> duration_ms{};  // as the player measured it
  bool played = false;
  Millis updated_at = 0;
};

struct EpisodeUserState {
  Id episode_id = 0;
  std::optional<Position> position{};  // none until the user plays it
  bool transcript_ready = false;
  int chapter_count = 0;
};

class PositionRepo {
 public:
  virtual ~PositionRepo() = default;
  // Inserts or replaces the (user, episode) position; updated_at is set to now. NotFound
  // for an unknown user or episode; InvalidInput for a negative position or duration.
  virtual Result<Position> save(const Position& position) = 0;
  virtual Result<std::optional<Position>> find(Id user_id, Id episode_id) = 0;
  // The user's positions in the podcast's episodes (any order).
  virtual Result<std::vector<Position>> list_for_podcast(Id user_id, Id podcast_id) = 0;
  // The user's unfinished episodes (position > 0, not played), most recently played first.
  virtual Result<std::vector<Position>> in_progress(Id user_id, int limit) = 0;
};

// Failed (and successful) logins, for rate limiting.
class LoginAttemptRepo {
 public:
  virtual ~LoginAttemptRepo() = default;
  virtual Status record(const std::string& name, const std::string& ip, Millis at,
                        bool succeeded) = 0;
  struct Window {
    int failures = 0;
    Millis oldest = 0;  // the earliest failure counted (0 when none)
  };
  // Failed attempts at or after `since` for the name (case-insensitive) / from the ip.
  virtual Result<Window> failures_for_name(const std::string& name, Millis since) = 0;
  virtual Result<Window> failures_for_ip(const std::string& ip, Millis since) = 0;
  virtual Status prune(Millis before) = 0;  // forget attempts older than `before`
};

enum class JobState { Queued, Running, Done, Failed };
std::string_view to_string(JobState s);  // "queued", "running", "done", "failed"
std::optional<JobState> parse_job_state(std::string_view text);

struct Job {
  Id id = 0;
  std::string kind;        // "download", "transcript", ...
  std::string payload;     // JSON
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
  Millis finished_at = 0;  // when it became done or failed; 0 before
};

// The durable job queue. Workers lease a job, heartbeat to extend the lease, and finish
// or fail it. A job whose lease expired (its worker died) can be leased again, by any
// owner; from then on the old owner's heartbeat/complete/fail are refused (Conflict), so
// a worker that sees Conflict must stop and drop its result. Each lease counts as an
// attempt, so a job that keeps killing its worker ends up failed instead of looping.
class JobRepo {
 public:
  virtual ~JobRepo() = default;
  // Enqueues a job (only kind, payload, dedupe_key, max_attempts and run_after are read;
  // an empty payload is stored as "{}"). When dedupe_key is set and a queued/running job
  // has it, returns that job instead. InvalidInput for an empty kind, a payload that is
  // not JSON, or max_attempts < 1.
  virtual Result<Job> enqueue(const Job& job) = 0;
  // Atomically leases the runnable job of one of `kinds` (any kind if empty) with the
  // smallest (run_after, id): a queued job with run_after <= now, or a running job whose
  // lease_until <= now. Sets owner, lease_until = now + lease_ms and attempts + 1.
  // A running job found expired on its last attempt is marked failed instead.
  // nullopt when nothing is runnable.
  virtual Result<std::optional<Job>> lease(const std::string& owner,
                                           const std::vector<std::string>& kinds, Millis now,
                                           Millis lease_ms) = 0;
  // Extends the lease and records progress; only the current owner of a running job may
  // (even after its lease expired, as long as nobody has re-leased the job).
  virtual Status heartbeat(Id job_id, const std::string& owner, Millis lease_until, double progress,
                           const std::string& message) = 0;
  // Marks the job done (progress 1). Only the current owner of a running job may.
  virtual Status complete(Id job_id, const std::string& owner) = 0;
  // complete() plus enqueue() of each of `next` (same validation and dedupe), in one
  // transaction: a crash can never leave a done job whose follow-ups were not enqueued.
  // Returns the enqueued (or deduplicated-to) jobs in input order. Nothing changes when
  // any follow-up is invalid (InvalidInput) or the owner no longer holds the job.
  virtual Result<std::vector<Job>> complete_with(Id job_id, const std::string& owner,
                                                 const std::vector<Job>& next) = 0;
  // Records the error; requeues with run_after = retry_at while attempts < max_attempts,
  // else marks the job failed, keeping the error. Only the current owner may.
  virtual Status fail(Id job_id, const std::string& owner, const std::string& error,
                      Millis retry_at) = 0;
  // Marks the job failed at once, keeping the error, whatever attempts are left: for
  // errors that retrying cannot fix (a corrupt file). Only the current owner may.
  virtual Status give_up(Id job_id, const std::string& owner, const std::string& error) = 0;
  // Hands a running job back untouched by failure: queued, runnable from `now`, no owner,
  // and the attempt it was leased for is not counted (a graceful shutdown is not a
  // failure, and must not push a job towards max_attempts). Only the current owner may.
  virtual Status release(Id job_id, const std::string& owner, Millis now) = 0;
  virtual Result<Job> find(Id id) = 0;
  // Newest first; limit < 0 means all.
  virtual Result<std::vector<Job>> list(int limit = 100) = 0;
  // The jobs `user_id` may see, newest first, at most `limit` (< 0: all). A job whose
  // payload has a "user_id" (an export, a snip's rewrite) was done for that user alone:
  // only that user sees it, administrators included, and a user_id that is not a JSON
  // integer hides the job from everyone. Any other job is shared (one transcript serves
  // every subscriber): an administrator sees it, another user only when its payload's
  // integer "episode_id" names an episode of a podcast they subscribe to.
  virtual Result<std::vector<Job>> list_visible_to(Id user_id, bool is_admin, int limit) = 0;
  // Jobs in state running, oldest first (to spot jobs whose worker has died).
  virtual Result<std::vector<Job>> list_running() = 0;
  // Ends `owner`'s lease on a running job now, as if it had expired: the next lease() takes
  // the job and counts the attempt, as for any worker that died. For owners known to be
  // dead. Conflict when `owner` no longer holds the job.
  virtual Status expire_lease(Id job_id, const std::string& owner, Millis now) = 0;
};

// Where a stored transcript came from, beyond Transcript::source: the speech-to-text
// engine and model that produced it ("" for publisher transcripts).
struct TranscriptOrigin {
  std::string engine;  // "whisper.cpp", "openai", ...
  std::string model;   // "large-v3", ...
  bool operator==(const TranscriptOrigin&) const = default;
};

// What is known about a stored transcript without loading its segments.
struct TranscriptInfo {
  std::string source;
  std::string language;
  bool timed = true;
  TranscriptOrigin origin;
  int segment_count = 0;
  Millis created_at = 0;  // when the current version was stored
};

// One current transcript per episode (segments, their words, speakers). Deleting an
// episode deletes its transcript.
class TranscriptRepo {
 public:
  virtual ~TranscriptRepo() = default;
  // Replaces the episode's transcript (or stores its first) in one transaction: the old
  // segments are gone and the new ones in place, or nothing changed. Storing the same
  // transcript again therefore never duplicates anything, which makes the pipeline step
  // that calls it safe to re-run. NotFound when the episode does not exist.
  virtual Status replace(Id episode_id, const Transcript& transcript,
                         const TranscriptOrigin& origin) = 0;
  Status replace(Id episode_id, const Transcript& transcript) {
    return replace(episode_id, transcript, TranscriptOrigin{});
  }
  // The whole transcript, segments in stored order; nullopt when the episode has none.
  virtual Result<std::optional<Transcript>> find(Id episode_id) = 0;
  virtual Result<std::optional<TranscriptInfo>> info(Id episode_id) = 0;
  virtual Result<bool> exists(Id episode_id) = 0;
  virtual Status remove(Id episode_id) = 0;  // idempotent
};

// An episode's chapters (one list per episode, whatever their source).
class ChapterRepo {
 public:
  virtual ~ChapterRepo() = default;
  // Replaces the episode's chapters in one transaction (an empty list removes them), so
  // re-running the step that computed them never duplicates rows. NotFound when the
  // episode does not exist.
  virtual Status replace(Id episode_id, const std::vector<Chapter>& chapters) = 0;
  // In stored order; empty when there are none.
  virtual Result<std::vector<Chapter>> list(Id episode_id) = 0;
};

// A moment a user saved ("snip"): its span, the text the insight engine wrote for it and
// the user's own note. Only its owner sees it.
struct Snip {
  Id id = 0;
  Id user_id = 0;
  Id episode_id = 0;
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::optional<Millis> tap_ms{};  // where the user tapped; none for a selected range
  std::string title{};
  std::string summary{};
  std::vector<std::string> takeaways{};
  std::string quote{};
  std::string quote_speaker{};
  std::vector<std::string> speakers{};
  std::string engine{};  // "extractive" or "llm:<model>": who wrote the title
  // Why the language model's text (or a field of it) was not used; "" when it was or when
  // none is configured.
  std::string fallback_reason{};
  std::string note{};
  std::optional<std::string> share_id{};  // unguessable; set when the user shares it
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct SnipMoment {
  Id user_id = 0;
  Millis at_ms = 0;
};

class SnipRepo {
 public:
  virtual ~SnipRepo() = default;
  // Stores a snip (id, created_at and updated_at are set here). NotFound for an unknown
  // user or episode; InvalidInput for a negative start or an end before the start.
  virtual Result<Snip> insert(const Snip& snip) = 0;
  // NotFound when the user has no snip with this id (another user's snip included).
  virtual Result<Snip> find(Id user_id, Id snip_id) = 0;
  // The user's snips (of one episode, when given), newest first.
  virtual Result<std::vector<Snip>> list(Id user_id,
                                         std::optional<Id> episode_id = std::nullopt) = 0;
  virtual Status update_note(Id user_id, Id snip_id, const std::string& note) = 0;  // NotFound
  virtual Status remove(Id user_id, Id snip_id) = 0;                                // NotFound
  // Whether a snip with this id exists (any user's): for caches keyed by snip id.
  virtual Result<bool> exists(Id snip_id) = 0;
  // Changes the title and/or the note (whichever is given) and bumps updated_at; returns
  // the snip as stored. NotFound (another user's snip included).
  virtual Result<Snip> update_text(Id user_id, Id snip_id, const std::optional<std::string>& title,
                                   const std::optional<std::string>& note) = 0;
  // Gives the snip `share_id` unless it already has one (then that one is kept); returns
  // the snip as stored. NotFound (another user's snip included).
  virtual Result<Snip> set_share_id(Id user_id, Id snip_id, const std::string& share_id) = 0;
  // Withdraws the share link (the share page answers 404 from now on); sharing again makes
  // a new link. Returns the snip as stored. NotFound (another user's snip included).
  virtual Result<Snip> clear_share_id(Id user_id, Id snip_id) = 0;
  // The snip shared under this id (whoever owns it), or nullopt.
  virtual Result<std::optional<Snip>> find_shared(const std::string& share_id) = 0;
  // The user's snips with updated_at >= since, oldest change first (for change feeds).
  virtual Result<std::vector<Snip>> changed_since(Id user_id, Millis since) = 0;
  // Replaces the text the engine wrote (summary, takeaways, quote, quote_speaker, engine,
  // fallback_reason, and the title while it is still `expected_title`: a title the listener
  // changed stays) of the snip (snip.user_id, snip.id) with `snip`'s and bumps updated_at;
  // the span, note and share id stay. Returns the snip as stored. NotFound.
  virtual Result<Snip> update_engine_text(const Snip& snip, const std::string& expected_title) = 0;
  // Every listener's snips of the episode as moments (user, tap time or, for a snip made from
  // a range, its end), ordered by user and time. Times only: no text leaves its owner.
  virtual Result<std::vector<SnipMoment>> moments(Id episode_id) = 0;
};

// One of an episode's best moments, as the insights step found it.
struct StoredHighlight {
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string title{};
  std::string summary{};
  double score = 0;
  std::string engine{};
};

class HighlightRepo {
 public:
  virtual ~HighlightRepo() = default;
  // Replaces the episode's highlights in one transaction. NotFound for an unknown episode.
  virtual Status replace(Id episode_id, const std::vector<StoredHighlight>& highlights) = 0;
  virtual Result<std::vector<StoredHighlight>> list(Id episode_id) = 0;  // by time
};

struct StoredSummary {
  Id episode_id = 0;
  std::string abstract{};
  std::vector<std::string> takeaways{};
  std::string engine{};
  Millis created_at = 0;  // set by put()
};

class SummaryRepo {
 public:
  virtual ~SummaryRepo() = default;
  // Inserts or replaces the episode's summary. NotFound for an unknown episode.
  virtual Status put(const StoredSummary& summary) = 0;
  virtual Result<std::optional<StoredSummary>> find(Id episode_id) = 0;
};

// A passage as stored for search: ids only grow (a re-indexed episode's changed passages get
// new ids), so an id names one text forever and a vector index can key on it.
struct StoredPassage {
  Id id = 0;
  Id episode_id = 0;
  int seq = 0;
  Passage passage;
};

// An embedding of a passage's text by `model`.
struct StoredVector {
  Id passage_id = 0;
  std::vector<float> vector;
};

// The search index: transcript passages, episode documents (title and show notes as plain
// text) and the user's snips, in a full-text index, plus passage embeddings. Rows go with
// their episode (or snip) when it is deleted.
class SearchRepo {
 public:
  virtual ~SearchRepo() = default;
  // Replaces the episode's passages and its document (title, plain-text show notes) in one
  // transaction. When the passages equal the stored ones they are kept as they are (ids and
  // vectors too), so re-indexing an unchanged episode costs no embedding. Returns the stored
  // passages in order. NotFound for an unknown episode.
  virtual Result<std::vector<StoredPassage>> replace_episode(Id episode_id,
                                                             const std::vector<Passage>& passages,
                                                             const std::string& title,
                                                             const std::string& notes) = 0;
  virtual Result<std::vector<StoredPassage>> passages(Id episode_id) = 0;  // in order
  // Full-text search over passages, snips and episode documents, best first (BM25 with field
  // weights), at most `limit` hits. Snippets mark the matched words. The speaker filter
  // keeps passages only. A phrase weighs the sum of its words' weights, and a common word's
  // weight is estimated from the newest passages (see search_repo.cpp).
  // `rank_window` > 0 bounds the work for a query that matches more passages in scope than
  // that (a common word matches every tenth passage; BM25 scores each match): only the
  // rank_window most recently indexed matching passages in scope are ranked. 0: every match
  // is ranked.
  virtual Result<std::vector<SearchHit>> lexical(const TextQuery& query, const SearchScope& scope,
                                                 int limit, int rank_window) = 0;
  // The passages with these ids that exist and are in scope, as hits in the given order
  // (score 0, snippet the start of the text). For results of a vector index, which may
  // still hold passages deleted since.
  virtual Result<std::vector<SearchHit>> passage_hits(const std::vector<Id>& ids,
                                                      const SearchScope& scope) = 0;
  // Stores (or replaces) vectors; all have `dims` floats. Unknown passages are skipped.
  virtual Status put_vectors(const std::string& model, int dims,
                             const std::vector<StoredVector>& vectors) = 0;
  // Vectors of `model` for passages with id > after, ascending, at most `limit`.
  virtual Result<std::vector<StoredVector>> vectors(const std::string& model, Id after,
                                                    int limit) = 0;
  virtual Result<std::optional<StoredVector>> vector(const std::string& model, Id passage_id) = 0;
  // Passages (of one episode, when given) that have no vector of `model` yet, ascending id,
  // at most `limit`.
  virtual Result<std::vector<StoredPassage>> passages_without_vector(const std::string& model,
                                                                     std::optional<Id> episode_id,
                                                                     int limit) = 0;
  // The ids of the passages that have a vector of `model`, ascending.
  virtual Result<std::vector<Id>> vector_ids(const std::string& model) = 0;
};

// What was sent where: one record per (snip, export target), so exporting again sends only
// what is new or changed, and a change is sent as an update of the same remote item.
struct ExportRecord {
  Id snip_id = 0;
  std::string target{};        // "readwise", "notion:<database id>", ...
  std::string remote_id{};     // the service's id for the item ("" when it has none)
  std::string content_hash{};  // of what was sent (a change means: send an update)
  Millis exported_at = 0;      // set by put()
};

class ExportStateRepo {
 public:
  virtual ~ExportStateRepo() = default;
  virtual Result<std::optional<ExportRecord>> find(const std::string& target, Id snip_id) = 0;
  // The user's records for a target (any order).
  virtual Result<std::vector<ExportRecord>> list(const std::string& target, Id user_id) = 0;
  // Inserts or replaces the record. NotFound for an unknown snip.
  virtual Status put(const ExportRecord& record) = 0;
  virtual Status remove(const std::string& target, Id snip_id) = 0;  // idempotent
};

// A user's library as a backup holds it (hark export json / import json).
struct LibraryArchive {
  std::vector<Podcast> podcasts{};  // with their ids
  std::vector<Episode> episodes{};  // with their ids; download state is not restored
  std::vector<Id> subscribed{};     // podcast ids
  std::vector<Position> positions{};
  std::vector<Snip> snips{};  // ids, times, share ids and notes as they were
  std::vector<StoredSummary> summaries{};
};

// What a merge (ArchiveRepo::merge) added, and what it found already there.
struct MergeReport {
  int podcasts_added = 0;
  int podcasts_existing = 0;
  int episodes_added = 0;
  int episodes_existing = 0;
  int subscriptions_added = 0;
  int positions_added = 0;
  int positions_updated = 0;  // the backup's was newer
  int positions_kept = 0;     // the library's was as new or newer
  int snips_added = 0;
  int snips_existing = 0;
  int share_links_dropped = 0;  // a share id another snip already uses
};

class ArchiveRepo {
 public:
  virtual ~ArchiveRepo() = default;
  // Restores `archive` for the user in one transaction, ids and times as they were.
  // Conflict (and nothing stored) when the library already has podcasts or snips: a
  // backup goes into an empty data directory, so nothing in either is lost.
  virtual Status restore(Id user_id, const LibraryArchive& archive) = 0;
  // Merges `archive` into a library that may already hold some of it, in one transaction:
  // podcasts are matched by feed URL, episodes by key within their podcast, snips by id
  // (same episode and creation time) or by episode, range and creation time; a position is
  // replaced only by a newer one. New rows keep their ids when those are free. Nothing
  // already stored is changed except older positions.
  virtual Result<MergeReport> merge(Id user_id, const LibraryArchive& archive) = 0;
};

// The token in a user's snips RSS feed URL: a read-only capability (a feed reader cannot
// log in), kept as is so the URL can be shown again, replaced to revoke the old URL.
class FeedTokenRepo {
 public:
  virtual ~FeedTokenRepo() = default;
  virtual Result<std::optional<std::string>> find(Id user_id) = 0;
  // Sets the user's token, replacing the old one. InvalidInput for a short token.
  virtual Status put(Id user_id, const std::string& token) = 0;
  virtual Result<std::optional<Id>> user_for(const std::string& token) = 0;
};

// The outcome of one run of sending snips to a service, recorded by record_run().
struct ExportRun {
  Millis at = 0;        // when it ended (0: never)
  int sent = 0;         // new items
  int updated = 0;      // changed items sent as updates
  int unchanged = 0;    // items already up to date
  int failed = 0;       // items not sent because the run stopped
  std::string error{};  // why it stopped ("": it finished)
};

// A user's settings for sending snips to a service from the web player (Readwise, Notion),
// and how the last send went. Secrets are stored as given (like hark.toml); the API never
// shows them back.
struct ExportSettings {
  Id user_id = 0;
  std::string service{};          // "readwise" or "notion"
  std::string token{};            // the service's access token / integration secret
  std::string database_id{};      // Notion: the database pages go to
  bool page_per_episode = false;  // Notion: a page per episode instead of per snip
  Id job_id = 0;                  // the latest export job asked for (0: none yet)
  ExportRun last_run{};           // how the latest run went (at 0: none yet)
  Millis updated_at = 0;          // set by save()
};

class ExportSettingsRepo {
 public:
  virtual ~ExportSettingsRepo() = default;
  virtual Result<std::optional<ExportSettings>> find(Id user_id, const std::string& service) = 0;
  // Inserts or replaces the user's token, database and page mode for the service, keeping
  // what is recorded about runs. NotFound for an unknown user; InvalidInput for an unknown
  // service.
  virtual Status save(const ExportSettings& settings) = 0;
  // Forgets the service's settings and run record (idempotent).
  virtual Status remove(Id user_id, const std::string& service) = 0;
  // Records the job that now runs (or waits to run) an export. NotFound without settings.
  virtual Status set_job(Id user_id, const std::string& service, Id job_id) = 0;
  // Records how a run ended. NotFound without settings (they were removed meanwhile).
  virtual Status record_run(Id user_id, const std::string& service, const ExportRun& run) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual UserRepo& users() = 0;
  virtual PodcastRepo& podcasts() = 0;
  virtual EpisodeRepo& episodes() = 0;
  virtual SubscriptionRepo& subscriptions() = 0;
  virtual JobRepo& jobs() = 0;
  virtual TranscriptRepo& transcripts() = 0;
  virtual ChapterRepo& chapters() = 0;
  virtual SessionRepo& sessions() = 0;
  virtual ApiTokenRepo& api_tokens() = 0;
  virtual PositionRepo& positions() = 0;
  virtual LoginAttemptRepo& login_attempts() = 0;
  virtual SnipRepo& snips() = 0;
  virtual HighlightRepo& highlights() = 0;
  virtual SummaryRepo& summaries() = 0;
  virtual SearchRepo& search() = 0;
  virtual ExportStateRepo& export_state() = 0;
  virtual ArchiveRepo& archive() = 0;
  virtual FeedTokenRepo& feed_tokens() = 0;
  virtual ExportSettingsRepo& export_settings() = 0;
  // The schema version after migrations (for SQLite, PRAGMA user_version).
  virtual int schema_version() = 0;
  // "ok" when the database is intact (PRAGMA integrity_check).
  virtual Result<std::string> integrity_check() = 0;
};

}  // namespace hark::store
