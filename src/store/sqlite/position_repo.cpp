// Listening positions (migration 3): one row per (user, episode).
#include "core/time.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

constexpr std::string_view kSelectPosition =
    "SELECT p.user_id, p.episode_id, p.position_ms, p.duration_ms, p.played, p.updated_at "
    "FROM positions p ";

Result<Position> read_position(Row& row) {
  Position p;
  p.user_id = row.int64();
  p.episode_id = row.int64();
  p.position_ms = row.int64();
  p.duration_ms = row.opt_int64();
  p.played = row.boolean();
  p.updated_at = row.int64();
  return p;
}

}  // namespace

Result<Position> SqlitePositionRepo::save(const Position& position) {
  if (position.position_ms < 0) return invalid_input("a position cannot be negative");
  if (position.duration_ms && *position.duration_ms < 0)
    return invalid_input("a duration cannot be negative");
  return db_.write([&](Connection& conn) -> Result<Position> {
    HARK_TRY(require_row(conn, "users", position.user_id, "user"));
    HARK_TRY(require_episode(conn, position.episode_id));
    Position stored = position;
    stored.updated_at = now_ms();
    HARK_TRY(conn.prepare("INSERT INTO positions (user_id, episode_id, position_ms, duration_ms, "
                          "played, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                          "ON CONFLICT (user_id, episode_id) DO UPDATE SET "
                          "position_ms = excluded.position_ms, duration_ms = excluded.duration_ms, "
                          "played = excluded.played, updated_at = excluded.updated_at")
                 .bind_all(stored.user_id, stored.episode_id, stored.position_ms,
                           stored.duration_ms, stored.played, stored.updated_at)
                 .run());
    return stored;
  });
}

Result<std::optional<Position>> SqlitePositionRepo::find(Id user_id, Id episode_id) {
  return db_.read([&](Connection& conn) {
    auto stmt =
        conn.prepare(std::string(kSelectPosition) + "WHERE p.user_id = ? AND p.episode_id = ?");
    stmt.bind_all(user_id, episode_id);
    return collect_one(stmt, read_position);
  });
}

Result<std::vector<Position>> SqlitePositionRepo::list_for_podcast(Id user_id, Id podcast_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectPosition) +
                             "JOIN episodes e ON e.id = p.episode_id "
                             "WHERE p.user_id = ? AND e.podcast_id = ?");
    stmt.bind_all(user_id, podcast_id);
    return collect_all(stmt, read_position);
  });
}

Result<std::vector<Position>> SqlitePositionRepo::in_progress(Id user_id, int limit) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectPosition) +
                             "WHERE p.user_id = ? AND p.played = 0 AND p.position_ms > 0 "
                             "ORDER BY p.updated_at DESC LIMIT ?");
    stmt.bind_all(user_id, limit);
    return collect_all(stmt, read_position);
  });
}

}  // namespace hark::store::sqlite
