// The search index (migration 5): passages, episode documents and snips in FTS5, passage
// vectors as float32 BLOBs.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

// How much a match in each source counts against the others (BM25 scores of the three
// indexes are on similar scales: all are sums over the query's terms).
constexpr double kPassageWeight = 1.0;
constexpr double kSnipWeight = 1.5;     // the user chose to keep these moments
constexpr double kEpisodeWeight = 0.8;  // a whole episode is a coarser answer than a moment

// A term as an FTS5 string: every word quoted (no FTS5 syntax survives), a phrase when
// there are several, `*` for a prefix.
std::string fts_term(const SearchTerm& term) {
  std::string out = "\"";
  for (std::size_t i = 0; i < term.words.size(); ++i) {
    if (i > 0) out += ' ';
    for (char c : term.words[i]) {
      if (c == '"') out += '"';
      out += c;
    }
  }
  out += '"';
  if (term.prefix) out += '*';
  return out;
}

std::string fts_expression(const TextQuery& query) {
  std::string positive, negative;
  for (const auto& term : query.terms) {
    if (term.exclude) {
      negative += " NOT " + fts_term(term);
    } else {
      if (!positive.empty()) positive += " AND ";
      positive += fts_term(term);
    }
  }
  return "(" + positive + ")" + negative;
}

// The filters every query shares, as SQL over `e` (episodes); parameters 2..6.
constexpr std::string_view kScopeSql =
    " AND (?2 IS NULL OR e.podcast_id IN (SELECT podcast_id FROM subscriptions WHERE user_id = ?2))"
    " AND (?3 IS NULL OR e.podcast_id = ?3)"
    " AND (?4 IS NULL OR e.published_at >= ?4)"
    " AND (?5 IS NULL OR e.published_at < ?5) ";

void bind_scope(Statement& stmt, const SearchScope& scope) {
  stmt.bind(2, scope.user_id).bind(3, scope.podcast_id).bind(4, scope.since).bind(5, scope.until);
}

constexpr std::string_view kHitColumns = "e.id, e.podcast_id, pc.title, e.title, e.published_at ";

// The best passages in scope: the newest ?8 matches (the rank window; -1: every match),
// walked newest first in the index's own order, each scored by hark_bm25 (fts_rank.hpp; ?9
// and ?10: the term statistics), and the best ?7 kept. Ids and scores only: the hit columns are
// read for the rows kept. The scope's joins read the narrow index of migration 12 instead of a page
// of transcript text per match.
const std::string& ranked_passages_sql() {
  static const std::string sql =
      "SELECT id, score FROM (SELECT search_passages_fts.rowid AS id, "
      "hark_bm25(search_passages_fts, ?9, p.words, ?10) AS score FROM search_passages_fts "
      "JOIN search_passages p INDEXED BY search_passages_scope ON p.id = search_passages_fts.rowid "
      "JOIN episodes e ON e.id = p.episode_id "
      "WHERE search_passages_fts MATCH ?1" +
      std::string(kScopeSql) +
      " AND (?6 = '' OR p.speaker = ?6 COLLATE NOCASE) "
      "ORDER BY search_passages_fts.rowid DESC LIMIT ?8) ORDER BY score, id DESC LIMIT ?7";
  return sql;
}

// Snippets, for the rows kept only (SQLite computes every result column of every row before
// it sorts). Usually the passages ?4 (a JSON array of ids between ?2 and ?3) get theirs in
// one pass over the matches in that id range; `+rowid` keeps the id list out of FTS5's
// plan, which must stay a full-text query for snippet() to work. For a phrase that pass
// compares word positions in every row of the range with all its words (for "the people",
// most rows), so a query with a phrase finds each passage by its rowid instead: FTS5 seeks
// every word's list of rows to it. Not with a prefix term: FTS5 expands a prefix over the
// whole index each time a query starts.
constexpr std::string_view kSnippetSql =
    "SELECT rowid, snippet(search_passages_fts, 0, char(2), char(3), '…', 32) "
    "FROM search_passages_fts WHERE search_passages_fts MATCH ?1 AND rowid = ?2";
