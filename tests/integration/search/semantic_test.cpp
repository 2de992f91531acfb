// Meaning search, hybrid search and similar moments with the REAL local embedding model
// (scripts/embeddings-service: multilingual-e5-small), and the HNSW index file: persisted,
// rebuilt with a warning when damaged or missing, rebuilt when the model changes.
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "net/http_client.hpp"
#include "search_fixture.hpp"

namespace hark::app::testing {
namespace {

namespace fs = std::filesystem;

std::string service_url() {
  const char* dir = std::getenv("HARK_EMBEDDINGS_RUN_DIR");
  if (dir == nullptr) return {};
  auto url = hark::testing::read_file(fs::path(dir) / "url");
  while (!url.empty() && (url.back() == '\n' || url.back() == ' ')) url.pop_back();
  return url;
}

class SemanticTest : public SearchFixture {
 protected:
  void SetUp() override {
    const auto url = service_url();
    ASSERT_FALSE(url.empty()) << "the embeddings_service fixture did not start the service";
    net::Policy policy;
    policy.allow_private_networks = true;
    http_ = net::make_http_client(policy);
    llm::EmbeddingEndpoint endpoint;
    endpoint.url = url + "/v1";
    endpoint.model = "multilingual-e5-small";
    embedder_ = std::make_unique<llm::OpenAiEmbedder>(*http_, endpoint);
    SearchFixture::SetUp();
    if (HasFatalFailure()) return;
    reopen();
  }

  // A service over the same store, as a new process would make it.
  void reopen() {
    search_.reset();
    SearchServiceOptions options;
    options.embedder = embedder_.get();
    options.vector_index_path = dir_ / "search" / "vectors.hnsw";
    options.warn = [this](const std::string& w) { warnings_.push_back(w); };
    search_ = std::make_unique<SearchService>(*store_, options);
    auto stats = search_->reindex();
    ASSERT_TRUE(stats) << stats.error().message;
  }

