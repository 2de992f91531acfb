// Search at scale (not part of CI; figures in docs/PERFORMANCE.md, run through run.sh).
//
//   hark_bench_search corpus DB HOURS DIMS INDEX
//       HOURS episode-hours of transcript-like text into a new hark library at DB
//       (deterministic), and a synthetic DIMS-d vector for every passage, stored as the app
//       stores embeddings; the HNSW index of those vectors built alongside (a second thread)
//       and saved to INDEX. Reports both build rates.
//   hark_bench_search index DB INDEX
//       opens INDEX as hark does (checksum, load, sync with the library's vectors), or
//       rebuilds it from the library the way hark does when the file is missing or damaged.
//   hark_bench_search lexical DB QUERIES RUNS
//       hark's lexical search (SearchService, as `hark search --mode lexical` and the API
//       run it, as the library's user) over the fixed query set, and each query's median.
//       HARK_BENCH_RANK_WINDOW=N ranks with another window than hark's (0: every match).
//   hark_bench_search hybrid DB INDEX QUERIES RUNS
//       hark's hybrid search (full-text + HNSW, fused, grouped) over the same queries, the
//       query vectors made in-process by the synthetic embedder (no network: see embed).
//   hark_bench_search hnsw DB INDEX QUERIES
//       VectorIndex::search (k=10) p50/p95 on the app's index and recall@10 against an exact
//       search over every stored vector.
//   hark_bench_search embed URL QUERIES RUNS
//       the real embedding service (scripts/embeddings-service) embedding each query of the
//       set, one request per query as hybrid search sends it: the part of a hybrid query's
//       latency the synthetic embedder leaves out.
//   hark_bench_search fts-sql QUERIES
//       the same queries as plain SQL for the sqlite3 program (the floor), one per line.
//
// The corpus: 100 podcasts (the library's user follows all), one-hour episodes of 120
// passages × 75 words (30 s each; 9,000 words an hour, a brisk conversation), words drawn
// from a Zipf distribution over a 40,000-word vocabulary (common English words first, then
// generated ones), with a fixed seed. Synthetic vectors imitate embeddings of topics: each
// episode is about one of 2,000 topics (a random centre) and each passage is its centre plus
// noise, L2-normalised; a query's vector is a topic centre plus noise, chosen by a hash of
// the query text.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/search.hpp"
#include "llm/embedder.hpp"
#include "net/http_client.hpp"
#include "search/query.hpp"
#include "search/vector_index.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using hark::Id;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

void report(const char* what, const std::vector<double>& ms, const std::string& extra = {}) {
  std::printf("%s: %zu queries, p50 %.2f ms, p95 %.2f ms, max %.2f ms%s\n", what, ms.size(),
              percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 1.0), extra.c_str());
}

constexpr const char* kCommon[] = {
    "the",     "be",     "to",       "of",      "and",      "a",       "in",     "that",
    "have",    "i",      "it",       "for",     "not",      "on",      "with",   "he",
    "as",      "you",    "do",       "at",      "this",     "but",     "his",    "by",
    "from",    "they",   "we",       "say",     "her",      "she",     "or",     "an",
    "will",    "my",     "one",      "all",     "would",    "there",   "their",  "what",
    "so",      "up",     "out",      "if",      "about",    "who",     "get",    "which",
    "go",      "me",     "when",     "make",    "can",      "like",    "time",   "no",
    "just",    "him",    "know",     "take",    "people",   "into",    "year",   "your",
    "good",    "some",   "could",    "them",    "see",      "other",   "than",   "then",
    "now",     "look",   "only",     "come",    "its",      "over",    "think",  "also",
    "back",    "after",  "use",      "two",     "how",      "our",     "work",   "first",
    "well",    "way",    "even",     "new",     "want",     "because", "any",    "these",
    "give",    "day",    "most",     "us",      "sleep",    "memory",  "brain",  "learning",
    "bees",    "city",   "garden",   "study",   "research", "science", "money",  "interest",
    "market",  "bread",  "history",  "music",   "startup",  "climate", "energy", "health",
    "running", "coffee", "language", "teacher", "children", "family",  "travel", "ocean",
    "forest",  "planet"};

