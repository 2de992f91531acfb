// Internal to the SQLite backend: the schema as an ordered, append-only list of
// migrations, and the code that applies them when a database is opened.
//
// The database's version is PRAGMA user_version (readable without knowing the schema, so
// an old build can recognise a newer file before touching it); `schema_migrations` keeps a
// human-readable log of what was applied and when. To change the schema, append a
// Migration with the next number. Never edit one that has shipped: databases that already
// ran it would silently differ from new ones.
#pragma once

#include <filesystem>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "store/sqlite/connection.hpp"

namespace hark::store::sqlite {

struct Migration {
  int version;               // 1, 2, 3, ... without gaps
  std::string_view purpose;  // one line, recorded in schema_migrations
  std::string_view sql;      // runs inside the migration transaction, foreign keys off
};

std::span<const Migration> migrations();
int latest_schema_version();

// Inspects the file without writing to it and returns its schema version (0 when new).
// Refuses, with an error that says what to do, a database written by a newer hark
// (Conflict) and a SQLite file that belongs to another application (InvalidInput).
Result<int> check_compatible(Connection& conn, const std::filesystem::path& path);

// Applies every migration above the current version in one transaction (all or none)
// and returns the new version. A no-op when the database is current. Runs with foreign
// key enforcement off, as SQLite requires for table rebuilds, and checks the keys before
// committing; the caller turns enforcement on afterwards.
Result<int> migrate(Connection& writer, const std::filesystem::path& path);

}  // namespace hark::store::sqlite
