// What was exported where (migration 5).
#include "core/time.hpp"
#include "store/sqlite/keyed_table.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

constexpr KeyedTable kState{
    .name = "export_state",
    .key = "target = ? AND snip_id = ?",
    .columns = "snip_id, target, remote_id, content_hash, exported_at",
};

Result<ExportRecord> read_record(Row& row) {
  ExportRecord r;
  r.snip_id = row.int64();
  r.target = row.text();
  r.remote_id = row.text();
  r.content_hash = row.text();
  r.exported_at = row.int64();
  return r;
}

}  // namespace

Result<std::optional<ExportRecord>> SqliteExportStateRepo::find(const std::string& target,
                                                                Id snip_id) {
  return find_by_key(db_, kState, read_record, target, snip_id);
}

Result<std::vector<ExportRecord>> SqliteExportStateRepo::list(const std::string& target,
                                                              Id user_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(
        "SELECT e.snip_id, e.target, e.remote_id, e.content_hash, e.exported_at "
        "FROM export_state e JOIN snips s ON s.id = e.snip_id "
        "WHERE e.target = ? AND s.user_id = ? ORDER BY e.snip_id");
    stmt.bind_all(target, user_id);
    return collect_all(stmt, read_record);
  });
}

Status SqliteExportStateRepo::put(const ExportRecord& record) {
  if (record.target.empty()) return invalid_input("an export record needs a target");
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(require_row(conn, "snips", record.snip_id, "snip"));
    return conn
        .prepare(
            "INSERT OR REPLACE INTO export_state (snip_id, target, remote_id, content_hash, "
            "exported_at) VALUES (?, ?, ?, ?, ?)")
        .bind_all(record.snip_id, record.target, record.remote_id, record.content_hash, now_ms())
        .run();
  });
}

Status SqliteExportStateRepo::remove(const std::string& target, Id snip_id) {
  return remove_by_key(db_, kState, target, snip_id);
}

}  // namespace hark::store::sqlite
