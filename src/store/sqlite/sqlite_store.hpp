// SQLite backend of the store: WAL mode, foreign keys on, versioned migrations applied on
// open, one writer connection plus reader connections, busy timeout.
#pragma once

#include <filesystem>
#include <memory>

#include "store/store.hpp"

namespace hark::store::sqlite {

// Opens (creating if needed) the database at `path` and migrates it to the latest schema.
// A database written by a newer hark (unknown schema version) is refused, untouched.
Result<std::unique_ptr<Store>> open(const std::filesystem::path& path);

}  // namespace hark::store::sqlite