// A deterministic vocabulary: the common words, then pronounceable generated ones.
std::vector<std::string> vocabulary(std::size_t size) {
  std::vector<std::string> words(std::begin(kCommon), std::end(kCommon));
  const char* onset[] = {"b", "d", "f",  "g",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",
                         "v", "z", "br", "cl", "dr", "gr", "pl", "st", "tr", "sh", "ch", "th"};
  const char* vowel[] = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "io"};
  const char* coda[] = {"", "n", "r", "s", "t", "l", "m", "nd", "st", "ck"};
  std::mt19937_64 rng(7);
  while (words.size() < size) {
    std::string w;
    const int syllables = 2 + static_cast<int>(rng() % 3);
    for (int s = 0; s < syllables; ++s) {
      w += onset[rng() % std::size(onset)];
      w += vowel[rng() % std::size(vowel)];
      w += coda[rng() % std::size(coda)];
    }
    words.push_back(std::move(w));
  }
  return words;
}

// Topics and synthetic vectors: deterministic functions of a seed, so the corpus, the index
// and the queries agree without storing the centres.
constexpr int kTopics = 2000;
constexpr float kNoise = 0.6f;
constexpr std::string_view kModelPrefix = "bench-synthetic-";

std::string bench_model(int dims) {
  return std::string(kModelPrefix) + std::to_string(dims);
}

class Topics {
 public:
  explicit Topics(int dims) : dims_(dims), centres_(static_cast<std::size_t>(kTopics)) {
    std::mt19937_64 rng(1234);
    std::normal_distribution<float> normal(0, 1);
    for (auto& c : centres_) {
      c.resize(static_cast<std::size_t>(dims));
      for (auto& x : c) x = normal(rng);
    }
  }
  // The topic's centre plus noise drawn from `rng`, normalised.
  std::vector<float> point(std::size_t topic, std::mt19937_64& rng) const {
    std::normal_distribution<float> normal(0, 1);
    const auto& c = centres_[topic % centres_.size()];
    std::vector<float> v(static_cast<std::size_t>(dims_));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = c[i] + kNoise * normal(rng);
    hark::search::normalize(v);
    return v;
  }
  int dims() const { return dims_; }

 private:
  int dims_;
  std::vector<std::vector<float>> centres_;
};

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Query vectors without a network: a topic chosen by the text's hash, plus noise seeded by
// it. Stands in for the embedding service in the hybrid figure (whose own latency `embed`
// measures), so the figure is hark's work over the big index.
class SyntheticEmbedder final : public hark::llm::Embedder {
 public:
  explicit SyntheticEmbedder(const Topics& topics) : topics_(topics) {}
  hark::Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts,
                                                      hark::llm::EmbedRole) override {
    std::vector<std::vector<float>> out;
    for (const auto& t : texts) {
      std::mt19937_64 rng(fnv1a(t));
      out.push_back(topics_.point(fnv1a(t) % kTopics, rng));
    }
    return out;
  }
  std::string model_name() const override { return bench_model(topics_.dims()); }

 private:
  const Topics& topics_;
};

std::unique_ptr<hark::store::Store> open_store(const std::string& db) {
  auto opened = hark::store::sqlite::open(db);
  if (!opened) {
    std::cerr << db << ": " << opened.error().message << "\n";
    return nullptr;
  }
  return std::move(*opened);
}

hark::search::HnswOptions bench_hnsw() {
  return hark::app::SearchServiceOptions{}.hnsw;  // the app's settings
}

// Builds the HNSW index on a second thread while the corpus is written (VectorIndex::add_all,
// the code hark's rebuild uses, in batches of one 4,096-vector read as hark's rebuild does).
class Indexer {
 public:
  Indexer(std::unique_ptr<hark::search::VectorIndex> index) : index_(std::move(index)) {
    thread_ = std::thread([this] { run(); });
  }
  void add(Id id, std::vector<float> v) {
    pending_.emplace_back(id, std::move(v));
    if (pending_.size() >= 4096) flush();
  }
  // Waits for the thread; false when an add failed.
  bool finish() {
    flush();
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
    return ok_;
  }
  hark::search::VectorIndex& index() { return *index_; }
  double busy_seconds() const { return busy_; }

