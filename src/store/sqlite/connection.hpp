// Internal to the SQLite backend: RAII ownership of sqlite3 handles, a per-connection cache
// of prepared statements, and a small statement helper so repository code reads as SQL plus
// bindings. Nothing outside src/store/sqlite includes this header.
//
// Thread-safety: none. A Connection (and every Statement borrowed from it) is used by one
// thread at a time; Database hands connections out under its own locks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace hark::store::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const;
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const;
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// An Error for a failed SQLite call on `db`: the code follows the failure (unique or
// primary-key violation -> Conflict, CHECK violation -> InvalidInput, busy/locked ->
// Unavailable, anything else -> Internal) and the message carries sqlite3_errmsg.
Error sqlite_error(sqlite3* db, int rc, std::string_view context);

// A cached prepared statement borrowed for one use. Destruction resets it and clears its
// bindings, so the connection can hand it out again (and so no read transaction is left
// open by a half-stepped query). Errors from preparing or binding are kept and returned
// by the first step()/run(), which keeps call sites free of per-bind checks.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, sqlite3* db, std::optional<Error> pending);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds by 1-based index: integers and bool as INTEGER, floating point as REAL, anything
  // convertible to string_view as TEXT, std::nullopt / empty optionals as NULL.
  template <typename T>
  Statement& bind(int index, const T& value);

  // Binds the arguments to parameters 1..N in order.
  template <typename... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row: true when a row is ready, false when the statement is done.
  Result<bool> step();
  // Binds raw bytes as a BLOB (bind() binds strings as TEXT).
  Statement& bind_blob(int index, std::string_view bytes);

  // Executes a statement that returns no rows that the caller cares about.
  Status run();
  // Makes the statement ready to run again, bindings cleared: one prepared statement for a
  // loop over many ids, inside one read transaction.
  Status reset();

  // Column getters (0-based). NULL reads as 0 / "" unless the getter is optional.
  [[nodiscard]] std::int64_t int64(int col) const;
  [[nodiscard]] double real(int col) const;
  [[nodiscard]] std::string text(int col) const;
  [[nodiscard]] bool is_null(int col) const;
  [[nodiscard]] std::string_view blob(int col) const;  // valid until the next step

 private:
  void bind_null(int index);
  void bind_int64(int index, std::int64_t value);
  void bind_double(int index, double value);
  void bind_text(int index, std::string_view value);
  void note_bind(int rc, int index);

  sqlite3_stmt* stmt_;  // owned by the connection's cache
  sqlite3* db_;
  std::optional<Error> pending_;
};

template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};

