// Internal to the SQLite backend: the connections of one database file and the rules for
// using them.
//
// Thread-safety: a Database is safe to use from many threads at once.
// - write(): one writer connection, guarded by writer_mutex_. Every write runs as a
//   BEGIN IMMEDIATE transaction on it, so writers in this process queue on the mutex and
//   writers in other processes (a CLI next to a running server) wait on SQLite's lock
//   within the busy timeout.
// - read(): a pool of up to kMaxReaders query_only connections, opened on first need.
//   In WAL mode readers never block the writer nor each other, so HTTP threads can read
//   while a worker writes. When all readers are busy, read() waits for one.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "store/sqlite/connection.hpp"

namespace hark::store::sqlite {

class Database {
 public:
  static constexpr int kMaxReaders = 4;

  // Opens the file, refuses one this build cannot understand (see migrations.hpp) before
  // writing anything to it, turns on WAL and applies pending migrations.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path);

  // Runs `body(Connection&) -> Result<T>` in a write transaction; commits when it returns
  // a value and rolls back when it returns an error (or throws).
  template <typename F>
  auto write(F&& body) -> std::invoke_result_t<F&, Connection&> {
    std::lock_guard lock(writer_mutex_);
    auto tx = WriteTransaction::begin(*writer_);
    if (!tx) return tx.error();
    auto result = body(*writer_);
    if (!result) return result;
    HARK_TRY(tx->commit());
    return result;
  }

  // Runs `body(Connection&) -> Result<T>` on a reader connection. Each statement sees the
  // latest committed data when it starts.
  template <typename F>
  auto read(F&& body) -> std::invoke_result_t<F&, Connection&> {
    auto reader = acquire_reader();
    if (!reader) return reader.error();
    ReaderLease lease(*this, std::move(*reader));
    return body(*lease.conn);
  }

  [[nodiscard]] int schema_version() const { return schema_version_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  Database(std::filesystem::path path, std::unique_ptr<Connection> writer, int version)
      : path_(std::move(path)), writer_(std::move(writer)), schema_version_(version) {}

  // Returns a reader connection to the pool when the read is over.
  struct ReaderLease {
    ReaderLease(Database& db, std::unique_ptr<Connection> c) : owner(db), conn(std::move(c)) {}
    ~ReaderLease() { owner.release_reader(std::move(conn)); }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    Database& owner;
    std::unique_ptr<Connection> conn;
  };

  Result<std::unique_ptr<Connection>> acquire_reader();
  void release_reader(std::unique_ptr<Connection> conn);

  const std::filesystem::path path_;

  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;  // guarded by writer_mutex_

  std::mutex readers_mutex_;
  std::condition_variable reader_released_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by readers_mutex_
  int open_readers_ = 0;                                   // guarded by readers_mutex_

  const int schema_version_;
};

}  // namespace hark::store::sqlite
