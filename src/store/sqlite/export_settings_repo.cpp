// Per-user Readwise and Notion settings and the latest run (migration 11).
#include "core/time.hpp"
#include "store/sqlite/keyed_table.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

constexpr KeyedTable kSettings{
    .name = "export_settings",
    .key = "user_id = ? AND service = ?",
    .columns =
        "user_id, service, token, database_id, page_per, job_id, last_run_at, sent, "
        "updated, unchanged, failed, last_error, updated_at",
};

Result<ExportSettings> read_settings(Row& row) {
  ExportSettings s;
  s.user_id = row.int64();
  s.service = row.text();
  s.token = row.text();
  s.database_id = row.text();
  s.page_per_episode = row.text() == "episode";
  s.job_id = row.int64();
  s.last_run.at = row.int64();
  s.last_run.sent = row.int32();
  s.last_run.updated = row.int32();
  s.last_run.unchanged = row.int32();
  s.last_run.failed = row.int32();
  s.last_run.error = row.text();
  s.updated_at = row.int64();
  return s;
}

bool known_service(const std::string& service) {
  return service == "readwise" || service == "notion";
}

// NotFound when the statement that just ran changed no row.
Status changed_one(Connection& conn, Status ran, Id user_id, const std::string& service) {
  if (!ran) return ran;
  if (conn.changes() == 0)
    return not_found("user " + std::to_string(user_id) + " has no " + service + " settings");
  return ok();
}

}  // namespace

Result<std::optional<ExportSettings>> SqliteExportSettingsRepo::find(Id user_id,
                                                                     const std::string& service) {
  return find_by_key(db_, kSettings, read_settings, user_id, service);
}

Status SqliteExportSettingsRepo::save(const ExportSettings& s) {
  if (!known_service(s.service))
    return invalid_input("unknown export service '" + s.service + "' (readwise or notion)");
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(require_row(conn, "users", s.user_id, "user"));
    return conn
        .prepare(
            "INSERT INTO export_settings (user_id, service, token, database_id, page_per, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, service) DO UPDATE SET "
            "token = excluded.token, database_id = excluded.database_id, "
            "page_per = excluded.page_per, updated_at = excluded.updated_at")
        .bind_all(s.user_id, s.service, s.token, s.database_id,
                  s.page_per_episode ? "episode" : "snip", now_ms())
        .run();
  });
}

Status SqliteExportSettingsRepo::remove(Id user_id, const std::string& service) {
  return remove_by_key(db_, kSettings, user_id, service);
}

Status SqliteExportSettingsRepo::set_job(Id user_id, const std::string& service, Id job_id) {
  return db_.write([&](Connection& conn) -> Status {
    auto ran =
        conn.prepare("UPDATE export_settings SET job_id = ? WHERE user_id = ? AND service = ?")
            .bind_all(job_id, user_id, service)
            .run();
    return changed_one(conn, ran, user_id, service);
  });
}

Status SqliteExportSettingsRepo::record_run(Id user_id, const std::string& service,
                                            const ExportRun& run) {
  return db_.write([&](Connection& conn) -> Status {
    auto ran =
        conn.prepare(
                "UPDATE export_settings SET last_run_at = ?, sent = ?, updated = ?, "
                "unchanged = ?, failed = ?, last_error = ? WHERE user_id = ? AND service = ?")
            .bind_all(run.at, run.sent, run.updated, run.unchanged, run.failed, run.error, user_id,
                      service)
            .run();
    return changed_one(conn, ran, user_id, service);
  });
}

}  // namespace hark::store::sqlite
