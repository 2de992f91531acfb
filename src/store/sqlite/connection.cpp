#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

#include "store/sqlite/fts_rank.hpp"

namespace hark::store::sqlite {
namespace {

// Long enough to ride out another process's write transaction or a checkpoint; short enough
// that a wedged lock surfaces as an error instead of a hung request.
constexpr int kBusyTimeoutMs = 5000;

ErrorCode code_for(int rc) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return ErrorCode::Conflict;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return ErrorCode::InvalidInput;
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::Unavailable;
    default:
      return ErrorCode::Internal;
  }
}

// The start of a statement's SQL, enough to tell which query failed in a log line.
std::string sql_excerpt(sqlite3_stmt* stmt) {
  constexpr std::size_t kMax = 60;
  std::string sql = sqlite3_sql(stmt);
  if (sql.size() > kMax) sql = sql.substr(0, kMax) + "...";
  return sql;
}

}  // namespace

void DbCloser::operator()(sqlite3* db) const {
  sqlite3_close_v2(db);
}
void StmtFinalizer::operator()(sqlite3_stmt* stmt) const {
  sqlite3_finalize(stmt);
}

Error sqlite_error(sqlite3* db, int rc, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return {code_for(rc), std::move(message)};
}

// ---- Statement ----

Statement::Statement(sqlite3_stmt* stmt, sqlite3* db, std::optional<Error> pending)
    : stmt_(stmt), db_(db), pending_(std::move(pending)) {}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      db_(other.db_),
      pending_(std::move(other.pending_)) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::note_bind(int rc, int index) {
  if (rc == SQLITE_OK || pending_) return;
  pending_ = sqlite_error(db_, rc, "binding parameter " + std::to_string(index));
}

void Statement::bind_null(int index) {
  if (stmt_ != nullptr) note_bind(sqlite3_bind_null(stmt_, index), index);
}
void Statement::bind_int64(int index, std::int64_t value) {
  if (stmt_ != nullptr) note_bind(sqlite3_bind_int64(stmt_, index, value), index);
}
void Statement::bind_double(int index, double value) {
  if (stmt_ != nullptr) note_bind(sqlite3_bind_double(stmt_, index, value), index);
}
void Statement::bind_text(int index, std::string_view value) {
  if (stmt_ == nullptr) return;
  // SQLITE_TRANSIENT: SQLite copies, so temporaries bound here are safe.
  note_bind(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  if (stmt_ == nullptr) return *this;
  note_bind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT), index);
  return *this;
}

Result<bool> Statement::step() {
  if (pending_) return *pending_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  pending_ = sqlite_error(db_, rc, "running `" + sql_excerpt(stmt_) + "`");
  return *pending_;
}

Status Statement::run() {
  while (true) {
    auto has_row = step();
    if (!has_row) return has_row.error();
    if (!*has_row) return ok();
  }
}

Status Statement::reset() {
  if (pending_) return *pending_;
  sqlite3_reset(stmt_);  // reports the last step's error, which step() has returned already
  sqlite3_clear_bindings(stmt_);
  return ok();
}

std::int64_t Statement::int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}
double Statement::real(int col) const {
  return sqlite3_column_double(stmt_, col);
}
bool Statement::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::string_view Statement::blob(int col) const {
  const auto* data = sqlite3_column_blob(stmt_, col);
  if (data == nullptr) return {};
  return {static_cast<const char*>(data),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::string Statement::text(int col) const {
  const auto* data = sqlite3_column_text(stmt_, col);
  if (data == nullptr) return {};
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col));
  return {reinterpret_cast<const char*>(data), size};
}

// ---- Connection ----

Result<std::unique_ptr<Connection>> Connection::open(const std::filesystem::path& path,
                                                     ConnectionRole role) {
  // NOMUTEX: each connection is used by one thread at a time (see Database), so SQLite's
  // own per-connection mutex would only add cost. EXRESCODE: extended codes tell a unique
  // violation from other constraint failures.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (role == ConnectionRole::Writer) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbPtr db(raw);  // sqlite3_open_v2 allocates a handle even on failure
  if (rc != SQLITE_OK) return sqlite_error(db.get(), rc, "opening " + path.string());
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  std::unique_ptr<Connection> conn(new Connection(std::move(db)));
  if (role == ConnectionRole::Reader) HARK_TRY(conn->exec("PRAGMA query_only = ON"));
  HARK_TRY(register_fts_rank(conn->raw()));
  return conn;
}

Status Connection::exec(std::string_view sql) {
  const std::string script(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), script.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return ok();
  std::string text = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Error(code_for(sqlite3_extended_errcode(db_.get())), "running SQL: " + text);
}

Statement Connection::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = cache_.find(key); it != cache_.end()) {
    return {it->second.get(), db_.get(), std::nullopt};
  }
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), key.data(), static_cast<int>(key.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return {nullptr, db_.get(), sqlite_error(db_.get(), rc, "preparing `" + key + "`")};
  }
  StmtPtr stmt(raw);
  auto* borrowed = stmt.get();
  cache_.emplace(std::move(key), std::move(stmt));
  return {borrowed, db_.get(), std::nullopt};
}

Result<std::string> Connection::pragma(std::string_view name) {
  auto stmt = prepare("PRAGMA " + std::string(name));
  auto has_row = stmt.step();
  if (!has_row) return has_row.error();
  if (!*has_row) return internal_error("PRAGMA " + std::string(name) + " returned no value");
  return stmt.text(0);
}

std::int64_t Connection::changes() const {
  return sqlite3_changes64(db_.get());
}

bool Connection::in_transaction() const {
  return sqlite3_get_autocommit(db_.get()) == 0;
}

// ---- WriteTransaction ----

Result<WriteTransaction> WriteTransaction::begin(Connection& conn) {
  HARK_TRY(conn.exec("BEGIN IMMEDIATE"));
  return WriteTransaction(conn);
}

WriteTransaction::WriteTransaction(WriteTransaction&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)) {}

WriteTransaction::~WriteTransaction() {
  // After some errors (e.g. SQLITE_FULL) SQLite has already rolled back on its own.
  if (conn_ != nullptr && conn_->in_transaction()) (void)conn_->exec("ROLLBACK");
}

Status WriteTransaction::commit() {
  auto status = conn_->exec("COMMIT");
  if (status) conn_ = nullptr;
  return status;
}

// ---- ReadSnapshot ----

Result<ReadSnapshot> ReadSnapshot::begin(Connection& conn) {
  HARK_TRY(conn.exec("BEGIN"));
  return ReadSnapshot(conn);
}

ReadSnapshot::ReadSnapshot(ReadSnapshot&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)) {}

ReadSnapshot::~ReadSnapshot() {
  // Nothing was written, so COMMIT and ROLLBACK are the same; ROLLBACK cannot fail on
  // a busy database.
  if (conn_ != nullptr && conn_->in_transaction()) (void)conn_->exec("ROLLBACK");
}

}  // namespace hark::store::sqlite
