#include "core/time.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

// Checked up front so the error names what is missing; the foreign keys alone would only
// say "FOREIGN KEY constraint failed".
Status require_user_and_podcast(Connection& conn, Id user_id, Id podcast_id) {
  auto user = row_exists(conn, "users", user_id);
  if (!user) return user.error();
  if (!*user) return not_found("no user with id " + std::to_string(user_id));
  auto podcast = row_exists(conn, "podcasts", podcast_id);
  if (!podcast) return podcast.error();
  if (!*podcast) return not_found("no podcast with id " + std::to_string(podcast_id));
  return ok();
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