constexpr std::string_view kSnippetsSql =
    "SELECT rowid, snippet(search_passages_fts, 0, char(2), char(3), '…', 32) "
    "FROM search_passages_fts WHERE search_passages_fts MATCH ?1 "
    "AND rowid >= ?2 AND rowid <= ?3 AND +rowid IN (SELECT value FROM json_each(?4))";

Result<std::pair<Id, std::string>> read_snippet(Row& row) {
  const Id id = row.int64();
  return std::pair<Id, std::string>(id, row.text());
}

// The snippets of passages `ids` (matches of `match`), by passage id.
Result<std::unordered_map<Id, std::string>> passage_snippets(Connection& conn,
                                                             const TextQuery& query,
                                                             const std::string& match,
                                                             const std::vector<Id>& ids) {
  std::unordered_map<Id, std::string> out;
  if (ids.empty()) return out;
  const bool prefix = std::any_of(query.terms.begin(), query.terms.end(),
                                  [](const SearchTerm& t) { return t.prefix; });
  const bool phrase = std::any_of(query.terms.begin(), query.terms.end(),
                                  [](const SearchTerm& t) { return t.words.size() > 1; });
  if (phrase && !prefix) {
    for (const Id id : ids) {
      auto stmt = conn.prepare(std::string(kSnippetSql));
      stmt.bind(1, match).bind(2, id);
      auto found = collect_one(stmt, read_snippet);
      if (!found) return found.error();
      if (*found) out.insert(std::move(**found));
    }
    return out;
  }
  auto stmt = conn.prepare(std::string(kSnippetsSql));
  stmt.bind(1, match)
      .bind(2, *std::min_element(ids.begin(), ids.end()))
      .bind(3, *std::max_element(ids.begin(), ids.end()))
      .bind(4, nlohmann::json(ids).dump());
  auto rows = collect_all(stmt, read_snippet);
  if (!rows) return rows.error();
  out.insert(std::make_move_iterator(rows->begin()), std::make_move_iterator(rows->end()));
  return out;
}

const std::string& snips_sql() {
  static const std::string sql =
      "SELECT s.id, " + std::string(kHitColumns) +
      ", s.start_ms, s.end_ms, s.quote_speaker, "
      "snippet(search_snips_fts, -1, char(2), char(3), '…', 32), "
      "bm25(search_snips_fts, 3.0, 1.5, 2.0) "
      "FROM search_snips_fts JOIN snips s ON s.id = search_snips_fts.rowid "
      "JOIN episodes e ON e.id = s.episode_id JOIN podcasts pc ON pc.id = e.podcast_id "
      "WHERE search_snips_fts MATCH ?1 AND s.user_id = ?2" +
      std::string(kScopeSql) + "ORDER BY bm25(search_snips_fts, 3.0, 1.5, 2.0) LIMIT ?6";
  return sql;
}

const std::string& episodes_sql() {
  static const std::string sql = "SELECT e.id, " + std::string(kHitColumns) +
                                 ", 0, 0, '', "
                                 "snippet(search_episodes_fts, -1, char(2), char(3), '…', 32), "
                                 "bm25(search_episodes_fts, 4.0, 1.0) "
                                 "FROM search_episodes_fts "
                                 "JOIN episodes e ON e.id = search_episodes_fts.rowid "
                                 "JOIN podcasts pc ON pc.id = e.podcast_id "
                                 "WHERE search_episodes_fts MATCH ?1" +
                                 std::string(kScopeSql) +
                                 "ORDER BY bm25(search_episodes_fts, 4.0, 1.0) LIMIT ?6";
  return sql;
}

