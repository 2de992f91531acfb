#include "store/sqlite/database.hpp"

#include <system_error>

#include "store/sqlite/migrations.hpp"

namespace hark::store::sqlite {
namespace {

// WAL lets readers run beside the writer (and is stored in the file, so every later
// connection, from any process, uses it). synchronous=NORMAL is durable across application crashes
// in WAL mode (a power loss can drop the last commits, never corrupt the file), which is the usual
// trade for a desktop/server app that commits often.
Status enable_wal(Connection& writer) {
  auto mode = writer.pragma("journal_mode = WAL");
  if (!mode) return mode.error();
  if (*mode != "wal") {
    return unavailable("cannot switch the database to WAL mode (journal_mode is " + *mode +
                       "); is it on a network file system?");
  }
  return writer.exec("PRAGMA synchronous = NORMAL");
}

Status ensure_parent_directory(const std::filesystem::path& path) {
  const auto parent = path.parent_path();
  if (parent.empty()) return ok();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) return unavailable("cannot create directory " + parent.string() + ": " + ec.message());
  return ok();
}

}  // namespace

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path) {
  // Every connection must reach the same file; an in-memory or temporary database would
  // give each connection its own.
  if (path.empty() || path == ":memory:") {
    return invalid_input("the store needs a database file path, not '" + path.string() + "'");
  }
  HARK_TRY(ensure_parent_directory(path));
  auto writer = Connection::open(path, ConnectionRole::Writer);
  if (!writer) return writer.error();
  // Refuse before enable_wal(): switching to WAL writes to the file.
  HARK_TRY(check_compatible(**writer, path));
  HARK_TRY(enable_wal(**writer));
  auto version = migrate(**writer, path);
  if (!version) return version.error();
  // Off by default per connection in SQLite; the cascades in the schema depend on it.
  HARK_TRY((*writer)->exec("PRAGMA foreign_keys = ON"));
  return std::unique_ptr<Database>(new Database(path, std::move(*writer), *version));
}

Result<std::unique_ptr<Connection>> Database::acquire_reader() {
  {
    std::unique_lock lock(readers_mutex_);
    reader_released_.wait(lock,
                          [&] { return !idle_readers_.empty() || open_readers_ < kMaxReaders; });
    if (!idle_readers_.empty()) {
      auto conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return conn;
    }
    ++open_readers_;  // reserve the slot, then open outside the lock
  }
  auto conn = Connection::open(path_, ConnectionRole::Reader);
  if (!conn) {
    std::lock_guard lock(readers_mutex_);
    --open_readers_;
    reader_released_.notify_one();
  }
  return conn;
}

void Database::release_reader(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(readers_mutex_);
    idle_readers_.push_back(std::move(conn));
  }
  reader_released_.notify_one();
}

}  // namespace hark::store::sqlite
