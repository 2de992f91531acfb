// Internal to the SQLite backend: the repository implementations. Each holds a reference
// to the Database it was made with and inherits its thread-safety (safe from any thread).
// Reads go through Database::read, writes through Database::write.
#pragma once

#include "store/sqlite/database.hpp"
#include "store/store.hpp"

namespace hark::store::sqlite {

class SqliteUserRepo final : public UserRepo {
 public:
  explicit SqliteUserRepo(Database& db) : db_(db) {}
  Result<User> default_user() override;
  Result<User> create(const std::string& name, bool is_admin) override;
  Result<User> find_by_name(const std::string& name) override;
  Result<User> find(Id id) override;
  Result<std::vector<User>> list() override;
  Status set_password(Id user_id, const std::string& password_hash) override;

 private:
  Database& db_;
};

class SqlitePodcastRepo final : public PodcastRepo {
 public:
  explicit SqlitePodcastRepo(Database& db) : db_(db) {}
  Result<Podcast> insert(const Podcast& podcast) override;
  Status update(const Podcast& podcast) override;
  Status record_fetch(Id podcast_id, Millis at, const std::string& error, const std::string& etag,
                      const std::string& last_modified) override;
  Result<Podcast> find(Id id) override;
  Result<std::optional<Podcast>> find_by_feed_url(const std::string& feed_url) override;
  Result<std::vector<Podcast>> list(std::optional<Id> user_id) override;
  Status remove(Id id) override;

 private:
  Database& db_;
};

class SqliteEpisodeRepo final : public EpisodeRepo {
 public:
  explicit SqliteEpisodeRepo(Database& db) : db_(db) {}
  Result<UpsertCounts> upsert(Id podcast_id, const std::vector<Episode>& episodes) override;
  Result<Episode> find(Id id) override;
  Result<std::vector<Episode>> list(std::optional<Id> podcast_id, int limit) override;
  Result<std::vector<Episode>> page(Id podcast_id, int limit, int offset) override;
  Result<std::vector<Episode>> page_for_user(Id user_id, int limit, int offset) override;
  Result<std::vector<Episode>> page_after(Id podcast_id, int limit,
                                          const EpisodeCursor& after) override;
  Result<std::vector<Episode>> page_for_user_after(Id user_id, int limit,
                                                   const EpisodeCursor& after) override;
  Result<std::vector<EpisodeUserState>> user_states(Id user_id,
                                                    const std::vector<Id>& episode_ids) override;
  Status set_download(Id episode_id, const std::string& path, std::int64_t size) override;

 private:
  Database& db_;
};

class SqliteSubscriptionRepo final : public SubscriptionRepo {
 public:
  explicit SqliteSubscriptionRepo(Database& db) : db_(db) {}
  Status subscribe(Id user_id, Id podcast_id) override;
  Status unsubscribe(Id user_id, Id podcast_id) override;
  Result<bool> is_subscribed(Id user_id, Id podcast_id) override;
  Result<bool> can_see_episode(Id user_id, Id episode_id) override;

 private:
  Database& db_;
};

class SqliteJobRepo final : public JobRepo {
 public:
  explicit SqliteJobRepo(Database& db) : db_(db) {}
  Result<Job> enqueue(const Job& job) override;
  Result<std::optional<Job>> lease(const std::string& owner, const std::vector<std::string>& kinds,
                                   Millis now, Millis lease_ms) override;
  Status heartbeat(Id job_id, const std::string& owner, Millis lease_until, double progress,
                   const std::string& message) override;
  Status complete(Id job_id, const std::string& owner) override;
  Result<std::vector<Job>> complete_with(Id job_id, const std::string& owner,
                                         const std::vector<Job>& next) override;
  Status fail(Id job_id, const std::string& owner, const std::string& error,
              Millis retry_at) override;
  Status give_up(Id job_id, const std::string& owner, const std::string& error) override;
  Status release(Id job_id, const std::string& owner, Millis now) override;
  Result<Job> find(Id id) override;
  Result<std::vector<Job>> list(int limit) override;
  Result<std::vector<Job>> list_visible_to(Id user_id, bool is_admin, int limit) override;
  Result<std::vector<Job>> list_running() override;
  Status expire_lease(Id job_id, const std::string& owner, Millis now) override;

