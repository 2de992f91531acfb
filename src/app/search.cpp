#include "app/search.hpp"

#include "core/text.hpp"
#include "feed/show_notes.hpp"
#include "search/passages.hpp"
#include "search/query.hpp"

namespace hark::app {
namespace {

// The show notes a reader sees, as plain text (HTML read with gumbo).
std::string plain_notes(const Episode& episode) {
  const std::string& html =
      episode.content_html.empty() ? episode.description : episode.content_html;
  std::string out;
  for (const auto& line : feed::show_notes_lines(html)) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

}  // namespace

std::string_view to_string(SearchMode mode) {
  switch (mode) {
    case SearchMode::Lexical:
      return "lexical";
    case SearchMode::Semantic:
      return "semantic";
    case SearchMode::Hybrid:
      return "hybrid";
  }
  return "lexical";
}

Result<SearchMode> parse_search_mode(std::string_view text) {
  if (text == "lexical") return SearchMode::Lexical;
  if (text == "semantic") return SearchMode::Semantic;
  if (text == "hybrid" || text.empty()) return SearchMode::Hybrid;
  return invalid_input("unknown search mode '" + std::string(text) +
                       "'; use lexical, semantic or hybrid");
}

SearchService::SearchService(store::Store& store) : store_(store) {}
SearchService::~SearchService() = default;

Result<SearchResponse> SearchService::search(const SearchRequest& request) {
  if (request.limit < 1 || request.limit > kMaxSearchLimit)
    return invalid_input("limit must be between 1 and " + std::to_string(kMaxSearchLimit) +
                         " (got " + std::to_string(request.limit) + ")");
  auto query = search::parse_query(request.query);
  if (!query) return query.error();
  SearchResponse response;
  if (request.mode == SearchMode::Semantic)
    return unavailable(
        "semantic search needs an embedding service: set [embeddings] url in hark.toml "
        "(see README.md)");
  if (request.mode == SearchMode::Hybrid)
    response.notice = "no embedding service is configured, so these are full-text results only";
  auto hits = store_.search().lexical(*query, request.scope, request.limit);
  if (!hits) return hits.error();
  response.mode = SearchMode::Lexical;
  response.hits = std::move(*hits);
  return response;
}

Result<IndexStats> SearchService::index_episode(Id episode_id) {
  auto episode = store_.episodes().find(episode_id);
  if (!episode) return episode.error();
  auto transcript = store_.transcripts().find(episode_id);
  if (!transcript) return transcript.error();
  std::vector<Passage> passages;
  if (*transcript) passages = search::make_passages(**transcript);
  auto stored =
      store_.search().replace_episode(episode_id, passages, episode->title, plain_notes(*episode));
  if (!stored) return stored.error();
  IndexStats stats;
  stats.episodes = 1;
  stats.passages = static_cast<int>(stored->size());
  return stats;
}

Result<IndexStats> SearchService::reindex(const std::function<void(int, int)>& progress) {
  auto episodes = store_.episodes().list();
  if (!episodes) return episodes.error();
  IndexStats total;
  const int n = static_cast<int>(episodes->size());
  for (int i = 0; i < n; ++i) {
    auto stats = index_episode((*episodes)[i].id);
    if (!stats) return stats.error();
    total.episodes += stats->episodes;
    total.passages += stats->passages;
    total.embedded += stats->embedded;
    if (progress) progress(i + 1, n);
  }
  return total;
}

}  // namespace hark::app
