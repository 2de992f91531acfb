// Per-user tokens for the snips RSS feed (migration 6).
#include "core/time.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {

Result<std::optional<std::string>> SqliteFeedTokenRepo::find(Id user_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare("SELECT token FROM feed_tokens WHERE user_id = ?");
    stmt.bind(1, user_id);
    return collect_one(stmt, [](Row& row) -> Result<std::string> { return row.text(); });
  });
}

Status SqliteFeedTokenRepo::put(Id user_id, const std::string& token) {
  if (token.size() < 16) return invalid_input("a feed token must be at least 16 characters");
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(require_row(conn, "users", user_id, "user"));
    return conn
        .prepare("INSERT OR REPLACE INTO feed_tokens (user_id, token, created_at) VALUES (?, ?, ?)")
        .bind_all(user_id, token, now_ms())
        .run();
  });
}

Result<std::optional<Id>> SqliteFeedTokenRepo::user_for(const std::string& token) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare("SELECT user_id FROM feed_tokens WHERE token = ?");
    stmt.bind(1, token);
    return collect_one(stmt, [](Row& row) -> Result<Id> { return row.int64(); });
  });
}

}  // namespace hark::store::sqlite