template <typename T>
Statement& Statement::bind(int index, const T& value) {
  if constexpr (std::is_same_v<T, std::nullopt_t>) {
    bind_null(index);
  } else if constexpr (is_optional<T>::value) {
    if (value) {
      bind(index, *value);
    } else {
      bind_null(index);
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    bind_int64(index, value ? 1 : 0);
  } else if constexpr (std::is_integral_v<T>) {
    bind_int64(index, static_cast<std::int64_t>(value));
  } else if constexpr (std::is_floating_point_v<T>) {
    bind_double(index, static_cast<double>(value));
  } else {
    static_assert(std::is_convertible_v<const T&, std::string_view>, "unsupported bind type");
    bind_text(index, std::string_view(value));
  }
  return *this;
}

// Reads the columns of the current row left to right, so a row mapper lists fields in the
// same order as the SELECT list it belongs to.
class Row {
 public:
  explicit Row(const Statement& stmt) : stmt_(stmt) {}
  std::int64_t int64() { return stmt_.int64(next_++); }
  int int32() { return static_cast<int>(stmt_.int64(next_++)); }
  bool boolean() { return stmt_.int64(next_++) != 0; }
  double real() { return stmt_.real(next_++); }
  std::string text() { return stmt_.text(next_++); }
  std::optional<std::int64_t> opt_int64() {
    const int col = next_++;
    return stmt_.is_null(col) ? std::nullopt : std::optional(stmt_.int64(col));
  }
  std::optional<int> opt_int32() {
    auto v = opt_int64();
    return v ? std::optional(static_cast<int>(*v)) : std::nullopt;
  }

 private:
  const Statement& stmt_;
  int next_ = 0;
};

template <typename T>
struct ResultValue;
template <typename T>
struct ResultValue<Result<T>> {
  using type = T;
};
// The T of the Result<T> a row mapper returns.
template <typename F>
using MappedType = typename ResultValue<std::invoke_result_t<F&, Row&>>::type;

// Steps through all rows, mapping each with `map(Row&) -> Result<T>`.
template <typename F>
Result<std::vector<MappedType<F>>> collect_all(Statement& stmt, F&& map) {
  std::vector<MappedType<F>> rows;
  while (true) {
    auto has_row = stmt.step();
    if (!has_row) return has_row.error();
    if (!*has_row) return rows;
    Row row(stmt);
    auto mapped = map(row);
    if (!mapped) return mapped.error();
    rows.push_back(std::move(*mapped));
  }
}

// The first row mapped, or nullopt when there is none.
template <typename F>
Result<std::optional<MappedType<F>>> collect_one(Statement& stmt, F&& map) {
  auto has_row = stmt.step();
  if (!has_row) return has_row.error();
  if (!*has_row) return std::optional<MappedType<F>>();
  Row row(stmt);
  auto mapped = map(row);
  if (!mapped) return mapped.error();
  return std::optional<MappedType<F>>(std::move(*mapped));
}

enum class ConnectionRole {
  Writer,  // read-write, creates the file
  Reader,  // PRAGMA query_only: a bug that writes through a reader fails loudly
};

class Connection {
 public:
  // Opens `path` (the writer creates it). Sets the busy timeout; the pragmas that change
  // the file (WAL) are the Database's job, so that opening alone writes nothing.
  static Result<std::unique_ptr<Connection>> open(const std::filesystem::path& path,
                                                  ConnectionRole role);

  // Runs one or more SQL statements without parameters (pragmas, migration scripts).
  Status exec(std::string_view sql);
  // A statement for `sql`, prepared on first use and cached for the connection's lifetime.
  // A statement must not be borrowed twice at once (no nesting of the same SQL).
  Statement prepare(std::string_view sql);
  // Reads a single-value pragma such as "user_version" or "journal_mode".
  Result<std::string> pragma(std::string_view name);

  [[nodiscard]] std::int64_t changes() const;
  [[nodiscard]] bool in_transaction() const;
  [[nodiscard]] sqlite3* raw() const { return db_.get(); }

 private:
  explicit Connection(DbPtr db) : db_(std::move(db)) {}

  // Statements are declared after db_ so they are finalized before the database closes.
  DbPtr db_;
  std::unordered_map<std::string, StmtPtr> cache_;
};

// BEGIN IMMEDIATE ... COMMIT on a writer connection. IMMEDIATE takes the write lock up
// front, so a transaction that reads and then writes never fails halfway with SQLITE_BUSY
// (it waits, within the busy timeout, at BEGIN instead). The destructor rolls back unless
// commit() succeeded, which also covers early returns and exceptions.
class WriteTransaction {
 public:
  static Result<WriteTransaction> begin(Connection& conn);
  ~WriteTransaction();
  WriteTransaction(WriteTransaction&& other) noexcept;
  WriteTransaction& operator=(WriteTransaction&&) = delete;
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  Status commit();

 private:
  explicit WriteTransaction(Connection& conn) : conn_(&conn) {}
  Connection* conn_;  // null once committed, rolled back or moved from
};

// BEGIN ... COMMIT around several reads on one connection: in WAL mode they all see the
// same snapshot, so a read made of two queries (a transcript's header, then its segments)
// never mixes two versions that a writer committed in between. Ends the transaction on
// destruction.
class ReadSnapshot {
 public:
  static Result<ReadSnapshot> begin(Connection& conn);
  ~ReadSnapshot();
  ReadSnapshot(ReadSnapshot&& other) noexcept;
  ReadSnapshot& operator=(ReadSnapshot&&) = delete;
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  explicit ReadSnapshot(Connection& conn) : conn_(&conn) {}
  Connection* conn_;  // null once moved from
};

}  // namespace hark::store::sqlite