// Document frequencies for hark_bm25 (fts_rank.hpp), per word of the query's phrases. A
// word found in at least kMinSampleHits of the newest kStatsSample passages is given its
// share of that sample (a common word: counting it over the whole index would walk most of
// the index); a rarer word is counted over the whole index, which its short list of rows
// makes cheap. The sample is the newest passages, so a word's weight follows what is being
// indexed now; its estimate is within ~15 % at 50 hits, and idf is a logarithm of it.
constexpr std::int64_t kStatsSample = 20000;
constexpr std::int64_t kMinSampleHits = 50;

constexpr std::string_view kCountMatchesSql =
    "SELECT count(*) FROM search_passages_fts WHERE search_passages_fts MATCH ?1 AND rowid > ?2";

Result<std::int64_t> count_matches(Connection& conn, const std::string& match, Id after) {
  auto stmt = conn.prepare(std::string(kCountMatchesSql));
  stmt.bind(1, match).bind(2, after);
  auto n = collect_one(stmt, [](Row& row) -> Result<std::int64_t> { return row.int64(); });
  if (!n) return n.error();
  return n->value_or(0);
}

struct TermStatistics {
  std::string words;          // hark_bm25's `stats`
  double average_length = 0;  // words per passage in the sample
};

// The statistics arguments: the positive terms' words, in the order FTS5 numbers the
// phrases of fts_expression() (positive terms first; the exclusions, last, weigh nothing),
// and the average passage length (migration 12's `words`).
Result<TermStatistics> term_statistics(Connection& conn, const TextQuery& query) {
  auto max_id = conn.prepare("SELECT coalesce(max(id), 0) FROM search_passages");
  auto newest = collect_one(max_id, [](Row& row) -> Result<Id> { return row.int64(); });
  if (!newest) return newest.error();
  const Id sample_after = std::max<Id>(0, newest->value_or(0) - kStatsSample);
  auto sample = conn.prepare(
      "SELECT count(*), coalesce(avg(words), 0) FROM search_passages "
      "INDEXED BY search_passages_scope WHERE id > ?");
  sample.bind(1, sample_after);
  auto sampled = collect_one(sample, [](Row& row) -> Result<std::pair<std::int64_t, double>> {
    const auto n = row.int64();
    return std::pair<std::int64_t, double>(n, row.real());
  });
  if (!sampled) return sampled.error();
  const auto [sample_size, average] = sampled->value_or(std::pair<std::int64_t, double>(0, 0));
  TermStatistics out;
  out.average_length = average;
  std::string& words = out.words;
  for (const auto& term : query.terms) {
    if (term.exclude) continue;
    if (!words.empty()) words += ';';
    for (std::size_t i = 0; i < term.words.size(); ++i) {
      SearchTerm word{{term.words[i]}, term.prefix && i + 1 == term.words.size(), false};
      const std::string match = fts_term(word);
      auto in_sample = count_matches(conn, match, sample_after);
      if (!in_sample) return in_sample.error();
      char entry[40];
      if (*in_sample >= kMinSampleHits && sample_size > 0) {
        std::snprintf(entry, sizeof entry, " ~%.6g",
                      static_cast<double>(*in_sample) / static_cast<double>(sample_size));
      } else {
        auto all = sample_after > 0 ? count_matches(conn, match, 0) : in_sample;
        if (!all) return all.error();
        std::snprintf(entry, sizeof entry, " =%lld", static_cast<long long>(*all));
      }
      words += entry;
    }
  }
  return out;
}

Result<SearchHit> read_hit(Row& row, HitKind kind, double weight) {
  SearchHit h;
  h.kind = kind;
  h.ref_id = row.int64();
  h.episode_id = row.int64();
  h.podcast_id = row.int64();
  h.podcast_title = row.text();
  h.episode_title = row.text();
  h.published_at = row.opt_int64();
  h.start_ms = row.int64();
  h.end_ms = row.int64();
  h.speaker = row.text();
  h.snippet = row.text();
  h.score = -row.real() * weight;  // bm25() is negative, more negative is better
  return h;
}

