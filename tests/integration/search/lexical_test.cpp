// Full-text search over real SQLite (FTS5) with the fixture transcripts: phrases, stemming,
// prefixes, exclusions, filters, per-user scope, snips and show notes, deletion, hostile
// input.
#include <sqlite3.h>

#include <algorithm>

#include "search/hit_json.hpp"
#include "search_fixture.hpp"

namespace hark::app::testing {
namespace {

const SearchHit* first_of(const SearchResponse& r, HitKind kind) {
  for (const auto& hit : r.hits)
    if (hit.kind == kind) return &hit;
  return nullptr;
}

class LexicalTest : public SearchFixture {};

TEST_F(LexicalTest, ExactPhraseLandsOnTheMomentWithSpeakerTimesAndMarks) {
  auto r = run("\"rose beautifully\"");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_FALSE(r->hits.empty());
  const auto& hit = r->hits.front();
  EXPECT_EQ(hit.kind, HitKind::Passage);
  EXPECT_EQ(hit.episode_id, bread_);
  EXPECT_EQ(hit.podcast_id, bread_podcast_);
  EXPECT_EQ(hit.start_ms, 24'000);
  EXPECT_EQ(hit.end_ms, 50'000);
  EXPECT_EQ(hit.speaker, "Ben Okafor");
  EXPECT_EQ(hit.podcast_title, "Kitchen Table");
  EXPECT_EQ(hit.episode_title, "Patience and bread");
  EXPECT_NE(search::snippet_html(hit.snippet).find("<mark>rose beautifully</mark>"),
            std::string::npos)
      << search::snippet_html(hit.snippet);
  EXPECT_GT(hit.score, 0);
}

TEST_F(LexicalTest, PhraseWordOrderMatters) {
  auto r = run("\"beautifully rose\"");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->hits.empty());
}

TEST_F(LexicalTest, StemmedWordFindsOtherFormsOfIt) {
  auto r = run("baking");  // the transcript says "baked"
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits.front().episode_id, bread_);
  EXPECT_EQ(r->hits.front().start_ms, 24'000);
  EXPECT_NE(search::snippet_text(r->hits.front().snippet).find("baked"), std::string::npos);
  EXPECT_NE(r->hits.front().snippet.find(std::string(1, kMarkOpen) + "baked"), std::string::npos);
}

TEST_F(LexicalTest, PrefixAndExclusion) {
  auto prefix = run("sourd*");
  ASSERT_TRUE(prefix) << prefix.error().message;
  ASSERT_FALSE(prefix->hits.empty());
  EXPECT_EQ(prefix->hits.front().start_ms, 0);
  EXPECT_EQ(prefix->hits.front().episode_id, bread_);

  auto both = run("interest");
  ASSERT_TRUE(both);
  int passages = 0;
  for (const auto& h : both->hits) passages += h.kind == HitKind::Passage ? 1 : 0;
  EXPECT_EQ(passages, 2);
  auto excluded = run("interest -credit");
  ASSERT_TRUE(excluded);
  ASSERT_EQ(excluded->hits.size(), 1u);
  EXPECT_EQ(excluded->hits.front().start_ms, 0);
  EXPECT_EQ(excluded->hits.front().speaker, "Cleo Park");
}

TEST_F(LexicalTest, FiltersByPodcastDateAndSpeaker) {
  SearchScope scope;
  scope.podcast_id = money_podcast_;
  auto r = run("the", SearchMode::Lexical, scope);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_FALSE(r->hits.empty());
  for (const auto& h : r->hits) EXPECT_EQ(h.podcast_id, money_podcast_);

  scope = {};
  scope.since = parse_date("2025-01-01");
  r = run("the", SearchMode::Lexical, scope);
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->hits.empty());
  for (const auto& h : r->hits) EXPECT_EQ(h.episode_id, money_);

  scope = {};
  scope.until = parse_date("2025-01-01");
  r = run("the", SearchMode::Lexical, scope);
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->hits.empty());
  for (const auto& h : r->hits) EXPECT_EQ(h.episode_id, bread_);

  scope = {};
  scope.speaker = "ben okafor";
  r = run("the", SearchMode::Lexical, scope);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->hits.size(), 2u);
  for (const auto& h : r->hits) EXPECT_EQ(h.speaker, "Ben Okafor");
}

TEST_F(LexicalTest, ShowNotesAreSearchedAsPlainText) {
  auto r = run("crackling crust");
  ASSERT_TRUE(r) << r.error().message;
  const auto* hit = first_of(*r, HitKind::Episode);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->episode_id, bread_);
  const auto text = search::snippet_text(hit->snippet);
  EXPECT_EQ(text.find('<'), std::string::npos) << text;
  EXPECT_NE(text.find("bread & the joy"), std::string::npos) << text;
  // Tag names are not words of the notes.
  auto tags = run("b");
  ASSERT_TRUE(tags);
  EXPECT_EQ(first_of(*tags, HitKind::Episode), nullptr);
}

