#include "core/time.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

// Checked up front so the error names what is missing; the foreign keys alone would only
// say "FOREIGN KEY constraint failed".
Status require_user_and_podcast(Connection& conn, Id user_id, Id podcast_id) {
  HARK_TRY(require_row(conn, "users", user_id, "user"));
  return require_row(conn, "podcasts", podcast_id, "podcast");
}

}  // namespace

Status SqliteSubscriptionRepo::subscribe(Id user_id, Id podcast_id) {
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(require_user_and_podcast(conn, user_id, podcast_id));
    // DO NOTHING keeps the original created_at when subscribing again.
    return conn
        .prepare(
            "INSERT INTO subscriptions (user_id, podcast_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id, podcast_id) DO NOTHING")
        .bind_all(user_id, podcast_id, now_ms())
        .run();
  });
}

Status SqliteSubscriptionRepo::unsubscribe(Id user_id, Id podcast_id) {
  return db_.write([&](Connection& conn) -> Status {
    return conn.prepare("DELETE FROM subscriptions WHERE user_id = ? AND podcast_id = ?")
        .bind_all(user_id, podcast_id)
        .run();
  });
}

Result<bool> SqliteSubscriptionRepo::is_subscribed(Id user_id, Id podcast_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare("SELECT 1 FROM subscriptions WHERE user_id = ? AND podcast_id = ?");
    stmt.bind_all(user_id, podcast_id);
    return stmt.step();
  });
}

Result<bool> SqliteSubscriptionRepo::can_see_episode(Id user_id, Id episode_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(
        "SELECT 1 FROM episodes e JOIN subscriptions s ON s.podcast_id = e.podcast_id "
        "WHERE e.id = ? AND s.user_id = ?");
    stmt.bind_all(episode_id, user_id);
    return stmt.step();
  });
}

}  // namespace hark::store::sqlite
