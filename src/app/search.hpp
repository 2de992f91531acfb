// Searching everything ever heard: the use cases behind `hark search`, `hark similar`,
// `hark reindex`, GET /api/search and the pipeline's index step.
//
// Lexical search runs in the store's full-text index (FTS5); semantic search embeds the
// query with the configured embedding service and looks in the HNSW vector index; hybrid
// fuses both (reciprocal-rank fusion), drops moments that overlap a better one and groups
// the results per episode. With no embedding service configured, hybrid is lexical and the
// response says so; semantic is an error that says what to configure.
//
// Thread-safety: a SearchService is safe to use from many threads at once (the store is;
// the vector index has its own lock).
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/search.hpp"
#include "llm/embedder.hpp"
#include "search/fusion.hpp"
#include "search/vector_index.hpp"
#include "store/store.hpp"

namespace hark::app {

enum class SearchMode { Lexical, Semantic, Hybrid };
std::string_view to_string(SearchMode mode);  // "lexical", "semantic", "hybrid"
// InvalidInput naming the accepted values.
Result<SearchMode> parse_search_mode(std::string_view text);

inline constexpr int kDefaultSearchLimit = 20;
inline constexpr int kMaxSearchLimit = 100;
// Full-text search ranks at most this many of a query's most recently indexed matching
// passages (store::SearchRepo::lexical): a word in every tenth passage then costs ~5 ms
// instead of ~60 at 1.2 M passages (docs/PERFORMANCE.md).
inline constexpr int kDefaultRankWindow = 5000;

struct SearchRequest {
  std::string query;
  SearchMode mode = SearchMode::Hybrid;
  SearchScope scope{};
  int limit = kDefaultSearchLimit;  // 1..kMaxSearchLimit
};

struct SearchResponse {
  SearchMode mode = SearchMode::Lexical;  // what actually ran
  std::vector<SearchHit> hits;            // best first (hybrid: grouped per episode)
  std::string notice;                     // e.g. why hybrid ran as lexical; "" when none
};

// What the index step and reindex did.
struct IndexStats {
  int episodes = 0;
  int passages = 0;
  int embedded = 0;           // passages embedded by this call
  std::string embed_error{};  // why passages were left without a vector ("" when none were)
};

struct SearchServiceOptions {
  // Semantic search and similar moments; nullptr: off. Must outlive the service.
  llm::Embedder* embedder = nullptr;
  // The HNSW index file (a cache of the stored vectors): <data>/search/vectors.hnsw.
  std::filesystem::path vector_index_path{};
  search::FusionOptions fusion{};
  search::HnswOptions hnsw{};
  int rank_window = kDefaultRankWindow;  // 0: rank every match
  // Told about things a person should know but that do not fail the call (a vector index
  // that was damaged and rebuilt). Called from any thread; may be empty.
  std::function<void(const std::string&)> warn{};
};

class SearchService {
 public:
  explicit SearchService(store::Store& store, SearchServiceOptions options = {});
  ~SearchService();
  SearchService(const SearchService&) = delete;
  SearchService& operator=(const SearchService&) = delete;

  // InvalidInput for a query parse_query refuses or a limit outside 1..kMaxSearchLimit;
  // Unavailable for semantic search without an embedding service.
  Result<SearchResponse> search(const SearchRequest& request);

  // Cuts the episode's transcript into passages and stores them with its title and plain
  // show notes (idempotent; unchanged passages keep their ids). An episode without a
  // transcript gets its document only. NotFound for an unknown episode.
  Result<IndexStats> index_episode(Id episode_id);

  // index_episode() for every episode. `progress(done, total)` after each. With an
  // embedding service, every passage without a vector of the current model gets one, so a
  // model change is completed by a reindex; a failing service is an error here.
  Result<IndexStats> reindex(const std::function<void(int, int)>& progress = {});

  // Moments like the user's snip in other episodes the user can see, most similar first.
  // NotFound for another user's or an unknown snip; Unavailable without an embedding service.
  Result<SearchResponse> similar_to_snip(Id user_id, Id snip_id, int limit);
  // The same for any time range of an episode.
  Result<SearchResponse> similar_to_range(const SearchScope& scope, Id episode_id, Millis start_ms,
                                          Millis end_ms, int limit);

  [[nodiscard]] bool semantic_enabled() const { return options_.embedder != nullptr; }
  // Writes the vector index to disk when it changed since it was last written.
  Status flush();

 private:
  Result<std::vector<SearchHit>> semantic_hits(const TextQuery& query, const SearchScope& scope,
                                               int limit);
  Result<std::vector<SearchHit>> nearest(const std::vector<float>& vector, const SearchScope& scope,
                                         int limit, std::optional<Id> skip_episode);
  // The vector index for vectors of `dims`, opened (and brought in step with the store) on
  // first use.
  Result<std::shared_ptr<search::VectorIndex>> vector_index(int dims);
  Status sync_index(search::VectorIndex& index, const std::string& reason);
  Result<int> embed_missing(std::optional<Id> episode_id);

  store::Store& store_;
  SearchServiceOptions options_;
  std::mutex index_mutex_;                      // opening/syncing the index
  std::shared_ptr<search::VectorIndex> index_;  // guarded by index_mutex_
  std::atomic<bool> dirty_{false};              // added to since the last save
};

}  // namespace hark::app
