// Full-text search over real SQLite (FTS5) with the fixture transcripts: phrases, stemming,
// prefixes, exclusions, filters, per-user scope, snips and show notes, deletion, hostile
// input.
#include <sqlite3.h>

#include <algorithm>
#include <set>

#include "search/hit_json.hpp"
#include "search/query.hpp"
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
  EXPECT_NE(prefix->hits.front().snippet.find(std::string(1, kMarkOpen) + "sourdough"),
            std::string::npos)
      << prefix->hits.front().snippet;

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

// The rank window: a query matching more passages in scope than the window ranks the newest
// matches in scope only (by passage id), with phrases, exclusions and snippets intact.
class RankWindowTest : public SearchFixture {
 protected:
  // An episode of `podcast` whose passages are `texts`, 30 s each; their ids in order.
  std::vector<Id> add_passages(Id podcast, const std::string& title,
                               const std::vector<std::string>& texts) {
    Episode e;
    e.key = title;
    e.title = title;
    e.published_at = parse_date("2025-01-01");
    auto counts = store_->episodes().upsert(podcast, {e});
    EXPECT_TRUE(counts && counts->added_ids.size() == 1);
    std::vector<Passage> passages;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      Passage p;
      p.start_ms = static_cast<Millis>(i) * 30'000;
      p.end_ms = p.start_ms + 30'000;
      p.speaker = "Host";
      p.text = texts[i];
      passages.push_back(p);
    }
    auto stored = store_->search().replace_episode(counts->added_ids.front(), passages, title, "");
    EXPECT_TRUE(stored);
    std::vector<Id> ids;
    if (stored)
      for (const auto& p : *stored) ids.push_back(p.id);
    return ids;
  }

  std::vector<Id> passage_ids(const Result<std::vector<SearchHit>>& hits) {
    std::vector<Id> ids;
    EXPECT_TRUE(hits) << (hits ? "" : hits.error().message);
    if (hits)
      for (const auto& h : *hits)
        if (h.kind == HitKind::Passage) ids.push_back(h.ref_id);
    return ids;
  }

  Result<std::vector<SearchHit>> lexical(const std::string& text, int window, SearchScope scope,
                                         int limit = 20) {
    auto query = search::parse_query(text);
    if (!query) return query.error();
    return store_->search().lexical(*query, scope, limit, window);
  }

  void SetUp() override {
    SearchFixture::SetUp();
    // Older: the passage that says "kettle" most, and one that also says "stove".
    old_ = add_passages(bread_podcast_, "Old kettle talk",
                        {"kettle kettle kettle kettle, the kettle again", "a kettle on the stove"});
    // Newer, in the other podcast: four more matches, one better than the others.
    new_ = add_passages(money_podcast_, "New kettle talk",
                        {"a kettle", "the kettle sang twice, kettle and kettle", "one kettle",
                         "kettle on a stove"});
    scope_.user_id = user_;
  }

  std::vector<Id> old_, new_;
  SearchScope scope_;
};

TEST_F(RankWindowTest, EveryMatchRankedWithoutAWindowOrWhenFewerMatch) {
  for (int window : {0, 6, 100}) {
    const auto ids = passage_ids(lexical("kettle", window, scope_));
    ASSERT_EQ(ids.size(), 6u) << window;
    EXPECT_EQ(ids.front(), old_[0]) << window;  // the best of all, though the oldest
  }
}

TEST_F(RankWindowTest, ACommonWordRanksTheNewestMatchesBestFirst) {
  auto hits = lexical("kettle", 3, scope_);
  const auto ids = passage_ids(hits);
  // The newest three matches, the one saying it three times first.
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids.front(), new_[1]);
  EXPECT_EQ(std::set<Id>(ids.begin(), ids.end()), (std::set<Id>{new_[1], new_[2], new_[3]}));
  for (const auto& h : *hits)
    EXPECT_NE(h.snippet.find(std::string(1, kMarkOpen) + "kettle"), std::string::npos) << h.snippet;
  // The hybrid depth and the page ask for the same ranking.
  EXPECT_EQ(passage_ids(lexical("kettle", 3, scope_, 2)), (std::vector<Id>{ids[0], ids[1]}));
}

