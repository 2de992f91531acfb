// Sessions, API tokens and login attempts (migration 3).
#include "core/time.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

constexpr std::string_view kSelectSession =
    "SELECT id, user_id, token_hash, csrf_token, created_at, expires_at, last_seen_at "
    "FROM sessions ";

Result<Session> read_session(Row& row) {
  Session s;
  s.id = row.int64();
  s.user_id = row.int64();
  s.token_hash = row.text();
  s.csrf_token = row.text();
  s.created_at = row.int64();
  s.expires_at = row.int64();
  s.last_seen_at = row.int64();
  return s;
}

constexpr std::string_view kSelectToken =
    "SELECT id, user_id, name, token_hash, created_at, last_used_at FROM api_tokens ";

Result<ApiToken> read_token(Row& row) {
  ApiToken t;
  t.id = row.int64();
  t.user_id = row.int64();
  t.name = row.text();
  t.token_hash = row.text();
  t.created_at = row.int64();
  t.last_used_at = row.opt_int64();
  return t;
}

Status require_user(Connection& conn, Id user_id) {
  return require_row(conn, "users", user_id, "user");
}

Result<LoginAttemptRepo::Window> failures(Connection& conn, std::string_view column,
                                          const std::string& value, Millis since) {
  auto stmt = conn.prepare("SELECT count(*), coalesce(min(at), 0) FROM login_attempts WHERE " +
                           std::string(column) + " = ? AND at >= ? AND succeeded = 0");
  stmt.bind_all(value, since);
  auto row = stmt.step();
  if (!row) return row.error();
  LoginAttemptRepo::Window w;
  if (*row) {
    w.failures = static_cast<int>(stmt.int64(0));
    w.oldest = stmt.int64(1);
  }
  return w;
}

}  // namespace

// ---- sessions ---------------------------------------------------------------------------

Result<Session> SqliteSessionRepo::create(const Session& session) {
  return db_.write([&](Connection& conn) -> Result<Session> {
    HARK_TRY(require_user(conn, session.user_id));
    auto stmt = conn.prepare(
        "INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, expires_at, "
        "last_seen_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    stmt.bind_all(session.user_id, session.token_hash, session.csrf_token, session.created_at,
                  session.expires_at, session.last_seen_at);
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return internal_error("inserting a session returned no id");
    Session stored = session;
    stored.id = stmt.int64(0);
    return stored;
  });
}

Result<std::optional<Session>> SqliteSessionRepo::find_by_token_hash(
    const std::string& token_hash) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectSession) + "WHERE token_hash = ?");
    stmt.bind(1, token_hash);
    return collect_one(stmt, read_session);
  });
}

Status SqliteSessionRepo::touch(Id session_id, Millis last_seen_at, Millis expires_at) {
  return db_.write([&](Connection& conn) -> Status {
    return conn.prepare("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?")
        .bind_all(last_seen_at, expires_at, session_id)
        .run();
  });
}

Status SqliteSessionRepo::remove(Id session_id) {
  return db_.write([&](Connection& conn) -> Status {
    return conn.prepare("DELETE FROM sessions WHERE id = ?").bind_all(session_id).run();
  });
}

Status SqliteSessionRepo::remove_for_user(Id user_id) {
  return db_.write([&](Connection& conn) -> Status {
    return conn.prepare("DELETE FROM sessions WHERE user_id = ?").bind_all(user_id).run();
  });
}

Result<int> SqliteSessionRepo::remove_expired(Millis now) {
  return db_.write([&](Connection& conn) -> Result<int> {
    HARK_TRY(conn.prepare("DELETE FROM sessions WHERE expires_at <= ?").bind_all(now).run());
    return static_cast<int>(conn.changes());
  });
}

// ---- API tokens -------------------------------------------------------------------------

Result<ApiToken> SqliteApiTokenRepo::create(const ApiToken& token) {
  return db_.write([&](Connection& conn) -> Result<ApiToken> {
    HARK_TRY(require_user(conn, token.user_id));
    const Millis now = now_ms();
    auto stmt = conn.prepare(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) "
        "RETURNING id");
    stmt.bind_all(token.user_id, token.name, token.token_hash, now);
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return internal_error("inserting an API token returned no id");
    ApiToken stored = token;
    stored.id = stmt.int64(0);
    stored.created_at = now;
    stored.last_used_at.reset();
    return stored;
  });
}

Result<std::optional<ApiToken>> SqliteApiTokenRepo::find_by_hash(const std::string& token_hash) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectToken) + "WHERE token_hash = ?");
    stmt.bind(1, token_hash);
    return collect_one(stmt, read_token);
  });
}

Status SqliteApiTokenRepo::touch(Id token_id, Millis at) {
  return db_.write([&](Connection& conn) -> Status {
    return conn.prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
        .bind_all(at, token_id)
        .run();
  });
}

Result<std::vector<ApiToken>> SqliteApiTokenRepo::list(Id user_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectToken) + "WHERE user_id = ? ORDER BY id");
    stmt.bind(1, user_id);
    return collect_all(stmt, read_token);
  });
}

Status SqliteApiTokenRepo::remove(Id user_id, Id token_id) {
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(conn.prepare("DELETE FROM api_tokens WHERE id = ? AND user_id = ?")
                 .bind_all(token_id, user_id)
                 .run());
    if (conn.changes() == 0) return not_found("no API token with id " + std::to_string(token_id));
    return ok();
  });
}

// ---- login attempts ---------------------------------------------------------------------

Status SqliteLoginAttemptRepo::record(const std::string& name, const std::string& ip, Millis at,
                                      bool succeeded) {
  return db_.write([&](Connection& conn) -> Status {
    return conn.prepare("INSERT INTO login_attempts (name, ip, at, succeeded) VALUES (?, ?, ?, ?)")
        .bind_all(name, ip, at, succeeded)
        .run();
  });
}

Result<LoginAttemptRepo::Window> SqliteLoginAttemptRepo::failures_for_name(const std::string& name,
                                                                           Millis since) {
  return db_.read([&](Connection& conn) { return failures(conn, "name", name, since); });
}

Result<LoginAttemptRepo::Window> SqliteLoginAttemptRepo::failures_for_ip(const std::string& ip,
                                                                         Millis since) {
  return db_.read([&](Connection& conn) { return failures(conn, "ip", ip, since); });
}

Status SqliteLoginAttemptRepo::prune(Millis before) {
  return db_.write([&](Connection& conn) -> Status {
    return conn.prepare("DELETE FROM login_attempts WHERE at < ?").bind_all(before).run();
  });
}

}  // namespace hark::store::sqlite
