// The [embeddings] and [search] tables of hark.toml: the embedding service semantic search
// uses, and how hybrid search weighs its two rankings. Read by the App.
//
//   [embeddings]
//   url = "http://127.0.0.1:8932/v1"    # any OpenAI-compatible /v1/embeddings service
//   model = "multilingual-e5-small"
//   api_key_env = "HARK_EMBEDDINGS_KEY"   # optional: the variable holding the key
//   query_prefix = "query: "              # e5 models expect these two; "" for others
//   passage_prefix = "passage: "
//   batch_size = 32
//   timeout_seconds = 60
//
//   [search]
//   lexical_weight = 1.0    # reciprocal-rank fusion weights of hybrid search
//   semantic_weight = 1.0
//   ef_search = 192         # HNSW candidate list per query (10–10000): recall against time
//   rank_window = 5000      # more matches in scope than this: rank the newest this many (0: all)
//
// Environment: HARK_EMBEDDINGS_URL (+ HARK_EMBEDDINGS_MODEL, HARK_EMBEDDINGS_API_KEY) replaces
// the configured service. No url: semantic search is off and hybrid search is full-text only.
#pragma once

#include <string>
#include <string_view>

#include "app/config.hpp"
#include "app/search.hpp"
#include "core/result.hpp"
#include "llm/embedder.hpp"
#include "net/http_client.hpp"

namespace hark::app {

inline constexpr std::string_view kDefaultEmbeddingModel = "multilingual-e5-small";

struct SearchConfig {
  llm::EmbeddingEndpoint embeddings{};  // url "": no embedding service
  double lexical_weight = 1.0;
  double semantic_weight = 1.0;
  int ef_search = search::HnswOptions::kDefaultEfSearch;
  int rank_window = kDefaultRankWindow;
  bool embeddings_enabled() const { return !embeddings.url.empty(); }
};

// Parses [embeddings] and [search] of `toml_text` (other tables are ignored) into `out`.
Status apply_search_toml(std::string_view toml_text, const std::string& source_name,
                         SearchConfig& out);

// The settings of the configuration file (defaults when there is none), then the environment.
Result<SearchConfig> load_search_config(const Config& config);

// The network policy for the embedding service: its host is allowed even when private.
net::Policy embeddings_http_policy(const SearchConfig& search, const Config& config);

}  // namespace hark::app