TEST_F(RankWindowTest, PhrasesAndExclusionsHoldInTheWindow) {
  // The window is counted in matches of the whole query, so excluded passages do not use it up.
  const auto excluded = passage_ids(lexical("kettle -stove", 3, scope_));
  EXPECT_EQ(std::set<Id>(excluded.begin(), excluded.end()),
            (std::set<Id>{new_[0], new_[1], new_[2]}));
  const auto phrase = passage_ids(lexical("\"kettle sang\"", 1, scope_));
  EXPECT_EQ(phrase, (std::vector<Id>{new_[1]}));
  const auto prefix = passage_ids(lexical("kett*", 2, scope_));
  EXPECT_EQ(std::set<Id>(prefix.begin(), prefix.end()), (std::set<Id>{new_[2], new_[3]}));
}

TEST_F(RankWindowTest, TheWindowCountsMatchesInScope) {
  // A podcast filter: the window is that podcast's newest matches. Two in the old podcast,
  // so both are ranked and its best is found.
  SearchScope podcast = scope_;
  podcast.podcast_id = bread_podcast_;
  auto ids = passage_ids(lexical("kettle", 3, podcast));
  EXPECT_EQ(ids, (std::vector<Id>{old_[0], old_[1]}));
  // The newer podcast's newest two, not its best (new_[1]).
  podcast.podcast_id = money_podcast_;
  ids = passage_ids(lexical("kettle", 2, podcast));
  EXPECT_EQ(std::set<Id>(ids.begin(), ids.end()), (std::set<Id>{new_[2], new_[3]}));
  // bo follows only the podcast of the old passages, which the library's newest three leave
  // out: bo's window is bo's newest three.
  ASSERT_TRUE(store_->subscriptions().subscribe(other_user_, bread_podcast_));
  SearchScope bo;
  bo.user_id = other_user_;
  ids = passage_ids(lexical("kettle", 3, bo));
  EXPECT_EQ(ids, (std::vector<Id>{old_[0], old_[1]}));
}

TEST_F(RankWindowTest, TheServiceRanksWithItsConfiguredWindow) {
  SearchServiceOptions options;
  options.rank_window = 3;
  SearchService windowed(*store_, options);
  SearchRequest request;
  request.query = "kettle";
  request.mode = SearchMode::Lexical;
  request.scope = scope_;
  auto r = windowed.search(request);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits.front().ref_id, new_[1]);
  // The default window holds every match of this small library.
  EXPECT_EQ(SearchServiceOptions{}.rank_window, kDefaultRankWindow);
  r = search_->search(request);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->hits.front().ref_id, old_[0]);
}

// Opening the vector index lists one model's vector ids: read from an index on (model,
// passage_id), not by reading every vector.
TEST_F(LexicalTest, VectorIdsOfAModelComeFromTheirIndex) {
  auto passages = store_->search().passages(bread_);
  ASSERT_TRUE(passages);
  ASSERT_GE(passages->size(), 3u);
  const auto& p = *passages;
  ASSERT_TRUE(store_->search().put_vectors("model-a", 2, {{p[0].id, {1, 0}}, {p[2].id, {0, 1}}}));
  ASSERT_TRUE(store_->search().put_vectors("model-b", 2, {{p[1].id, {1, 1}}}));
  auto a = store_->search().vector_ids("model-a");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, (std::vector<Id>{p[0].id, p[2].id}));
  auto b = store_->search().vector_ids("model-b");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, (std::vector<Id>{p[1].id}));

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ / "hark.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "EXPLAIN QUERY PLAN SELECT passage_id FROM search_vectors "
                               "WHERE model = 'model-a' ORDER BY passage_id",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  std::string plan;
  while (sqlite3_step(stmt) == SQLITE_ROW)
    plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)) + std::string("\n");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_NE(plan.find("COVERING INDEX search_vectors_by_model"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

}  // namespace
}  // namespace hark::app::testing