 private:
  using Batch = std::vector<std::pair<Id, std::vector<float>>>;
  void flush() {
    if (pending_.empty()) return;
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(pending_));
    }
    pending_.clear();
    cv_.notify_all();
  }
  void run() {
    while (true) {
      Batch batch;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return done_ || !queue_.empty(); });
        if (queue_.empty()) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
      }
      const auto t0 = Clock::now();
      if (auto added = index_->add_all(batch); !added) {
        std::cerr << added.error().message << "\n";
        ok_ = false;
      }
      busy_ += seconds_since(t0);
    }
  }
  std::unique_ptr<hark::search::VectorIndex> index_;
  Batch pending_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Batch> queue_;
  bool done_ = false;
  bool ok_ = true;
  double busy_ = 0;
  std::thread thread_;
};

int corpus(const std::string& db, int hours, int dims, const std::string& index_path) {
  // Written under another name and renamed when complete, so an interrupted run is never
  // mistaken for a finished corpus.
  const std::string partial = db + ".partial";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(partial + suffix);
  auto store_ptr = open_store(partial);
  if (!store_ptr) return 1;
  auto& store = *store_ptr;
  auto user = store.users().default_user();
  if (!user) {
    std::cerr << user.error().message << "\n";
    return 1;
  }
  const auto vocab = vocabulary(40'000);
  // Zipf(1.0) by inverse CDF over ranks.
  std::vector<double> cdf(vocab.size());
  double sum = 0;
  for (std::size_t r = 0; r < vocab.size(); ++r) sum += 1.0 / static_cast<double>(r + 1);
  double acc = 0;
  for (std::size_t r = 0; r < vocab.size(); ++r) {
    acc += 1.0 / static_cast<double>(r + 1) / sum;
    cdf[r] = acc;
  }
  std::mt19937_64 rng(42);
  std::mt19937_64 vector_rng(4321);
  std::uniform_real_distribution<double> uniform(0, 1);
  auto word = [&]() -> const std::string& {
    const auto it = std::lower_bound(cdf.begin(), cdf.end(), uniform(rng));
    return vocab[std::min<std::size_t>(static_cast<std::size_t>(it - cdf.begin()),
                                       vocab.size() - 1)];
  };
  const Topics topics(dims);
  const std::string model = bench_model(dims);
  auto created = hark::search::VectorIndex::create(model, dims, bench_hnsw());
  if (!created) return 1;
  Indexer indexer(std::move(*created));
  constexpr int kPodcasts = 100, kPassagesPerHour = 120, kWordsPerPassage = 75;
  std::vector<Id> podcasts;
  for (int p = 0; p < kPodcasts; ++p) {
    hark::Podcast podcast;
    podcast.feed_url = "https://bench.example/" + std::to_string(p) + ".xml";
    podcast.title = "Bench podcast " + std::to_string(p);
    auto inserted = store.podcasts().insert(podcast);
    if (!inserted || !store.subscriptions().subscribe(user->id, inserted->id)) {
      std::cerr << "podcast insert failed\n";
      return 1;
    }
    podcasts.push_back(inserted->id);
  }
  const auto t0 = Clock::now();
  double vector_seconds = 0;
  std::int64_t words = 0, passages = 0;
  for (int h = 0; h < hours; ++h) {
    hark::Episode e;
    e.key = "ep-" + std::to_string(h);
    e.title = "Episode " + std::to_string(h) + ": " + word() + " and " + word();
    e.description = "Show notes about " + word() + ", " + word() + " and " + word() + ".";
    e.published_at = 1'500'000'000'000LL + static_cast<std::int64_t>(h) * 86'400'000LL;
    auto added = store.episodes().upsert(podcasts[static_cast<std::size_t>(h % kPodcasts)], {e});
    if (!added || added->added_ids.empty()) {
      std::cerr << "episode insert failed\n";
      return 1;
    }
    std::vector<hark::Passage> ps(kPassagesPerHour);
    for (int i = 0; i < kPassagesPerHour; ++i) {
      auto& p = ps[static_cast<std::size_t>(i)];
      p.start_ms = i * 30'000;
      p.end_ms = p.start_ms + 30'000;
      p.speaker = i % 2 == 0 ? "Host" : "Guest";
      for (int w = 0; w < kWordsPerPassage; ++w) {
        if (w > 0) p.text += ' ';
        p.text += word();
        if (w % 15 == 14) p.text += '.';
      }
      words += kWordsPerPassage;
    }
    passages += kPassagesPerHour;
    auto stored =
        store.search().replace_episode(added->added_ids.front(), ps, e.title, e.description);
    if (!stored) {
      std::cerr << stored.error().message << "\n";
      return 1;
    }
    const auto tv = Clock::now();
    const auto topic = static_cast<std::size_t>(fnv1a(e.key) % kTopics);
    std::vector<hark::store::StoredVector> vectors;
    for (const auto& sp : *stored) {
      vectors.push_back({sp.id, topics.point(topic, vector_rng)});
      indexer.add(sp.id, vectors.back().vector);
    }
    if (auto put = store.search().put_vectors(model, dims, vectors); !put) {
      std::cerr << put.error().message << "\n";
      return 1;
    }
    vector_seconds += seconds_since(tv);
    if ((h + 1) % 500 == 0) {
      const double s = seconds_since(t0);
      std::fprintf(stderr, "  %d hours, %.1f M words, %.0f s (%.0f words/s)\n", h + 1,
                   static_cast<double>(words) / 1e6, s, static_cast<double>(words) / s);
    }
  }
  const double s = seconds_since(t0) - vector_seconds;
  const double written = seconds_since(t0);
  if (!indexer.finish()) return 1;
  const double indexed = seconds_since(t0);
  if (auto saved = indexer.index().save_as(index_path + ".partial"); !saved) {
    std::cerr << saved.error().message << "\n";
    return 1;
  }
  store_ptr.reset();
  fs::rename(partial, db);
  for (const char* suffix : {"-wal", "-shm"}) fs::remove(partial + suffix);
  std::printf(
      "corpus: %d episode-hours, %lld passages, %.1f M words indexed (passages + FTS5) in "
      "%.1f s: %.0f words/s, %.2f episode-hours/s; %lld synthetic %d-d vectors stored in "
      "%.1f s\n",
      hours, static_cast<long long>(passages), static_cast<double>(words) / 1e6, s,
      static_cast<double>(words) / s, hours / s, static_cast<long long>(passages), dims,
      vector_seconds);
  const auto opts = bench_hnsw();
  std::printf(
      "hnsw: %lld vectors indexed (VectorIndex::add_all, M=%d, ef_construction=%d) on a second "
      "thread while the corpus was written: %.1f s busy, done %.1f s after the corpus; "
      "%.0f vectors per busy second\n",
      static_cast<long long>(passages), opts.m, opts.ef_construction, indexer.busy_seconds(),
      indexed - written, static_cast<double>(passages) / indexer.busy_seconds());
  // The index's files under their names last: a finished corpus always has its index.
  fs::rename(index_path + ".partial", index_path);
  fs::rename(index_path + ".partial.json", index_path + ".json");
  return 0;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  return lines;
}

int dims_of(hark::store::Store& store) {
  for (int dims : {384, 768, 1024, 256, 128, 64}) {
    auto v = store.search().vectors(bench_model(dims), 0, 1);
    if (v && !v->empty()) return dims;
  }
  return 0;
}

// The app's search service over the bench library, as App::open makes it.
struct Service {
  std::unique_ptr<hark::store::Store> store;
  std::unique_ptr<Topics> topics;
  std::unique_ptr<SyntheticEmbedder> embedder;
  std::unique_ptr<hark::app::SearchService> search;
  Id user_id = 0;
  int rank_window = 0;
};

std::optional<Service> open_service(const std::string& db, const std::string& index,
                                    bool semantic) {
  Service s;
  s.store = open_store(db);
  if (!s.store) return std::nullopt;
  auto user = s.store->users().default_user();
  if (!user) return std::nullopt;
  s.user_id = user->id;
  hark::app::SearchServiceOptions options;
  // HARK_BENCH_RANK_WINDOW: another rank window than hark's (0: rank every match).
  if (const char* w = std::getenv("HARK_BENCH_RANK_WINDOW")) options.rank_window = std::atoi(w);
  if (semantic) {
    const int dims = dims_of(*s.store);
    if (dims == 0) {
      std::cerr << db << " has no synthetic vectors\n";
      return std::nullopt;
    }
    s.topics = std::make_unique<Topics>(dims);
    s.embedder = std::make_unique<SyntheticEmbedder>(*s.topics);
    options.embedder = s.embedder.get();
    options.vector_index_path = index;
  }
  options.warn = [](const std::string& w) { std::fprintf(stderr, "  warning: %s\n", w.c_str()); };
  s.rank_window = options.rank_window;
  s.search = std::make_unique<hark::app::SearchService>(*s.store, options);
  return s;
}

// Opens (or builds, when INDEX is missing) the service's vector index with one semantic search.
int open_index(Service& service, const std::string& index) {
  const bool existed = fs::exists(index);
  auto* s = &service;
  const auto t0 = Clock::now();
  hark::app::SearchRequest request{"warm up", hark::app::SearchMode::Semantic, {}, 10};
  request.scope.user_id = s->user_id;
  auto r = s->search->search(request);
  if (!r) {
    std::cerr << r.error().message << "\n";
    return 1;
  }
  const double secs = seconds_since(t0);
  const auto opts = bench_hnsw();
  std::printf("hnsw index %s: %s in %.1f s (M=%d, ef_construction=%d)%s\n",
              existed ? "opened" : "built", index.c_str(), secs, opts.m, opts.ef_construction,
              existed ? ": checksum, load, sync with the library's vectors (once per process)"
                      : ": rebuilt from the library's vectors and saved, as hark does");
  return 0;
}

int build_index(const std::string& db, const std::string& index) {
  auto s = open_service(db, index, true);
  return s ? open_index(*s, index) : 1;
}

// Times `query` over the query set `runs` times after one untimed warm-up pass.
template <typename Fn>
std::vector<double> time_queries(const std::vector<std::string>& queries, int runs, Fn&& query) {
  for (const auto& q : queries)
    if (!query(q)) return {};
  std::vector<double> ms;
  for (int r = 0; r < runs; ++r) {
    for (const auto& q : queries) {
      const auto t0 = Clock::now();
      if (!query(q)) return {};
      ms.push_back(seconds_since(t0) * 1000);
    }
  }
  return ms;
}

int search_bench(const std::string& db, const std::string& index, const std::string& file, int runs,
                 hark::app::SearchMode mode) {
  const bool semantic = mode != hark::app::SearchMode::Lexical;
  auto s = open_service(db, index, semantic);
  if (!s) return 1;
  if (semantic && open_index(*s, index) != 0) return 1;
  const auto queries = read_lines(file);
  std::size_t results = 0, calls = 0;
  std::string ran;
  auto ms = time_queries(queries, runs, [&](const std::string& q) {
    hark::app::SearchRequest request;
    request.query = q;
    request.mode = mode;
    request.scope.user_id = s->user_id;
    auto r = s->search->search(request);
    if (!r) {
      std::cerr << q << ": " << r.error().message << "\n";
      return false;
    }
    if (!r->notice.empty()) std::cerr << q << ": " << r->notice << "\n";
    ran = std::string(hark::app::to_string(r->mode));
    results += r->hits.size();
    ++calls;
    return true;
  });
  if (ms.empty()) return 1;
  const std::string what = std::string(hark::app::to_string(mode)) + " (hark, " + ran +
                           ", rank window " + std::to_string(s->rank_window) + ")";
  char extra[96];
  std::snprintf(extra, sizeof extra, ", %.1f results/query, %d runs of %zu",
                static_cast<double>(results) / static_cast<double>(calls), runs, queries.size());
  report(what.c_str(), ms, extra);
  // Each query's median, slowest first: which queries make the p95.
  std::vector<std::pair<double, std::string>> per_query;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    std::vector<double> times;
    for (int r = 0; r < runs; ++r)
      times.push_back(ms[static_cast<std::size_t>(r) * queries.size() + q]);
    per_query.emplace_back(percentile(times, 0.5), queries[q]);
  }
  std::sort(per_query.rbegin(), per_query.rend());
  std::printf("  per query (p50 ms, slowest first):");
  for (const auto& [t, q] : per_query) std::printf(" %s %.1f;", q.c_str(), t);
  std::printf("\n");
  return 0;
}