 private:
  Database& db_;
};

class SqliteTranscriptRepo final : public TranscriptRepo {
 public:
  explicit SqliteTranscriptRepo(Database& db) : db_(db) {}
  using TranscriptRepo::replace;
  Status replace(Id episode_id, const Transcript& transcript,
                 const TranscriptOrigin& origin) override;
  Result<std::optional<Transcript>> find(Id episode_id) override;
  Result<std::optional<TranscriptInfo>> info(Id episode_id) override;
  Result<bool> exists(Id episode_id) override;
  Status remove(Id episode_id) override;

 private:
  Database& db_;
};

class SqliteChapterRepo final : public ChapterRepo {
 public:
  explicit SqliteChapterRepo(Database& db) : db_(db) {}
  Status replace(Id episode_id, const std::vector<Chapter>& chapters) override;
  Result<std::vector<Chapter>> list(Id episode_id) override;

 private:
  Database& db_;
};

class SqliteSessionRepo final : public SessionRepo {
 public:
  explicit SqliteSessionRepo(Database& db) : db_(db) {}
  Result<Session> create(const Session& session) override;
  Result<std::optional<Session>> find_by_token_hash(const std::string& token_hash) override;
  Status touch(Id session_id, Millis last_seen_at, Millis expires_at) override;
  Status remove(Id session_id) override;
  Status remove_for_user(Id user_id) override;
  Result<int> remove_expired(Millis now) override;

 private:
  Database& db_;
};

class SqliteApiTokenRepo final : public ApiTokenRepo {
 public:
  explicit SqliteApiTokenRepo(Database& db) : db_(db) {}
  Result<ApiToken> create(const ApiToken& token) override;
  Result<std::optional<ApiToken>> find_by_hash(const std::string& token_hash) override;
  Status touch(Id token_id, Millis at) override;
  Result<std::vector<ApiToken>> list(Id user_id) override;
  Status remove(Id user_id, Id token_id) override;

 private:
  Database& db_;
};

class SqlitePositionRepo final : public PositionRepo {
 public:
  explicit SqlitePositionRepo(Database& db) : db_(db) {}
  Result<Position> save(const Position& position) override;
  Result<std::optional<Position>> find(Id user_id, Id episode_id) override;
  Result<std::vector<Position>> list_for_podcast(Id user_id, Id podcast_id) override;
  Result<std::vector<Position>> in_progress(Id user_id, int limit) override;

 private:
  Database& db_;
};

class SqliteLoginAttemptRepo final : public LoginAttemptRepo {
 public:
  explicit SqliteLoginAttemptRepo(Database& db) : db_(db) {}
  Status record(const std::string& name, const std::string& ip, Millis at, bool succeeded) override;
  Result<Window> failures_for_name(const std::string& name, Millis since) override;
  Result<Window> failures_for_ip(const std::string& ip, Millis since) override;
  Status prune(Millis before) override;

 private:
  Database& db_;
};

class SqliteSnipRepo final : public SnipRepo {
 public:
  explicit SqliteSnipRepo(Database& db) : db_(db) {}
  Result<Snip> insert(const Snip& snip) override;
  Result<Snip> find(Id user_id, Id snip_id) override;
  Result<std::vector<Snip>> list(Id user_id, std::optional<Id> episode_id) override;
  Status update_note(Id user_id, Id snip_id, const std::string& note) override;
  Result<Snip> update_engine_text(const Snip& snip, const std::string& expected_title) override;
  Status remove(Id user_id, Id snip_id) override;
  Result<bool> exists(Id snip_id) override;
  Result<Snip> update_text(Id user_id, Id snip_id, const std::optional<std::string>& title,
                           const std::optional<std::string>& note) override;
  Result<Snip> set_share_id(Id user_id, Id snip_id, const std::string& share_id) override;
  Result<Snip> clear_share_id(Id user_id, Id snip_id) override;
  Result<std::optional<Snip>> find_shared(const std::string& share_id) override;
  Result<std::vector<Snip>> changed_since(Id user_id, Millis since) override;
  Result<std::vector<SnipMoment>> moments(Id episode_id) override;