// FTS5 reports problems in a query as SQLITE_ERROR; parse_query keeps syntax out, so what
// is left (a term the tokenizer reduces to nothing) is still the searcher's input.
Error query_error(const Error& e) {
  if (e.code == ErrorCode::Internal && (e.message.find("fts5") != std::string::npos ||
                                        e.message.find("syntax") != std::string::npos))
    return invalid_input("the search could not be read: " + e.message);
  return e;
}

std::string encode_vector(const std::vector<float>& v) {
  std::string bytes(v.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), v.data(), bytes.size());
  return bytes;
}

std::vector<float> decode_vector(std::string_view bytes) {
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

Result<StoredPassage> read_passage(Row& row) {
  StoredPassage p;
  p.id = row.int64();
  p.episode_id = row.int64();
  p.seq = row.int32();
  p.passage.start_ms = row.int64();
  p.passage.end_ms = row.int64();
  p.passage.speaker = row.text();
  p.passage.text = row.text();
  return p;
}

constexpr std::string_view kSelectPassage =
    "SELECT id, episode_id, seq, start_ms, end_ms, speaker, text FROM search_passages ";

Result<std::vector<StoredPassage>> read_passages(Connection& conn, Id episode_id) {
  auto stmt = conn.prepare(std::string(kSelectPassage) + "WHERE episode_id = ? ORDER BY seq");
  stmt.bind(1, episode_id);
  return collect_all(stmt, read_passage);
}

// The passages `ids` that exist and are in scope, as hits in no order (score 0, snippet the
// passage's text).
Result<std::vector<SearchHit>> select_passage_hits(Connection& conn, const std::vector<Id>& ids,
                                                   const SearchScope& scope) {
  if (ids.empty()) return std::vector<SearchHit>{};
  auto stmt = conn.prepare(
      "SELECT p.id, " + std::string(kHitColumns) +
      ", p.start_ms, p.end_ms, p.speaker, p.text, 0.0 "
      "FROM search_passages p "
      "JOIN episodes e ON e.id = p.episode_id JOIN podcasts pc ON pc.id = e.podcast_id "
      "WHERE p.id IN (SELECT value FROM json_each(?1))" +
      std::string(kScopeSql) + " AND (?6 = '' OR p.speaker = ?6 COLLATE NOCASE)");
  stmt.bind(1, nlohmann::json(ids).dump());
  bind_scope(stmt, scope);
  stmt.bind(6, scope.speaker);
  return collect_all(stmt,
                     [](Row& row) { return read_hit(row, HitKind::Passage, kPassageWeight); });
}

}  // namespace

Result<std::vector<StoredPassage>> SqliteSearchRepo::replace_episode(
    Id episode_id, const std::vector<Passage>& passages, const std::string& title,
    const std::string& notes) {
  return db_.write([&](Connection& conn) -> Result<std::vector<StoredPassage>> {
    HARK_TRY(require_episode(conn, episode_id));
    HARK_TRY(conn.prepare("INSERT INTO search_episode_docs (episode_id, title, notes) "
                          "VALUES (?, ?, ?) ON CONFLICT (episode_id) DO UPDATE SET "
                          "title = excluded.title, notes = excluded.notes "
                          "WHERE title <> excluded.title OR notes <> excluded.notes")
                 .bind_all(episode_id, title, notes)
                 .run());
    auto stored = read_passages(conn, episode_id);
    if (!stored) return stored.error();
    const bool same =
        stored->size() == passages.size() &&
        std::equal(passages.begin(), passages.end(), stored->begin(),
                   [](const Passage& a, const StoredPassage& b) { return a == b.passage; });
    if (same) return stored;
    HARK_TRY(
        conn.prepare("DELETE FROM search_passages WHERE episode_id = ?").bind(1, episode_id).run());
    for (std::size_t i = 0; i < passages.size(); ++i) {
      const auto& p = passages[i];
      HARK_TRY(conn.prepare("INSERT INTO search_passages "
                            "(episode_id, seq, start_ms, end_ms, speaker, text) "
                            "VALUES (?, ?, ?, ?, ?, ?)")
                   .bind_all(episode_id, static_cast<std::int64_t>(i), p.start_ms, p.end_ms,
                             p.speaker, p.text)
                   .run());
    }
    return read_passages(conn, episode_id);
  });
}