  const SearchHit& top(const std::string& query, SearchMode mode) {
    auto r = run(query, mode);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    EXPECT_TRUE(r && !r->hits.empty()) << query;
    static SearchHit none;
    if (!r || r->hits.empty()) return none;
    last_ = r->hits.front();
    mode_ = r->mode;
    return last_;
  }

  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<llm::OpenAiEmbedder> embedder_;
  std::vector<std::string> warnings_;
  SearchHit last_;
  SearchMode mode_ = SearchMode::Lexical;
};

TEST_F(SemanticTest, AQueryThatSharesNoWordIsFoundByMeaning) {
  // Lexically nothing: neither word is in any transcript.
  auto lexical = run("insomnia remedies", SearchMode::Lexical);
  ASSERT_TRUE(lexical);
  EXPECT_TRUE(lexical->hits.empty());

  const auto& sleep = top("insomnia remedies", SearchMode::Semantic);
  EXPECT_EQ(mode_, SearchMode::Semantic);
  EXPECT_EQ(sleep.episode_id, bread_);
  EXPECT_EQ(sleep.start_ms, 76'000);  // "When I could not get to sleep ..." (Ben, 1:16–1:42)
  EXPECT_EQ(sleep.speaker, "Ben Okafor");

  const auto& hybrid = top("insomnia remedies", SearchMode::Hybrid);
  EXPECT_EQ(mode_, SearchMode::Hybrid);
  EXPECT_EQ(hybrid.start_ms, 76'000);

  const auto& savings = top("retirement nest egg growth", SearchMode::Hybrid);
  EXPECT_EQ(savings.episode_id, money_);
  EXPECT_EQ(savings.start_ms, 0);  // compound interest (Cleo, 0:00–0:25)
}

TEST_F(SemanticTest, HybridKeepsExactMatchesOnTopAndGroupsByEpisode) {
  auto r = run("\"rose beautifully\"", SearchMode::Hybrid);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->mode, SearchMode::Hybrid);
  EXPECT_TRUE(r->notice.empty());
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits.front().start_ms, 24'000);
  // Grouped: once an episode's hits end, that episode does not come back.
  std::vector<Id> seen;
  for (const auto& h : r->hits) {
    if (seen.empty() || seen.back() != h.episode_id) {
      EXPECT_EQ(std::find(seen.begin(), seen.end(), h.episode_id), seen.end());
      seen.push_back(h.episode_id);
    }
  }
  // No two moments of one episode overlap.
  for (std::size_t i = 0; i < r->hits.size(); ++i)
    for (std::size_t j = i + 1; j < r->hits.size(); ++j) {
      const auto& a = r->hits[i];
      const auto& b = r->hits[j];
      if (a.kind == HitKind::Episode || b.kind == HitKind::Episode) continue;
      if (a.episode_id == b.episode_id) {
        EXPECT_FALSE(a.start_ms < b.end_ms && b.start_ms < a.end_ms);
      }
    }
}

TEST_F(SemanticTest, FiltersAndDeletionHoldForMeaningSearch) {
  SearchScope scope;
  scope.podcast_id = money_podcast_;
  auto r = run("insomnia remedies", SearchMode::Semantic, scope);
  ASSERT_TRUE(r);
  for (const auto& h : r->hits) EXPECT_EQ(h.podcast_id, money_podcast_);

  ASSERT_TRUE(store_->podcasts().remove(bread_podcast_));
  r = run("insomnia remedies", SearchMode::Semantic);
  ASSERT_TRUE(r);
  for (const auto& h : r->hits) EXPECT_NE(h.episode_id, bread_);
  // A new process: the index no longer holds the deleted episode's passages (the file's
  // metadata counts what is left: the other episode's passages).
  reopen();
  auto after = run("insomnia remedies", SearchMode::Hybrid);
  ASSERT_TRUE(after);
  for (const auto& h : after->hits) EXPECT_NE(h.episode_id, bread_);
  ASSERT_TRUE(search_->flush());
  auto money = store_->search().passages(money_);
  ASSERT_TRUE(money);
  const auto meta =
      nlohmann::json::parse(hark::testing::read_file(dir_ / "search" / "vectors.hnsw.json"));
  EXPECT_EQ(meta["count"], money->size());
  EXPECT_EQ(meta["model"], "multilingual-e5-small");
  EXPECT_EQ(meta["dims"], 384);
}

TEST_F(SemanticTest, AReindexedEpisodeLeavesNoStaleVectorsInTheIndex) {
  // The transcript changes: its passages are replaced (new ids), the old ids leave the index
  // at once and the new ones are embedded.
  auto passages = store_->search().passages(money_);
  ASSERT_TRUE(passages);
  auto transcript = store_->transcripts().find(money_);
  ASSERT_TRUE(transcript && *transcript);
  auto changed = **transcript;
  ASSERT_FALSE(changed.segments.empty());
  changed.segments.front().text += " And that is the whole trick.";
  ASSERT_TRUE(store_->transcripts().replace(money_, changed));
  auto stats = search_->index_episode(money_);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->embedded, static_cast<int>(passages->size()));
  ASSERT_TRUE(search_->flush());
  const auto meta =
      nlohmann::json::parse(hark::testing::read_file(dir_ / "search" / "vectors.hnsw.json"));
  EXPECT_EQ(meta["count"], 7);
  EXPECT_EQ(top("retirement nest egg growth", SearchMode::Semantic).episode_id, money_);
}

TEST_F(SemanticTest, HostileQueriesAreClearErrorsOrResultsInEveryMode) {
  for (const auto mode : {SearchMode::Semantic, SearchMode::Hybrid}) {
    SCOPED_TRACE(std::string(to_string(mode)));
    for (const std::string& q :
         std::vector<std::string>{"", "   ", "\"", "-bread", "()*:^", std::string(10 * 1024, 'x'),
                                  std::string(1000, '"')}) {
      auto r = run(q, mode);
      ASSERT_FALSE(r) << q.substr(0, 20);
      EXPECT_EQ(r.error().code, ErrorCode::InvalidInput) << r.error().message;
    }
    for (const std::string q :
         {"\"rose beautifully", "NEAR(bread, 2)", "text:bread", "bread AND OR", "🍞 bread",
          "the of and", "bread*", "sourdough -crust", "a", "{col}: x^2 OR y*"}) {
      auto r = run(q, mode);
      ASSERT_TRUE(r) << q << ": " << r.error().message;
      EXPECT_EQ(r->mode, mode) << q;
    }
  }
  // Exclusions hold for meaning search too.
  auto r = run("insomnia remedies -sleep", SearchMode::Semantic);
  ASSERT_TRUE(r) << r.error().message;
  for (const auto& h : r->hits)
    EXPECT_EQ(text::to_lower_ascii(h.snippet).find("sleep"), std::string::npos) << h.snippet;
}

TEST_F(SemanticTest, ADamagedIndexFileIsRebuiltWithAWarning) {
  ASSERT_TRUE(search_->flush());
  const auto file = dir_ / "search" / "vectors.hnsw";
  ASSERT_TRUE(fs::exists(file));
  EXPECT_TRUE(warnings_.empty());
  search_.reset();
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) / 2));
    f.write("garbage!", 8);
  }
  warnings_.clear();
  reopen();
  ASSERT_TRUE(run("insomnia remedies", SearchMode::Semantic));
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("damaged"), std::string::npos) << warnings_[0];
  EXPECT_NE(warnings_[0].find("rebuilding it from the 7 passage vectors"), std::string::npos)
      << warnings_[0];
  EXPECT_EQ(top("insomnia remedies", SearchMode::Semantic).start_ms, 76'000);

  // Truncated to nothing, then missing altogether: rebuilt the same way.
  search_.reset();
  std::ofstream(file, std::ios::trunc).close();
  warnings_.clear();
  reopen();
  ASSERT_TRUE(run("insomnia remedies", SearchMode::Semantic));
  ASSERT_EQ(warnings_.size(), 1u);
  search_.reset();
  fs::remove(file);
  warnings_.clear();
  reopen();
  EXPECT_EQ(top("insomnia remedies", SearchMode::Semantic).start_ms, 76'000);
  EXPECT_EQ(warnings_.size(), 1u);
  // Written back whole: the next start is silent.
  ASSERT_TRUE(search_->flush());
  search_.reset();
  warnings_.clear();
  reopen();
  ASSERT_TRUE(run("insomnia remedies", SearchMode::Semantic));
  EXPECT_TRUE(warnings_.empty()) << warnings_.front();
}

TEST_F(SemanticTest, AModelChangeRebuildsInsteadOfMixingVectors) {
  ASSERT_TRUE(search_->flush());
  search_.reset();
  // The same service under an alias: a different model name as far as hark knows.
  llm::EmbeddingEndpoint endpoint;
  endpoint.url = service_url() + "/v1";
  endpoint.model = "e5-small";
  llm::OpenAiEmbedder renamed(*http_, endpoint);
  SearchServiceOptions options;
  options.embedder = &renamed;
  options.vector_index_path = dir_ / "search" / "vectors.hnsw";
  options.warn = [this](const std::string& w) { warnings_.push_back(w); };
  search_ = std::make_unique<SearchService>(*store_, options);
  auto stats = search_->reindex();
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->embedded, 7);  // every passage again, for the new model
  EXPECT_EQ(top("insomnia remedies", SearchMode::Semantic).start_ms, 76'000);
  ASSERT_TRUE(search_->flush());
  search_.reset();
}

TEST_F(SemanticTest, SimilarMomentsComeFromOtherEpisodes) {
  store::Snip snip;
  snip.user_id = user_;
  snip.episode_id = money_;
  snip.start_ms = 0;
  snip.end_ms = 25'000;
  snip.title = "Compound interest";
  auto saved = store_->snips().insert(snip);
  ASSERT_TRUE(saved);
  auto similar = search_->similar_to_snip(user_, saved->id, 5);
  ASSERT_TRUE(similar) << similar.error().message;
  ASSERT_FALSE(similar->hits.empty());
  for (const auto& h : similar->hits) EXPECT_NE(h.episode_id, money_);
  auto other = search_->similar_to_snip(other_user_, saved->id, 5);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::NotFound);
}