 private:
  Database& db_;
};

class SqliteHighlightRepo final : public HighlightRepo {
 public:
  explicit SqliteHighlightRepo(Database& db) : db_(db) {}
  Status replace(Id episode_id, const std::vector<StoredHighlight>& highlights) override;
  Result<std::vector<StoredHighlight>> list(Id episode_id) override;

 private:
  Database& db_;
};

class SqliteSummaryRepo final : public SummaryRepo {
 public:
  explicit SqliteSummaryRepo(Database& db) : db_(db) {}
  Status put(const StoredSummary& summary) override;
  Result<std::optional<StoredSummary>> find(Id episode_id) override;

 private:
  Database& db_;
};

class SqliteSearchRepo final : public SearchRepo {
 public:
  explicit SqliteSearchRepo(Database& db) : db_(db) {}
  Result<std::vector<StoredPassage>> replace_episode(Id episode_id,
                                                     const std::vector<Passage>& passages,
                                                     const std::string& title,
                                                     const std::string& notes) override;
  Result<std::vector<StoredPassage>> passages(Id episode_id) override;
  Result<std::vector<SearchHit>> lexical(const TextQuery& query, const SearchScope& scope,
                                         int limit, int rank_window) override;
  Result<std::vector<SearchHit>> passage_hits(const std::vector<Id>& ids,
                                              const SearchScope& scope) override;
  Status put_vectors(const std::string& model, int dims,
                     const std::vector<StoredVector>& vectors) override;
  Result<std::vector<StoredVector>> vectors(const std::string& model, Id after, int limit) override;
  Result<std::optional<StoredVector>> vector(const std::string& model, Id passage_id) override;
  Result<std::vector<StoredPassage>> passages_without_vector(const std::string& model,
                                                             std::optional<Id> episode_id,
                                                             int limit) override;
  Result<std::vector<Id>> vector_ids(const std::string& model) override;

 private:
  Database& db_;
};

class SqliteExportStateRepo final : public ExportStateRepo {
 public:
  explicit SqliteExportStateRepo(Database& db) : db_(db) {}
  Result<std::optional<ExportRecord>> find(const std::string& target, Id snip_id) override;
  Result<std::vector<ExportRecord>> list(const std::string& target, Id user_id) override;
  Status put(const ExportRecord& record) override;
  Status remove(const std::string& target, Id snip_id) override;

 private:
  Database& db_;
};

class SqliteArchiveRepo final : public ArchiveRepo {
 public:
  explicit SqliteArchiveRepo(Database& db) : db_(db) {}
  Status restore(Id user_id, const LibraryArchive& archive) override;
  Result<MergeReport> merge(Id user_id, const LibraryArchive& archive) override;

 private:
  Database& db_;
};

class SqliteExportSettingsRepo final : public ExportSettingsRepo {
 public:
  explicit SqliteExportSettingsRepo(Database& db) : db_(db) {}
  Result<std::optional<ExportSettings>> find(Id user_id, const std::string& service) override;
  Status save(const ExportSettings& settings) override;
  Status remove(Id user_id, const std::string& service) override;
  Status set_job(Id user_id, const std::string& service, Id job_id) override;
  Status record_run(Id user_id, const std::string& service, const ExportRun& run) override;

 private:
  Database& db_;
};

class SqliteFeedTokenRepo final : public FeedTokenRepo {
 public:
  explicit SqliteFeedTokenRepo(Database& db) : db_(db) {}
  Result<std::optional<std::string>> find(Id user_id) override;
  Status put(Id user_id, const std::string& token) override;
  Result<std::optional<Id>> user_for(const std::string& token) override;

 private:
  Database& db_;
};

// NotFound ("no episode with id 7") unless the episode exists.
Status require_episode(Connection& conn, Id episode_id);

// Whether a row with this id exists in `table` (one of the schema's table names).
Result<bool> row_exists(Connection& conn, std::string_view table, Id id);

// NotFound ("no user with id 7") unless a row with this id exists in `table`; `noun` names
// one of its rows in the message.
Status require_row(Connection& conn, std::string_view table, Id id, std::string_view noun);

}  // namespace hark::store::sqlite
