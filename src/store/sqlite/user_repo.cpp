#include "core/time.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

constexpr std::string_view kLocalUser = "local";

constexpr std::string_view kSelectUser =
    "SELECT id, name, password_hash, is_admin, created_at FROM users ";

Result<User> read_user(Row& row) {
  User u;
  u.id = row.int64();
  u.name = row.text();
  u.password_hash = row.text();
  u.is_admin = row.boolean();
  u.created_at = row.int64();
  return u;
}

Result<std::optional<User>> find_user(Connection& conn, std::string_view name) {
  auto stmt = conn.prepare(std::string(kSelectUser) + "WHERE name = ?");
  stmt.bind(1, name);
  return collect_one(stmt, read_user);
}

Result<User> insert_user(Connection& conn, std::string_view name, bool is_admin) {
  auto stmt = conn.prepare(
      "INSERT INTO users (name, is_admin, created_at) VALUES (?, ?, ?) "
      "RETURNING id, name, password_hash, is_admin, created_at");
  stmt.bind_all(name, is_admin, now_ms());
  auto user = collect_one(stmt, read_user);
  if (!user) {
    if (user.error().code == ErrorCode::Conflict) {
      return conflict("a user named '" + std::string(name) + "' already exists");
    }
    return user.error();
  }
  return **user;  // INSERT ... RETURNING yields exactly one row
}

}  // namespace

Result<User> SqliteUserRepo::default_user() {
  // Read first: after the first run this is the only path, and it needs no write lock.
  auto found = db_.read([&](Connection& conn) { return find_user(conn, kLocalUser); });
  if (!found) return found.error();
  if (*found) return **found;
  return db_.write([&](Connection& conn) -> Result<User> {
    // Re-check under the write lock: another thread may have created it meanwhile.
    auto again = find_user(conn, kLocalUser);
    if (!again) return again.error();
    if (*again) return **again;
    return insert_user(conn, kLocalUser, /*is_admin=*/true);
  });
}

Result<User> SqliteUserRepo::create(const std::string& name, bool is_admin) {
  if (name.empty()) return invalid_input("a user name cannot be empty");
  return db_.write([&](Connection& conn) { return insert_user(conn, name, is_admin); });
}

Result<User> SqliteUserRepo::find_by_name(const std::string& name) {
  auto found = db_.read([&](Connection& conn) { return find_user(conn, name); });
  if (!found) return found.error();
  if (!*found) return not_found("no user named '" + name + "'");
  return **found;
}

Result<User> SqliteUserRepo::find(Id id) {
  auto found = db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectUser) + "WHERE id = ?");
    stmt.bind(1, id);
    return collect_one(stmt, read_user);
  });
  if (!found) return found.error();
  if (!*found) return not_found("no user with id " + std::to_string(id));
  return **found;
}

Status SqliteUserRepo::set_password(Id user_id, const std::string& password_hash) {
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(conn.prepare("UPDATE users SET password_hash = ? WHERE id = ?")
                 .bind_all(password_hash, user_id)
                 .run());
    if (conn.changes() == 0) return not_found("no user with id " + std::to_string(user_id));
    return ok();
  });
}

Result<std::vector<User>> SqliteUserRepo::list() {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectUser) + "ORDER BY id");
    return collect_all(stmt, read_user);
  });
}

}  // namespace hark::store::sqlite
