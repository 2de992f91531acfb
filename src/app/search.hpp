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

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/search.hpp"
#include "store/store.hpp"

namespace hark::app {

enum class SearchMode { Lexical, Semantic, Hybrid };
std::string_view to_string(SearchMode mode);  // "lexical", "semantic", "hybrid"
// InvalidInput naming the accepted values.
Result<SearchMode> parse_search_mode(std::string_view text);

inline constexpr int kDefaultSearchLimit = 20;
inline constexpr int kMaxSearchLimit = 100;

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
  int embedded = 0;  // passages embedded by this call
};

class SearchService {
 public:
  explicit SearchService(store::Store& store);
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

  // index_episode() for every episode. `progress(done, total)` after each.
  Result<IndexStats> reindex(const std::function<void(int, int)>& progress = {});

 private:
  store::Store& store_;
};

}  // namespace hark::app