Result<std::vector<StoredPassage>> SqliteSearchRepo::passages(Id episode_id) {
  return db_.read([&](Connection& conn) { return read_passages(conn, episode_id); });
}

Result<std::vector<SearchHit>> SqliteSearchRepo::lexical(const TextQuery& query,
                                                         const SearchScope& scope, int limit,
                                                         int rank_window) {
  if (query.terms.empty()) return invalid_input("nothing to search for");
  const std::string match = fts_expression(query);
  auto hits = db_.read([&](Connection& conn) -> Result<std::vector<SearchHit>> {
    auto snapshot = ReadSnapshot::begin(conn);
    if (!snapshot) return snapshot.error();
    auto stats = term_statistics(conn, query);
    if (!stats) return stats.error();
    std::vector<std::pair<Id, double>> ranked;  // passage id, hark_bm25 (negative)
    {
      auto stmt = conn.prepare(ranked_passages_sql());
      stmt.bind(1, match);
      bind_scope(stmt, scope);
      stmt.bind(6, scope.speaker).bind(7, limit).bind(8, rank_window > 0 ? rank_window : -1);
      stmt.bind(9, stats->words).bind(10, stats->average_length);
      auto rows = collect_all(stmt, [](Row& row) -> Result<std::pair<Id, double>> {
        const Id id = row.int64();
        return std::pair<Id, double>(id, row.real());
      });
      if (!rows) return rows.error();
      ranked = std::move(*rows);
    }
    std::vector<Id> ids;
    for (const auto& [id, rank] : ranked) ids.push_back(id);
    auto passages = select_passage_hits(conn, ids, scope);
    if (!passages) return passages.error();
    for (auto& h : *passages) {
      const auto it = std::find_if(ranked.begin(), ranked.end(),
                                   [&](const auto& r) { return r.first == h.ref_id; });
      h.score = it == ranked.end() ? 0 : -it->second * kPassageWeight;
    }
    auto snippets = passage_snippets(conn, query, match, ids);
    if (!snippets) return snippets.error();
    for (auto& h : *passages) h.snippet = std::move((*snippets)[h.ref_id]);
    std::vector<SearchHit> all = std::move(*passages);
    if (!scope.speaker.empty()) return all;
    if (scope.user_id) {
      auto stmt = conn.prepare(snips_sql());
      stmt.bind(1, match);
      bind_scope(stmt, scope);
      stmt.bind(6, limit);
      auto rows =
          collect_all(stmt, [](Row& row) { return read_hit(row, HitKind::Snip, kSnipWeight); });
      if (!rows) return rows.error();
      all.insert(all.end(), rows->begin(), rows->end());
    }
    {
      auto stmt = conn.prepare(episodes_sql());
      stmt.bind(1, match);
      bind_scope(stmt, scope);
      stmt.bind(6, limit);
      auto rows = collect_all(
          stmt, [](Row& row) { return read_hit(row, HitKind::Episode, kEpisodeWeight); });
      if (!rows) return rows.error();
      all.insert(all.end(), rows->begin(), rows->end());
    }
    return all;
  });
  if (!hits) return query_error(hits.error());
  std::stable_sort(hits->begin(), hits->end(),
                   [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  if (limit >= 0 && hits->size() > static_cast<std::size_t>(limit)) hits->resize(limit);
  return hits;
}

Result<std::vector<SearchHit>> SqliteSearchRepo::passage_hits(const std::vector<Id>& ids,
                                                              const SearchScope& scope) {
  auto rows = db_.read([&](Connection& conn) { return select_passage_hits(conn, ids, scope); });
  if (!rows) return rows.error();
  std::unordered_map<Id, std::size_t> order;
  for (std::size_t i = 0; i < ids.size(); ++i) order.emplace(ids[i], i);
  std::sort(rows->begin(), rows->end(), [&](const SearchHit& a, const SearchHit& b) {
    return order[a.ref_id] < order[b.ref_id];
  });
  return rows;
}

Status SqliteSearchRepo::put_vectors(const std::string& model, int dims,
                                     const std::vector<StoredVector>& vectors) {
  for (const auto& v : vectors) {
    if (static_cast<int>(v.vector.size()) != dims)
      return invalid_input("a vector of passage " + std::to_string(v.passage_id) + " has " +
                           std::to_string(v.vector.size()) + " dimensions, not " +
                           std::to_string(dims));
  }
  return db_.write([&](Connection& conn) -> Status {
    for (const auto& v : vectors) {
      HARK_TRY(
          conn.prepare("INSERT OR REPLACE INTO search_vectors (passage_id, model, dims, vector) "
                       "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS "
                       "(SELECT 1 FROM search_passages WHERE id = ?1)")
              .bind(1, v.passage_id)
              .bind(2, model)
              .bind(3, dims)
              .bind_blob(4, encode_vector(v.vector))
              .run());
    }
    return ok();
  });
}

Result<std::vector<StoredVector>> SqliteSearchRepo::vectors(const std::string& model, Id after,
                                                            int limit) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(
        "SELECT passage_id, vector FROM search_vectors WHERE model = ? AND passage_id > ? "
        "ORDER BY passage_id LIMIT ?");
    stmt.bind_all(model, after, limit);
    return collect_all(stmt, [&stmt](Row& row) -> Result<StoredVector> {
      StoredVector v;
      v.passage_id = row.int64();
      v.vector = decode_vector(stmt.blob(1));
      return v;
    });
  });
}

