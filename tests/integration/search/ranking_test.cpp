// How lexical search ranks passages: hark_bm25 (store/sqlite/fts_rank.hpp) against FTS5's
// own bm25() on real SQLite, and the term statistics SqliteSearchRepo gives it, on a library
// large enough that common words are estimated from a sample.
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "search/query.hpp"
#include "search_fixture.hpp"
#include "store/sqlite/fts_rank.hpp"

namespace hark::app::testing {
namespace {

// A second connection to the fixture's library, with hark_bm25 registered.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    EXPECT_TRUE(store::sqlite::register_fts_rank(db_));
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Each row of `sql` (bound to `params`) as doubles; empty with `error` set on failure.
  std::vector<std::vector<double>> rows(const std::string& sql,
                                        const std::vector<std::string>& params = {}) {
    error.clear();
    std::vector<std::vector<double>> out;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      error = sqlite3_errmsg(db_);
      return out;
    }
    for (std::size_t i = 0; i < params.size(); ++i)
      sqlite3_bind_text(stmt, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<double> row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c)
        row.push_back(sqlite3_column_double(stmt, c));
      out.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) error = sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return out;
  }

  long long count(const std::string& match) {
    auto r =
        rows("SELECT count(*) FROM search_passages_fts WHERE search_passages_fts MATCH ?", {match});
    return r.empty() ? -1 : static_cast<long long>(r[0][0]);
  }

  std::string error;

 private:
  sqlite3* db_ = nullptr;
};

class FtsRankTest : public SearchFixture {};

// Given each word's exact document frequency (or the same as a fraction of the rows), and
// no lengths of its own, hark_bm25 is FTS5's bm25(): same idf, k1, b and lengths.
TEST_F(FtsRankTest, EqualsBm25GivenExactFrequencies) {
  RawDb db(dir_ / "hark.db");
  const double rows = static_cast<double>(db.rows("SELECT count(*) FROM search_passages")[0][0]);
  ASSERT_GT(rows, 0);
  for (const std::string words : {"interest", "bread", "the", "interest credit"}) {
    auto query = search::parse_query(words);
    ASSERT_TRUE(query);
    std::string match, exact, fraction;
    for (const auto& term : query->terms) {
      const std::string phrase = "\"" + term.words[0] + "\"";
      const long long df = db.count(phrase);
      ASSERT_GT(df, 0) << phrase;
      match += (match.empty() ? "" : " OR ") + phrase;
      exact += (exact.empty() ? "=" : ";=") + std::to_string(df);
      char f[40];
      std::snprintf(f, sizeof f, "%.17g", static_cast<double>(df) / rows);
      fraction += (fraction.empty() ? "~" : ";~") + std::string(f);
    }
    const auto scored = db.rows(
        "SELECT bm25(search_passages_fts), hark_bm25(search_passages_fts, ?2), "
        "hark_bm25(search_passages_fts, ?3) FROM search_passages_fts "
        "WHERE search_passages_fts MATCH ?1",
        {match, exact, fraction});
    ASSERT_TRUE(db.error.empty()) << db.error;
    ASSERT_FALSE(scored.empty()) << words;
    for (const auto& row : scored) {
      EXPECT_NEAR(row[1], row[0], 1e-9) << words;
      EXPECT_NEAR(row[2], row[0], 1e-9) << words;
      EXPECT_LT(row[1], 0) << words;
    }
  }
}

TEST_F(FtsRankTest, LengthsGivenReplaceFts5sAndMalformedStatisticsAreAnError) {
  RawDb db(dir_ / "hark.db");
  // A longer passage weighs a match less; a length of 0 falls back to FTS5's lengths.
  const std::string df = "=" + std::to_string(db.count("bread"));
  const auto scored = db.rows(
      "SELECT hark_bm25(search_passages_fts, ?1, 10, 10), "
      "hark_bm25(search_passages_fts, ?1, 40, 10), "
      "hark_bm25(search_passages_fts, ?1, 0, 10), bm25(search_passages_fts) "
      "FROM search_passages_fts WHERE search_passages_fts MATCH 'bread'",
      {df});
  ASSERT_TRUE(db.error.empty()) << db.error;
  ASSERT_FALSE(scored.empty());
  for (const auto& row : scored) {
    EXPECT_LT(row[0], row[1]);  // more negative: better
    EXPECT_NEAR(row[2], row[3], 1e-9);
  }
  for (const std::string bad : {"x", "=", "=abc", "~-1", "=1 2"}) {
    db.rows(
        "SELECT hark_bm25(search_passages_fts, ?1) FROM search_passages_fts "
        "WHERE search_passages_fts MATCH 'bread'",
        {bad});
    EXPECT_NE(db.error.find("malformed term statistics"), std::string::npos) << bad;
  }
  db.rows(
      "SELECT hark_bm25(search_passages_fts) FROM search_passages_fts "
      "WHERE search_passages_fts MATCH 'bread'");
  EXPECT_NE(db.error.find("hark_bm25"), std::string::npos) << db.error;
}

