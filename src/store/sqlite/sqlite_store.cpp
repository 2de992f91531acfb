#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/database.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

// The Store facade: owns the Database and one repository of each kind over it.
class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<Database> db)
      : db_(std::move(db)),
        users_(*db_),
        podcasts_(*db_),
        episodes_(*db_),
        subscriptions_(*db_),
        jobs_(*db_),
        transcripts_(*db_),
        chapters_(*db_),
        sessions_(*db_),
        api_tokens_(*db_),
        positions_(*db_),
        login_attempts_(*db_),
        snips_(*db_),
        highlights_(*db_),
        summaries_(*db_),
        search_(*db_),

        export_state_(*db_),
        archive_(*db_),
        feed_tokens_(*db_),
        export_settings_(*db_) {}

  UserRepo& users() override { return users_; }
  PodcastRepo& podcasts() override { return podcasts_; }
  EpisodeRepo& episodes() override { return episodes_; }
  SubscriptionRepo& subscriptions() override { return subscriptions_; }
  JobRepo& jobs() override { return jobs_; }
  TranscriptRepo& transcripts() override { return transcripts_; }
  ChapterRepo& chapters() override { return chapters_; }
  SessionRepo& sessions() override { return sessions_; }
  ApiTokenRepo& api_tokens() override { return api_tokens_; }
  PositionRepo& positions() override { return positions_; }
  LoginAttemptRepo& login_attempts() override { return login_attempts_; }
  SnipRepo& snips() override { return snips_; }
  HighlightRepo& highlights() override { return highlights_; }
  SummaryRepo& summaries() override { return summaries_; }
  SearchRepo& search() override { return search_; }
  ExportStateRepo& export_state() override { return export_state_; }
  ArchiveRepo& archive() override { return archive_; }
  FeedTokenRepo& feed_tokens() override { return feed_tokens_; }
  ExportSettingsRepo& export_settings() override { return export_settings_; }
  int schema_version() override { return db_->schema_version(); }

  Result<std::string> integrity_check() override {
    return db_->read([](Connection& conn) -> Result<std::string> {
      // Returns one row per problem (or a single "ok"); join them for the caller.
      auto stmt = conn.prepare("PRAGMA integrity_check");
      std::string report;
      while (true) {
        auto has_row = stmt.step();
        if (!has_row) return has_row.error();
        if (!*has_row) return report;
        if (!report.empty()) report += '\n';
        report += stmt.text(0);
      }
    });
  }

 private:
  std::unique_ptr<Database> db_;
  SqliteUserRepo users_;
  SqlitePodcastRepo podcasts_;
  SqliteEpisodeRepo episodes_;
  SqliteSubscriptionRepo subscriptions_;
  SqliteJobRepo jobs_;
  SqliteTranscriptRepo transcripts_;
  SqliteChapterRepo chapters_;
  SqliteSessionRepo sessions_;
  SqliteApiTokenRepo api_tokens_;
  SqlitePositionRepo positions_;
  SqliteLoginAttemptRepo login_attempts_;
  SqliteSnipRepo snips_;
  SqliteHighlightRepo highlights_;
  SqliteSummaryRepo summaries_;
  SqliteSearchRepo search_;
  SqliteExportStateRepo export_state_;
  SqliteArchiveRepo archive_;
  SqliteFeedTokenRepo feed_tokens_;
  SqliteExportSettingsRepo export_settings_;
};

}  // namespace

Result<std::unique_ptr<Store>> open(const std::filesystem::path& path) {
  auto db = Database::open(path);
  if (!db) return db.error();
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(*db)));
}

}  // namespace hark::store::sqlite