Result<std::optional<StoredVector>> SqliteSearchRepo::vector(const std::string& model,
                                                             Id passage_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(
        "SELECT passage_id, vector FROM search_vectors WHERE model = ? AND passage_id = ?");
    stmt.bind_all(model, passage_id);
    return collect_one(stmt, [&stmt](Row& row) -> Result<StoredVector> {
      StoredVector v;
      v.passage_id = row.int64();
      v.vector = decode_vector(stmt.blob(1));
      return v;
    });
  });
}

Result<std::vector<StoredPassage>> SqliteSearchRepo::passages_without_vector(
    const std::string& model, std::optional<Id> episode_id, int limit) {
  // Two statements, so one episode's passages are found by the (episode_id, seq) index
  // instead of a scan of every passage (the index step runs this once per episode).
  return db_.read([&](Connection& conn) {
    constexpr std::string_view kSelect =
        "SELECT p.id, p.episode_id, p.seq, p.start_ms, p.end_ms, p.speaker, p.text "
        "FROM search_passages p LEFT JOIN search_vectors v ON v.passage_id = p.id "
        "WHERE (v.passage_id IS NULL OR v.model <> ?1) ";
    if (episode_id) {
      auto stmt =
          conn.prepare(std::string(kSelect) + "AND p.episode_id = ?2 ORDER BY p.id LIMIT ?3");
      stmt.bind_all(model, *episode_id, limit);
      return collect_all(stmt, read_passage);
    }
    auto stmt = conn.prepare(std::string(kSelect) + "ORDER BY p.id LIMIT ?2");
    stmt.bind_all(model, limit);
    return collect_all(stmt, read_passage);
  });
}

Result<std::vector<Id>> SqliteSearchRepo::vector_ids(const std::string& model) {
  return db_.read([&](Connection& conn) {
    auto stmt =
        conn.prepare("SELECT passage_id FROM search_vectors WHERE model = ? ORDER BY passage_id");
    stmt.bind(1, model);
    return collect_all(stmt, [](Row& row) -> Result<Id> { return row.int64(); });
  });
}

}  // namespace hark::store::sqlite