// A library of more passages than the statistics sample: words common in the newest
// passages are estimated from them, rare ones counted. hark's ranking of multi-word queries
// agrees with FTS5's bm25() over the whole index (the passages' words are single-spaced, so
// the index's lengths and hark's are the same counts).
class SampledRankingTest : public SearchFixture {
 protected:
  void SetUp() override {
    SearchFixture::SetUp();
    Episode e;
    e.key = "big";
    e.title = "A long run of passages";
    e.published_at = parse_date("2025-02-01");
    auto counts = store_->episodes().upsert(bread_podcast_, {e});
    ASSERT_TRUE(counts && counts->added_ids.size() == 1);
    // 24,000 passages of 8 to 40 words: "alpha" in about three in four, "gamma" in one in
    // three, "delta" in one in 125, "omega" in 30 (15 of them as "alpha omega" at the end);
    // the rest filler words.
    std::mt19937 rng(7);
    std::vector<std::string> filler;
    for (int i = 0; i < 300; ++i) filler.push_back("w" + std::to_string(i));
    std::vector<Passage> passages;
    for (int i = 0; i < 24'000; ++i) {
      Passage p;
      p.start_ms = i * 30'000LL;
      p.end_ms = p.start_ms + 30'000;
      const int length = 8 + static_cast<int>(rng() % 33);
      for (int w = 0; w < length; ++w) {
        const auto r = rng() % 1000;
        std::string word = filler[rng() % filler.size()];
        if (r < 60)
          word = "alpha";
        else if (r < 80)
          word = "gamma";
        else if (r < 81 && rng() % 3 == 0)
          word = "delta";
        if (!p.text.empty()) p.text += ' ';
        p.text += word;
      }
      if (i % 800 == 5) p.text += i % 1600 == 5 ? " alpha omega" : " omega";
      passages.push_back(std::move(p));
    }
    ASSERT_TRUE(store_->search().replace_episode(counts->added_ids.front(), passages, e.title, ""));
  }

  // hark's lexical search (every match ranked): passage id -> score, best `limit`.
  std::vector<std::pair<Id, double>> hark_ranking(const std::string& text, int limit) {
    auto query = search::parse_query(text);
    EXPECT_TRUE(query);
    SearchScope scope;
    scope.user_id = user_;
    auto hits = store_->search().lexical(*query, scope, limit, 0);
    EXPECT_TRUE(hits) << hits.error().message;
    std::vector<std::pair<Id, double>> out;
    if (hits)
      for (const auto& h : *hits)
        if (h.kind == HitKind::Passage) out.emplace_back(h.ref_id, h.score);
    return out;
  }
  // FTS5's bm25() of every match (negated: larger is better, as hark's scores).
  std::map<Id, double> bm25_scores(RawDb& db, const std::string& match) {
    std::map<Id, double> out;
    for (const auto& row : db.rows("SELECT rowid, bm25(search_passages_fts) FROM "
                                   "search_passages_fts WHERE search_passages_fts MATCH ?1",
                                   {match}))
      out[static_cast<Id>(row[0])] = -row[1];
    return out;
  }
};

TEST_F(SampledRankingTest, MultiWordQueriesRankAsBm25OverTheWholeIndex) {
  RawDb db(dir_ / "hark.db");
  ASSERT_GT(db.count("alpha"), 10'000);
  ASSERT_EQ(db.count("omega"), 30);
  for (const auto& [text, match] :
       std::map<std::string, std::string>{{"alpha omega", "alpha AND omega"},
                                          {"alpha delta", "alpha AND delta"},
                                          {"gamma delta", "gamma AND delta"},
                                          {"alpha gamma", "alpha AND gamma"}}) {
    // The best ten by bm25() are hark's best ten, and hark's scores are within 2 % of
    // bm25()'s: the sample's estimates move the scores (and may swap near ties), no more.
    const auto hark = hark_ranking(text, 10);
    const auto bm25 = bm25_scores(db, match);
    ASSERT_EQ(hark.size(), 10u) << text;
    std::vector<std::pair<double, Id>> best;
    for (const auto& [id, score] : bm25) best.emplace_back(score, id);
    std::sort(best.rbegin(), best.rend());
    std::set<Id> top_bm25, top_hark;
    for (int i = 0; i < 10; ++i) top_bm25.insert(best[i].second);
    for (const auto& [id, score] : hark) {
      top_hark.insert(id);
      ASSERT_TRUE(bm25.count(id)) << text << ": " << id;
      EXPECT_NEAR(score, bm25.at(id), 0.02 * bm25.at(id)) << text << ": " << id;
    }
    EXPECT_EQ(top_hark, top_bm25) << text;
  }
}

// A phrase weighs the sum of its words' idf (Lucene's phrase weight; FTS5's bm25() would
// count the phrase over the whole index): every passage with the phrase is found, best
// first, with the phrase marked in its snippet, and none with the words apart.
TEST_F(SampledRankingTest, PhrasesMatchExactlyAndRankBestFirst) {
  auto query = search::parse_query("\"alpha omega\"");
  ASSERT_TRUE(query);
  SearchScope scope;
  scope.user_id = user_;
  auto hits = store_->search().lexical(*query, scope, 50, 0);
  ASSERT_TRUE(hits) << hits.error().message;
  RawDb db(dir_ / "hark.db");
  EXPECT_EQ(static_cast<long long>(hits->size()), db.count("\"alpha omega\""));
  EXPECT_GE(hits->size(), 15u);
  for (std::size_t i = 1; i < hits->size(); ++i) EXPECT_GE((*hits)[i - 1].score, (*hits)[i].score);
  for (const auto& h : *hits) {
    EXPECT_GT(h.score, 0);
    EXPECT_NE(h.snippet.find(std::string(1, kMarkOpen) + "alpha omega"), std::string::npos)
        << h.snippet;
  }
}

}  // namespace
}  // namespace hark::app::testing