TEST_F(LexicalTest, OnlyTheUsersPodcastsAndOwnSnips) {
  store::Snip snip;
  snip.user_id = user_;
  snip.episode_id = money_;
  snip.start_ms = 52'000;
  snip.end_ms = 78'000;
  snip.title = "Fees are a silent tax";
  snip.note = "remember to check my pension provider";
  auto mine = store_->snips().insert(snip);
  ASSERT_TRUE(mine);
  snip.user_id = other_user_;
  snip.note = "pension for bo";
  ASSERT_TRUE(store_->snips().insert(snip));

  auto r = run("pension");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->hits.size(), 1u);
  EXPECT_EQ(r->hits.front().kind, HitKind::Snip);
  EXPECT_EQ(r->hits.front().ref_id, mine->id);
  EXPECT_EQ(r->hits.front().start_ms, 52'000);

  // A note edited later is found by its new words only.
  ASSERT_TRUE(store_->snips().update_note(user_, mine->id, "ask about annuities"));
  r = run("pension");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->hits.empty());
  r = run("annuities");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->hits.size(), 1u);

  // bo subscribes to nothing: no podcast's passages, and only bo's own snips would show
  // (bo's snip is in a podcast bo does not subscribe to, so nothing).
  SearchScope scope;
  scope.user_id = other_user_;
  r = run("interest", SearchMode::Lexical, scope);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->hits.empty());
}

TEST_F(LexicalTest, DeletedEpisodeIsNoLongerFound) {
  ASSERT_FALSE(run("sourdough")->hits.empty());
  ASSERT_TRUE(store_->podcasts().remove(bread_podcast_));
  auto r = run("sourdough");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->hits.empty());
  r = run("crackling");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->hits.empty());
  // The full-text index itself holds nothing of it (FTS5's own consistency check passes).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "hark.db").c_str(), &db), SQLITE_OK);
  for (const char* sql :
       {"INSERT INTO search_passages_fts (search_passages_fts) VALUES ('integrity-check')",
        "INSERT INTO search_episodes_fts (search_episodes_fts) VALUES ('integrity-check')",
        "INSERT INTO search_snips_fts (search_snips_fts) VALUES ('integrity-check')"}) {
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db);
  }
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT count(*) FROM search_passages_fts "
                               "WHERE search_passages_fts MATCH 'sourdough'",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(LexicalTest, ReindexingAnUnchangedEpisodeKeepsItsPassages) {
  auto before = store_->search().passages(bread_);
  ASSERT_TRUE(before);
  ASSERT_EQ(before->size(), 4u);
  auto stats = search_->reindex();
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->episodes, 2);
  EXPECT_EQ(stats->passages, 7);
  auto after = store_->search().passages(bread_);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), before->size());
  for (std::size_t i = 0; i < after->size(); ++i) EXPECT_EQ((*after)[i].id, (*before)[i].id);
  auto r = run("sourdough");
  ASSERT_TRUE(r);
  EXPECT_EQ(std::count_if(r->hits.begin(), r->hits.end(),
                          [](const SearchHit& h) { return h.kind == HitKind::Passage; }),
            1);
}

TEST_F(LexicalTest, HostileQueriesGiveAClearErrorOrResultsNeverAnInternalError) {
  const std::vector<std::string> hostile = {
      "\"unbalanced quote",
      "a\"b\"c\"",
      "NEAR(bread loaves, 2)",
      "text:bread",
      "^bread",
      "bread AND OR NOT",
      "(((bread",
      "bread)))",
      "*",
      "-",
      "--bread",
      "bread*******",
      "\"\" \"\"",
      "{bread}",
      "bread + dough",
      "🍞 bread",
      "🍞",
      std::string("bread\0dough", 11),
      "\xff\xfe bread",
      "the of and a",
      "'; DROP TABLE episodes; --",
      std::string(10 * 1024, 'x'),
      std::string(999, ' ') + "b",
      "",
      "   ",
  };
  for (const auto& q : hostile) {
    auto r = run(q);
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::InvalidInput)
          << q.substr(0, 40) << ": " << r.error().message;
      EXPECT_FALSE(r.error().message.empty());
    }
  }
  EXPECT_FALSE(run("")) << "empty";
  EXPECT_NE(run("").error().message.find("nothing to search for"), std::string::npos);
  EXPECT_FALSE(run(std::string(10 * 1024, 'x')));
  EXPECT_NE(run(std::string(10 * 1024, 'x')).error().message.find("too long"), std::string::npos);
  EXPECT_FALSE(run("-bread"));
  auto stop_words = run("the of and a");
  ASSERT_TRUE(stop_words);
  EXPECT_FALSE(stop_words->hits.empty());
  auto unbalanced = run("\"rose beautifully");
  ASSERT_TRUE(unbalanced);
  ASSERT_FALSE(unbalanced->hits.empty());
  EXPECT_EQ(unbalanced->hits.front().start_ms, 24'000);
  // The library is intact after all of it.
  auto intact = store_->integrity_check();
  ASSERT_TRUE(intact);
  EXPECT_EQ(*intact, "ok");
  EXPECT_FALSE(run("sourdough")->hits.empty());
}

TEST_F(LexicalTest, HybridWithoutAnEmbeddingServiceIsLexicalAndSaysSo) {
  auto r = run("sourdough", SearchMode::Hybrid);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->mode, SearchMode::Lexical);
  EXPECT_NE(r->notice.find("no embedding service"), std::string::npos);
  EXPECT_FALSE(r->hits.empty());
  auto semantic = run("sourdough", SearchMode::Semantic);
  ASSERT_FALSE(semantic);
  EXPECT_EQ(semantic.error().code, ErrorCode::Unavailable);
  EXPECT_NE(semantic.error().message.find("[embeddings]"), std::string::npos);
}

}  // namespace
}  // namespace hark::app::testing
