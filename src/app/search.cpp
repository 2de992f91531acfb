#include "app/search.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

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

SearchService::SearchService(store::Store& store, SearchServiceOptions options)
    : store_(store), options_(std::move(options)) {}

SearchService::~SearchService() {
  if (auto status = flush(); !status && options_.warn)
    options_.warn("could not save the vector index: " + status.error().message);
}

namespace {

constexpr int kEmbedBatch = 256;  // passages read from the store per embedding round

std::string model_of(const SearchServiceOptions& options) {
  return options.embedder != nullptr ? options.embedder->model_name() : std::string();
}

// A passage's text as a semantic hit's snippet: its start, cut at a word.
std::string passage_snippet(const std::string& text) {
  constexpr std::size_t kMax = 240;
  if (text.size() <= kMax) return text;
  auto cut = text::truncate_utf8(text, kMax);
  if (const auto space = cut.find_last_of(' '); space != std::string::npos && space > kMax / 2)
    cut.resize(space);
  return cut + "…";
}

}  // namespace

Result<std::shared_ptr<search::VectorIndex>> SearchService::vector_index(int dims) {
  std::lock_guard lock(index_mutex_);
  if (index_ && index_->dims() == dims) return index_;
  const std::string model = model_of(options_);
  if (options_.vector_index_path.empty()) {
    auto created = search::VectorIndex::create(model, dims, options_.hnsw);
    if (!created) return created.error();
    index_ = std::move(*created);
    HARK_TRY(sync_index(*index_, ""));
    return index_;
  }
  auto opened = search::VectorIndex::open(options_.vector_index_path, model, dims, options_.hnsw);
  if (!opened) return opened.error();
  index_ = std::move(opened->index);
  HARK_TRY(sync_index(*index_, opened->rebuild_reason));
  return index_;
}

// Brings the index in step with the store, which holds every vector: adds what it lacks,
// forgets what the store no longer has. `reason` says why the index started empty.
Status SearchService::sync_index(search::VectorIndex& index, const std::string& reason) {
  const std::string model = model_of(options_);
  auto stored = store_.search().vector_ids(model);
  if (!stored) return stored.error();
  std::unordered_set<Id> in_store(stored->begin(), stored->end());
  std::size_t removed = 0;
  for (Id id : index.ids()) {
    if (!in_store.contains(id)) {
      index.remove(id);
      ++removed;
    }
  }
  std::vector<Id> missing;
  for (Id id : *stored) {
    if (!index.contains(id)) missing.push_back(id);
  }
  if (!reason.empty() && !stored->empty() && options_.warn) {
    options_.warn(reason + "; rebuilding it from the " + std::to_string(stored->size()) +
                  " passage vectors in the library");
  }
  if (missing.size() > 1000) {
    Id after = 0;
    while (true) {
      auto batch = store_.search().vectors(model, after, 4096);
      if (!batch) return batch.error();
      if (batch->empty()) break;
      std::vector<std::pair<Id, std::vector<float>>> items;
      for (auto& v : *batch) {
        after = v.passage_id;
        if (!index.contains(v.passage_id) && static_cast<int>(v.vector.size()) == index.dims())
          items.emplace_back(v.passage_id, std::move(v.vector));
      }
      HARK_TRY(index.add_all(items));
    }
  } else {
    for (Id id : missing) {
      auto v = store_.search().vector(model, id);
      if (!v) return v.error();
      if (*v && static_cast<int>((*v)->vector.size()) == index.dims())
        HARK_TRY(index.add(id, (*v)->vector));
    }
  }
  if (!missing.empty() || removed > 0 || !reason.empty()) dirty_ = true;
  if (dirty_ && !options_.vector_index_path.empty()) {
    HARK_TRY(index.save());
    dirty_ = false;
  }
  return ok();
}