int hnsw(const std::string& db, const std::string& index_path, int queries) {
  auto store = open_store(db);
  if (!store) return 1;
  const int dims = dims_of(*store);
  if (dims == 0) return 1;
  const auto opts = bench_hnsw();
  const auto t0 = Clock::now();
  auto opened = hark::search::VectorIndex::open(index_path, bench_model(dims), dims, opts);
  if (!opened || !opened->rebuild_reason.empty()) {
    std::cerr << "cannot use " << index_path << ": "
              << (opened ? opened->rebuild_reason : opened.error().message) << "\n";
    return 1;
  }
  auto& index = *opened->index;
  std::printf("hnsw: %zu vectors x %d dims loaded in %.1f s (checksum verified)\n", index.size(),
              dims, seconds_since(t0));
  // Every stored vector, for the exact search.
  std::vector<Id> ids;
  std::vector<float> data;
  for (Id after = 0;;) {
    auto batch = store->search().vectors(bench_model(dims), after, 8192);
    if (!batch) return 1;
    if (batch->empty()) break;
    for (auto& v : *batch) {
      after = v.passage_id;
      hark::search::normalize(v.vector);
      ids.push_back(v.passage_id);
      data.insert(data.end(), v.vector.begin(), v.vector.end());
    }
  }
  const Topics topics(dims);
  std::mt19937_64 rng(99);
  std::vector<std::vector<float>> query_vectors;
  for (int q = 0; q < queries; ++q) query_vectors.push_back(topics.point(rng() % kTopics, rng));
  // The exact 10 nearest of the first 200 queries, once; recall is measured against them.
  const int exact_queries = std::min(queries, 200);
  std::vector<std::vector<Id>> exact(static_cast<std::size_t>(exact_queries));
  for (int q = 0; q < exact_queries; ++q) {
    const auto& v = query_vectors[static_cast<std::size_t>(q)];
    std::vector<std::pair<float, Id>> all(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const float* row = data.data() + i * static_cast<std::size_t>(dims);
      float dot = 0;
      for (int d = 0; d < dims; ++d) dot += v[static_cast<std::size_t>(d)] * row[d];
      all[i] = {dot, ids[i]};
    }
    std::partial_sort(all.begin(), all.begin() + 10, all.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    for (int k = 0; k < 10; ++k) exact[static_cast<std::size_t>(q)].push_back(all[k].second);
  }
  // hark's ef_search (marked) and its neighbours: what recall each buys, and at what time.
  std::vector<int> efs = {64, 96, 128, 192, 256};
  if (std::find(efs.begin(), efs.end(), opts.ef_search) == efs.end()) efs.push_back(opts.ef_search);
  std::sort(efs.begin(), efs.end());
  for (int ef : efs) {
    std::vector<double> ms;
    double recall = 0;
    for (int q = 0; q < queries; ++q) {
      const auto t1 = Clock::now();
      auto hits = index.search(query_vectors[static_cast<std::size_t>(q)], 10, ef);
      ms.push_back(seconds_since(t1) * 1000);
      if (!hits) return 1;
      if (q >= exact_queries) continue;
      int found = 0;
      for (Id want : exact[static_cast<std::size_t>(q)])
        for (const auto& h : *hits) found += h.id == want ? 1 : 0;
      recall += found / 10.0;
    }
    char extra[160];
    std::snprintf(extra, sizeof extra, " (k=10, ef_search=%d%s); recall@10 %.3f over %d queries",
                  ef, ef == opts.ef_search ? ", hark's setting" : "", recall / exact_queries,
                  exact_queries);
    report("hnsw (VectorIndex::search)", ms, extra);
  }
  return 0;
}

int embed(const std::string& url, const std::string& file, int runs) {
  hark::net::Policy policy;
  policy.allow_private_networks = true;
  auto http = hark::net::make_http_client(policy);
  hark::llm::EmbeddingEndpoint endpoint;
  endpoint.url = url;
  endpoint.model = "multilingual-e5-small";
  hark::llm::OpenAiEmbedder embedder(*http, endpoint);
  const auto queries = read_lines(file);
  auto ms = time_queries(queries, runs, [&](const std::string& q) {
    auto parsed = hark::search::parse_query(q);
    if (!parsed) return false;
    auto v = embedder.embed({hark::search::meaning_text(*parsed)}, hark::llm::EmbedRole::Query);
    if (!v) std::cerr << q << ": " << v.error().message << "\n";
    return static_cast<bool>(v);
  });
  if (ms.empty()) return 1;
  report("query embedding (real service, multilingual-e5-small, one HTTP request)", ms);
  return 0;
}

// The FTS5 expression hark builds for a query (store/sqlite/search_repo.cpp), so the sqlite3
// program runs the same search: passages only, BM25, top 20 — hark also searches episode
// documents and joins titles and snippets, so the difference is hark's whole overhead.
int fts_sql(const std::string& queries_file) {
  for (const auto& q : read_lines(queries_file)) {
    auto parsed = hark::search::parse_query(q);
    if (!parsed) return 1;
    std::string positive, negative;
    for (const auto& t : parsed->terms) {
      std::string term = "\"";
      for (std::size_t i = 0; i < t.words.size(); ++i) term += (i ? " " : "") + t.words[i];
      term += t.prefix ? "\"*" : "\"";
      if (t.exclude) {
        negative += " NOT " + term;
      } else {
        positive += (positive.empty() ? "" : " AND ") + term;
      }
    }
    std::string match = "(" + positive + ")" + negative;
    std::string quoted;
    for (char c : match) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    std::printf(
        "SELECT count(*) FROM (SELECT rowid FROM search_passages_fts WHERE "
        "search_passages_fts MATCH '%s' ORDER BY rank LIMIT 20);\n",
        quoted.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  using hark::app::SearchMode;
  if (a.size() == 5 && a[0] == "corpus")
    return corpus(a[1], std::stoi(a[2]), std::stoi(a[3]), a[4]);
  if (a.size() == 3 && a[0] == "index") return build_index(a[1], a[2]);
  if (a.size() == 4 && a[0] == "lexical")
    return search_bench(a[1], "", a[2], std::stoi(a[3]), SearchMode::Lexical);
  if (a.size() == 5 && a[0] == "hybrid")
    return search_bench(a[1], a[2], a[3], std::stoi(a[4]), SearchMode::Hybrid);
  if (a.size() == 4 && a[0] == "hnsw") return hnsw(a[1], a[2], std::stoi(a[3]));
  if (a.size() == 4 && a[0] == "embed") return embed(a[1], a[2], std::stoi(a[3]));
  if (a.size() == 2 && a[0] == "fts-sql") return fts_sql(a[1]);
  std::cerr << "usage: hark_bench_search corpus DB HOURS DIMS INDEX | index DB INDEX | "
               "lexical DB QUERIES RUNS | hybrid DB INDEX QUERIES RUNS | hnsw DB INDEX N | "
               "embed URL QUERIES RUNS | fts-sql QUERIES\n";
  return 2;
}
