// Internal to the SQLite backend: reading and removing the rows of a table by a key of one or
// more columns, so a repository over such a table (export_settings by user and service,
// export_state by target and snip) states only its table, key and columns.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite/database.hpp"

namespace hark::store::sqlite {

struct KeyedTable {
  std::string_view name;     // "export_settings"
  std::string_view key;      // "user_id = ? AND service = ?": a row's key, bound in this order
  std::string_view columns;  // what find_by_key reads, in its row reader's order

  // " FROM <name> WHERE <key>"
  [[nodiscard]] std::string from_where() const {
    std::string sql = " FROM ";
    sql.append(name).append(" WHERE ").append(key);
    return sql;
  }
};

// The row with this key, read by `read(Row&) -> Result<T>`, or nullopt.
template <typename Read, typename... Key>
Result<std::optional<MappedType<Read>>> find_by_key(Database& db, const KeyedTable& table,
                                                    Read read, const Key&... key) {
  return db.read([&](Connection& conn) {
    auto stmt = conn.prepare("SELECT " + std::string(table.columns) + table.from_where());
    stmt.bind_all(key...);
    return collect_one(stmt, read);
  });
}

// Deletes the row with this key; no row is no error.
template <typename... Key>
Status remove_by_key(Database& db, const KeyedTable& table, const Key&... key) {
  return db.write([&](Connection& conn) -> Status {
    return conn.prepare("DELETE" + table.from_where()).bind_all(key...).run();
  });
}

}  // namespace hark::store::sqlite