Status SearchService::flush() {
  std::shared_ptr<search::VectorIndex> index;
  {
    std::lock_guard lock(index_mutex_);
    index = index_;
  }
  if (!index || !dirty_.exchange(false) || options_.vector_index_path.empty()) return ok();
  return index->save();
}

// Embeds the passages (of one episode, or all) that have no vector of the current model,
// stores the vectors and adds them to the index. Returns how many were embedded.
Result<int> SearchService::embed_missing(std::optional<Id> episode_id) {
  if (options_.embedder == nullptr) return 0;
  const std::string model = model_of(options_);
  int embedded = 0;
  while (true) {
    auto todo = store_.search().passages_without_vector(model, episode_id, kEmbedBatch);
    if (!todo) return todo.error();
    if (todo->empty()) break;
    std::vector<std::string> texts;
    for (const auto& p : *todo) texts.push_back(p.passage.text);
    auto vectors = options_.embedder->embed(texts, llm::EmbedRole::Passage);
    if (!vectors) return vectors.error();
    if (vectors->size() != todo->size() || vectors->empty())
      return unavailable("the embedding service answered " + std::to_string(vectors->size()) +
                         " vectors for " + std::to_string(todo->size()) + " passages");
    const int dims = static_cast<int>(vectors->front().size());
    std::vector<store::StoredVector> rows;
    std::vector<std::pair<Id, std::vector<float>>> items;
    for (std::size_t i = 0; i < todo->size(); ++i) {
      rows.push_back({(*todo)[i].id, (*vectors)[i]});
      items.emplace_back((*todo)[i].id, std::move((*vectors)[i]));
    }
    // The index is opened (and synced with the store) before these vectors are stored, so
    // they are not mistaken for vectors an old index file lacks.
    auto index = vector_index(dims);
    if (!index) return index.error();
    HARK_TRY(store_.search().put_vectors(model, dims, rows));
    HARK_TRY((*index)->add_all(items));
    dirty_ = true;
    embedded += static_cast<int>(todo->size());
    if (static_cast<int>(todo->size()) < kEmbedBatch) break;
  }
  return embedded;
}

Result<std::vector<SearchHit>> SearchService::nearest(const std::vector<float>& vector,
                                                      const SearchScope& scope, int limit,
                                                      std::optional<Id> skip_episode) {
  auto index = vector_index(static_cast<int>(vector.size()));
  if (!index) return index.error();
  // Filters (the user's podcasts, dates, a skipped episode) are applied after the index:
  // ask it for twice what is wanted, and when the filters leave too few, for eight times
  // more, until the index has no more to give. (A first ask of ten times the page made
  // every query pay for a candidate list ten times as long, to serve the rare narrow filter.)
  constexpr int kMaxCandidates = 20'000;
  int k = std::max(limit * 2, 40);
  while (true) {
    auto near = (*index)->search(vector, k);
    if (!near) return near.error();
    std::vector<Id> ids;
    std::unordered_map<Id, float> similarity;
    for (const auto& hit : *near) {
      ids.push_back(hit.id);
      similarity[hit.id] = hit.similarity;
    }
    auto hits = store_.search().passage_hits(ids, scope);
    if (!hits) return hits.error();
    std::vector<SearchHit> out;
    for (auto& hit : *hits) {
      if (skip_episode && hit.episode_id == *skip_episode) continue;
      hit.score = similarity[hit.ref_id];  // the snippet is still the whole text
      out.push_back(std::move(hit));
      if (static_cast<int>(out.size()) >= limit) break;
    }
    if (static_cast<int>(out.size()) >= limit || static_cast<int>(near->size()) < k ||
        k >= kMaxCandidates)
      return out;
    k = std::min(k * 8, kMaxCandidates);
  }
}