TEST_F(SemanticTest, AnUnreachableServiceFallsBackToFullTextAndSaysSo) {
  llm::EmbeddingEndpoint endpoint;
  endpoint.url = "http://127.0.0.1:9/v1";  // discard port: nothing listens
  endpoint.model = "another-model";        // so the passages have no vector of it yet
  endpoint.timeout_ms = 2'000;
  llm::OpenAiEmbedder down(*http_, endpoint);
  SearchServiceOptions options;
  options.embedder = &down;
  options.vector_index_path = dir_ / "search" / "vectors.hnsw";
  search_ = std::make_unique<SearchService>(*store_, options);
  auto r = run("sourdough", SearchMode::Hybrid);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->mode, SearchMode::Lexical);
  EXPECT_NE(r->notice.find("unavailable"), std::string::npos) << r->notice;
  EXPECT_FALSE(r->hits.empty());
  auto semantic = run("sourdough", SearchMode::Semantic);
  ASSERT_FALSE(semantic);
  EXPECT_EQ(semantic.error().code, ErrorCode::Unavailable);
  // Indexing still stores the text; the step reports what it could not embed.
  auto stats = search_->index_episode(bread_);
  ASSERT_TRUE(stats);
  EXPECT_FALSE(stats->embed_error.empty());
}

}  // namespace
}  // namespace hark::app::testing
