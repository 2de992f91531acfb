// SQLite backend of the store: WAL mode, foreign keys on, versioned migrations applied on
// open, one writer connection plus reader connections, busy timeout.
//
// Thread-safety: the returned Store is safe to use from many threads at once (see
// store/sqlite/database.hpp for how connections are shared). Several processes may open
// the same file: writes wait for each other within a 5 s busy timeout.
#pragma once

#include <filesystem>
#include <memory>

#include "store/store.hpp"

namespace hark::store::sqlite {

// Opens (creating it and its parent directories if needed) the database at `path` and
// migrates it to the latest schema in one transaction. A database written by a newer hark
// (unknown schema version: Conflict) or a SQLite file of another application
// (InvalidInput) is refused, untouched. `path` must name a file (not ":memory:").
Result<std::unique_ptr<Store>> open(const std::filesystem::path& path);

// The newest schema version this build can create and read.
int latest_schema_version();

}  // namespace hark::store::sqlite