Result<std::vector<SearchHit>> SearchService::semantic_hits(const TextQuery& query,
                                                            const SearchScope& scope, int limit) {
  auto vectors = options_.embedder->embed({search::meaning_text(query)}, llm::EmbedRole::Query);
  if (!vectors) return vectors.error();
  if (vectors->size() != 1) return unavailable("the embedding service answered no vector");
  auto hits = nearest(vectors->front(), scope, limit, std::nullopt);
  if (!hits) return hits.error();
  // Exclusions hold for meaning search too: drop passages that contain an excluded term.
  // (nearest() leaves the whole passage in the snippet, so the test sees all of it.)
  TextQuery exclusions;
  for (const auto& term : query.terms) {
    if (term.exclude) exclusions.terms.push_back(term);
  }
  std::erase_if(*hits, [&](const SearchHit& hit) {
    if (exclusions.terms.empty()) return false;
    const std::string lower = text::to_lower_ascii(hit.snippet);
    for (const auto& term : exclusions.terms) {
      std::string phrase;
      for (const auto& w : term.words) phrase += (phrase.empty() ? "" : " ") + w;
      if (lower.find(phrase) != std::string::npos) return true;
    }
    return false;
  });
  for (auto& hit : *hits) hit.snippet = passage_snippet(hit.snippet);
  return hits;
}

Result<SearchResponse> SearchService::search(const SearchRequest& request) {
  if (request.limit < 1 || request.limit > kMaxSearchLimit)
    return invalid_input("limit must be between 1 and " + std::to_string(kMaxSearchLimit) +
                         " (got " + std::to_string(request.limit) + ")");
  auto query = search::parse_query(request.query);
  if (!query) return query.error();
  SearchResponse response;
  if (request.mode == SearchMode::Semantic) {
    if (options_.embedder == nullptr)
      return unavailable(
          "semantic search needs an embedding service: set [embeddings] url in hark.toml "
          "(see README.md)");
    auto hits = semantic_hits(*query, request.scope, request.limit);
    if (!hits) return hits.error();
    response.mode = SearchMode::Semantic;
    response.hits = std::move(*hits);
    return response;
  }
  if (request.mode == SearchMode::Lexical || options_.embedder == nullptr) {
    if (request.mode == SearchMode::Hybrid)
      response.notice = "no embedding service is configured, so these are full-text results only";
    auto hits = store_.search().lexical(*query, request.scope, request.limit, options_.rank_window);
    if (!hits) return hits.error();
    response.mode = SearchMode::Lexical;
    response.hits = std::move(*hits);
    return response;
  }
  // Hybrid: both rankings, deeper than the page, fused by rank.
  const int depth = std::min(request.limit * 3, 3 * kMaxSearchLimit);
  auto lexical = store_.search().lexical(*query, request.scope, depth, options_.rank_window);
  if (!lexical) return lexical.error();
  auto semantic = semantic_hits(*query, request.scope, depth);
  if (!semantic) {
    if (semantic.error().code != ErrorCode::Unavailable) return semantic.error();
    response.mode = SearchMode::Lexical;
    response.notice = "the embedding service is unavailable (" + semantic.error().message +
                      "), so these are full-text results only";
    if (static_cast<int>(lexical->size()) > request.limit) lexical->resize(request.limit);
    response.hits = std::move(*lexical);
    return response;
  }
  auto fused = search::drop_overlapping(search::fuse(*lexical, *semantic, options_.fusion));
  if (static_cast<int>(fused.size()) > request.limit) fused.resize(request.limit);
  response.mode = SearchMode::Hybrid;
  response.hits = search::group_by_episode(fused);
  return response;
}

