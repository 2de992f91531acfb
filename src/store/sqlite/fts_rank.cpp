#include "store/sqlite/fts_rank.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hark::store::sqlite {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// What one query's rows share: each phrase's weight and the average passage length.
struct RankState {
  std::vector<double> idf;  // by FTS5 phrase number
  double avg_length = 1;
};

// FTS5's idf: log((N - n + 0.5) / (n + 0.5)), never zero or negative (a word in more than
// half the rows still counts a little, so a row with it ranks above one without).
double idf(double rows, double with_word) {
  const double v = std::log((rows - with_word + 0.5) / (with_word + 0.5));
  return v > 0 ? v : 1e-6;
}

// Parses `stats` (see fts_rank.hpp) into per-phrase weights; false if it is malformed.
bool parse_stats(std::string_view stats, double rows, std::vector<double>& out) {
  double phrase = 0;
  std::size_t i = 0;
  while (i <= stats.size()) {
    if (i == stats.size() || stats[i] == ';') {
      out.push_back(phrase);
      phrase = 0;
      ++i;
      continue;
    }
    if (stats[i] == ' ') {
      ++i;
      continue;
    }
    const char kind = stats[i];
    if (kind != '=' && kind != '~') return false;
    const std::string number(stats.substr(i + 1, stats.find_first_of(" ;", i + 1) - i - 1));
    char* end = nullptr;
    const double value = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || !(value >= 0)) return false;
    phrase += idf(rows, kind == '=' ? value : value * rows);
    i += 1 + number.size();
  }
  return true;
}

void hark_bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
               sqlite3_value** argv) {
  auto* state = static_cast<RankState*>(api->xGetAuxdata(fts, 0));
  if (state == nullptr) {
    if (argc != 1 && argc != 3) {
      sqlite3_result_error(ctx, "hark_bm25: expected the term statistics and the lengths", -1);
      return;
    }
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    auto fresh = std::make_unique<RankState>();
    const auto* text = sqlite3_value_text(argv[0]);
    const std::string_view stats(text != nullptr ? reinterpret_cast<const char*>(text) : "",
                                 static_cast<std::size_t>(sqlite3_value_bytes(argv[0])));
    if (!parse_stats(stats, static_cast<double>(rows), fresh->idf)) {
      sqlite3_result_error(ctx, "hark_bm25: malformed term statistics", -1);
      return;
    }
    if (rows > 0 && tokens > 0) fresh->avg_length = static_cast<double>(tokens) / rows;
    state = fresh.get();
    rc = api->xSetAuxdata(fts, fresh.release(), [](void* p) { delete static_cast<RankState*>(p); });
    if (rc != SQLITE_OK) {  // xSetAuxdata has already called the destructor
      sqlite3_result_error_code(ctx, rc);
      return;
    }
  }
  double length = argc == 3 ? sqlite3_value_double(argv[1]) : 0;
  double average = state->avg_length;
  if (length > 0 && argc == 3 && sqlite3_value_double(argv[2]) > 0) {
    average = sqlite3_value_double(argv[2]);
  } else {
    int tokens = 0;
    if (const int rc = api->xColumnSize(fts, -1, &tokens); rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    length = tokens;
  }
  const double norm = kK1 * (1 - kB + kB * length / average);
  const int phrases = std::min(api->xPhraseCount(fts), static_cast<int>(state->idf.size()));
  double score = 0;
  for (int p = 0; p < phrases; ++p) {
    if (state->idf[p] == 0) continue;
    Fts5PhraseIter it;
    int column = 0, offset = 0, count = 0;
    if (const int rc = api->xPhraseFirst(fts, p, &it, &column, &offset); rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    for (; column >= 0; api->xPhraseNext(fts, &it, &column, &offset)) ++count;
    if (count > 0) score += state->idf[p] * (count * (kK1 + 1)) / (count + norm);
  }
  sqlite3_result_double(ctx, -score);
}

}  // namespace

Status register_fts_rank(sqlite3* db) {
  // The FTS5 API comes from `SELECT fts5(?1)` with a pointer bound to ?1 (FTS5's documented
  // way: no other entry point is exported).
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  if (api == nullptr) return internal_error("this SQLite has no FTS5 (full-text search)");
  rc = api->xCreateFunction(api, "hark_bm25", nullptr, hark_bm25, nullptr);
  if (rc != SQLITE_OK)
    return internal_error("registering hark_bm25: " + std::string(sqlite3_errstr(rc)));
  return ok();
}

}  // namespace hark::store::sqlite