Result<SearchResponse> SearchService::similar_to_range(const SearchScope& scope, Id episode_id,
                                                       Millis start_ms, Millis end_ms, int limit) {
  if (limit < 1 || limit > kMaxSearchLimit)
    return invalid_input("limit must be between 1 and " + std::to_string(kMaxSearchLimit));
  if (options_.embedder == nullptr)
    return unavailable(
        "similar moments need an embedding service: set [embeddings] url in hark.toml "
        "(see README.md)");
  auto passages = store_.search().passages(episode_id);
  if (!passages) return passages.error();
  std::string text;
  for (const auto& p : *passages) {
    const bool overlaps = p.passage.start_ms < std::max(end_ms, start_ms + 1) &&
                          start_ms < std::max(p.passage.end_ms, p.passage.start_ms + 1);
    if (overlaps) text += (text.empty() ? "" : " ") + p.passage.text;
  }
  if (text.empty()) {
    const auto id = std::to_string(episode_id);
    return not_found("episode " + id +
                     " has no indexed transcript at that time (run: hark process " + id + ")");
  }
  auto vectors = options_.embedder->embed({text}, llm::EmbedRole::Passage);
  if (!vectors) return vectors.error();
  if (vectors->size() != 1) return unavailable("the embedding service answered no vector");
  auto hits = nearest(vectors->front(), scope, limit * 3, episode_id);
  if (!hits) return hits.error();
  auto kept = search::drop_overlapping(*hits);
  if (static_cast<int>(kept.size()) > limit) kept.resize(limit);
  for (auto& hit : kept) hit.snippet = passage_snippet(hit.snippet);
  SearchResponse response;
  response.mode = SearchMode::Semantic;
  response.hits = std::move(kept);
  return response;
}

Result<SearchResponse> SearchService::similar_to_snip(Id user_id, Id snip_id, int limit) {
  auto snip = store_.snips().find(user_id, snip_id);
  if (!snip) return snip.error();
  SearchScope scope;
  scope.user_id = user_id;
  return similar_to_range(scope, snip->episode_id, snip->start_ms, snip->end_ms, limit);
}

Result<IndexStats> SearchService::index_episode(Id episode_id) {
  auto episode = store_.episodes().find(episode_id);
  if (!episode) return episode.error();
  auto transcript = store_.transcripts().find(episode_id);
  if (!transcript) return transcript.error();
  std::vector<Passage> passages;
  if (*transcript) passages = search::make_passages(**transcript);
  auto before = store_.search().passages(episode_id);
  if (!before) return before.error();
  auto stored =
      store_.search().replace_episode(episode_id, passages, episode->title, plain_notes(*episode));
  if (!stored) return stored.error();
  // Passages that changed were replaced (new ids; their vectors went with them): the vector
  // index forgets the old ids now rather than at its next start.
  {
    std::unordered_set<Id> kept;
    for (const auto& p : *stored) kept.insert(p.id);
    std::shared_ptr<search::VectorIndex> index;
    {
      std::lock_guard lock(index_mutex_);
      index = index_;
    }
    for (const auto& p : *before) {
      if (index && !kept.contains(p.id) && index->contains(p.id)) {
        index->remove(p.id);
        dirty_ = true;
      }
    }
  }
  IndexStats stats;
  stats.episodes = 1;
  stats.passages = static_cast<int>(stored->size());
  // Embeddings are an improvement: a service that is down does not stop the pipeline (the
  // step says so, and `hark reindex` embeds what was missed).
  auto embedded = embed_missing(episode_id);
  if (embedded) {
    stats.embedded = *embedded;
  } else {
    stats.embed_error = embedded.error().message;
  }
  if (stats.embedded > 0) {
    std::shared_ptr<search::VectorIndex> index;
    {
      std::lock_guard lock(index_mutex_);
      index = index_;
    }
    // Small indexes are cheap to write after every episode; big ones are written by flush().
    if (index && index->size() < 200'000) HARK_TRY(flush());
  }
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
    if (!stats->embed_error.empty())
      return unavailable("indexed " + std::to_string(total.episodes + 1) +
                         " episodes but could not embed their passages: " + stats->embed_error);
    total.episodes += stats->episodes;
    total.passages += stats->passages;
    total.embedded += stats->embedded;
    if (progress) progress(i + 1, n);
  }
  HARK_TRY(flush());
  return total;
}

}  // namespace hark::app
