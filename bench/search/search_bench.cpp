// Search at scale (not part of CI; figures in docs/PERFORMANCE.md, run through run.sh).
//
//   hark_bench_search corpus DB HOURS        generate HOURS episode-hours of transcript-like
//                                            text into a hark library at DB (deterministic)
//   hark_bench_search lexical DB QUERIES RUNS
//                                            hark's lexical search (SearchRepo::lexical, as
//                                            hark search runs it) over the fixed query set
//   hark_bench_search fts-sql QUERIES        the same queries as plain SQL for the sqlite3
//                                            program (the floor), one per line
//   hark_bench_search hnsw N DIMS QUERIES    HNSW over N synthetic vectors: build rate,
//                                            query p50/p95 and recall@10 against exact search
//
// The corpus: 100 podcasts, one-hour episodes of 120 passages × 75 words (9,000 words an
// hour, a brisk conversation), words drawn from a Zipf distribution over a 40,000-word
// vocabulary (common English words first, then generated ones), with a fixed seed.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "search/query.hpp"
#include "search/vector_index.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

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

int corpus(const std::string& db, int hours) {
  auto opened = hark::store::sqlite::open(db);
  if (!opened) {
    std::cerr << opened.error().message << "\n";
    return 1;
  }
  auto& store = **opened;
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
  std::uniform_real_distribution<double> uniform(0, 1);
  auto word = [&]() -> const std::string& {
    const auto it = std::lower_bound(cdf.begin(), cdf.end(), uniform(rng));
    return vocab[std::min<std::size_t>(static_cast<std::size_t>(it - cdf.begin()),
                                       vocab.size() - 1)];
  };
  constexpr int kPodcasts = 100, kPassagesPerHour = 120, kWordsPerPassage = 75;
  std::vector<Id> podcasts;
  for (int p = 0; p < kPodcasts; ++p) {
    hark::Podcast podcast;
    podcast.feed_url = "https://bench.example/" + std::to_string(p) + ".xml";
    podcast.title = "Bench podcast " + std::to_string(p);
    auto inserted = store.podcasts().insert(podcast);
    if (!inserted) {
      std::cerr << inserted.error().message << "\n";
      return 1;
    }
    podcasts.push_back(inserted->id);
  }
  const auto t0 = Clock::now();
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
    if ((h + 1) % 500 == 0) {
      const double s = seconds_since(t0);
      std::fprintf(stderr, "  %d hours, %.1f M words, %.0f s (%.0f words/s)\n", h + 1,
                   static_cast<double>(words) / 1e6, s, static_cast<double>(words) / s);
    }
  }
  const double s = seconds_since(t0);
  std::printf(
      "corpus: %d episode-hours, %lld passages, %.1f M words indexed in %.1f s: "
      "%.0f words/s, %.1f episode-hours/s\n",
      hours, static_cast<long long>(passages), static_cast<double>(words) / 1e6, s,
      static_cast<double>(words) / s, hours / s);
  return 0;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  return lines;
}

int lexical(const std::string& db, const std::string& queries_file, int runs) {
  auto opened = hark::store::sqlite::open(db);
  if (!opened) {
    std::cerr << opened.error().message << "\n";
    return 1;
  }
  auto& store = **opened;
  const auto queries = read_lines(queries_file);
  std::vector<double> ms;
  std::size_t results = 0;
  for (int r = 0; r < runs; ++r) {
    for (const auto& q : queries) {
      const auto t0 = Clock::now();
      auto parsed = hark::search::parse_query(q);
      if (!parsed) {
        std::cerr << q << ": " << parsed.error().message << "\n";
        return 1;
      }
      auto hits = store.search().lexical(*parsed, hark::SearchScope{}, 20);
      if (!hits) {
        std::cerr << q << ": " << hits.error().message << "\n";
        return 1;
      }
      ms.push_back(seconds_since(t0) * 1000);
      results += hits->size();
    }
  }
  std::printf(
      "lexical (hark): %zu queries x %d runs, p50 %.2f ms, p95 %.2f ms, max %.2f ms, "
      "%.1f results/query\n",
      queries.size(), runs, percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 1.0),
      static_cast<double>(results) / static_cast<double>(ms.size()));
  return 0;
}

// The FTS5 expression hark builds for a query (store/sqlite/search_repo.cpp), so the sqlite3
// program runs the same search: passages only, BM25, top 20 — hark also searches episode
// documents and joins titles, so the difference is hark's whole overhead.
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
        "search_passages_fts MATCH '%s' ORDER BY bm25(search_passages_fts) LIMIT 20);\n",
        quoted.c_str());
  }
  return 0;
}

int hnsw(std::size_t n, int dims, int queries) {
  // Clustered vectors (like embeddings of topics): 2,000 centres, each point a centre plus
  // noise; queries are drawn the same way.
  std::mt19937_64 rng(1234);
  std::normal_distribution<float> normal(0, 1);
  const int centres = 2000;
  std::vector<std::vector<float>> centre(centres,
                                         std::vector<float>(static_cast<std::size_t>(dims)));
  for (auto& c : centre)
    for (auto& x : c) x = normal(rng);
  auto point = [&]() {
    const auto& c = centre[rng() % centres];
    std::vector<float> v(static_cast<std::size_t>(dims));
    for (int i = 0; i < dims; ++i)
      v[static_cast<std::size_t>(i)] = c[static_cast<std::size_t>(i)] + 0.6f * normal(rng);
    hark::search::normalize(v);
    return v;
  };
  std::vector<std::vector<float>> data(n);
  for (auto& v : data) v = point();
  hark::search::HnswOptions options;
  options.m = 16;
  options.ef_construction = 100;
  options.ef_search = 64;
  auto index = hark::search::VectorIndex::create("bench", dims, options);
  if (!index) return 1;
  const auto t0 = Clock::now();
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  // hnswlib inserts in parallel; VectorIndex::add_all takes its lock once per call, so add in
  // chunks from several threads (each chunk serialised, the graph work inside is not).
  constexpr std::size_t kChunk = 10'000;
  for (std::size_t begin = 0; begin < n; begin += kChunk) {
    std::vector<std::pair<Id, std::vector<float>>> items;
    for (std::size_t i = begin; i < std::min(n, begin + kChunk); ++i)
      items.emplace_back(static_cast<Id>(i + 1), data[i]);
    if (!(*index)->add_all(items)) return 1;
    if ((begin / kChunk) % 10 == 9)
      std::fprintf(stderr, "  %zu vectors, %.0f s\n", begin + kChunk, seconds_since(t0));
  }
  const double build = seconds_since(t0);
  std::printf(
      "hnsw: %zu vectors x %d dims built in %.1f s (%.0f vectors/s, 1 thread, M=%d, "
      "ef_construction=%d)\n",
      n, dims, build, static_cast<double>(n) / build, options.m, options.ef_construction);
  (void)threads;
  std::vector<double> ms;
  double recall = 0;
  const int exact_queries = std::min(queries, 200);
  for (int q = 0; q < queries; ++q) {
    const auto v = point();
    const auto t1 = Clock::now();
    auto hits = (*index)->search(v, 10);
    ms.push_back(seconds_since(t1) * 1000);
    if (!hits) return 1;
    if (q < exact_queries) {
      std::vector<std::pair<float, Id>> all(n);
      for (std::size_t i = 0; i < n; ++i) {
        float dot = 0;
        for (int d = 0; d < dims; ++d)
          dot += v[static_cast<std::size_t>(d)] * data[i][static_cast<std::size_t>(d)];
        all[i] = {dot, static_cast<Id>(i + 1)};
      }
      std::partial_sort(all.begin(), all.begin() + 10, all.end(),
                        [](const auto& a, const auto& b) { return a.first > b.first; });
      int found = 0;
      for (int k = 0; k < 10; ++k)
        for (const auto& h : *hits)
          found += h.id == all[static_cast<std::size_t>(k)].second ? 1 : 0;
      recall += found / 10.0;
    }
  }
  std::printf(
      "hnsw: %d queries (k=10, ef=%d): p50 %.3f ms, p95 %.3f ms; recall@10 %.3f over "
      "%d queries against exact search\n",
      queries, options.ef_search, percentile(ms, 0.5), percentile(ms, 0.95), recall / exact_queries,
      exact_queries);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 3 && a[0] == "corpus") return corpus(a[1], std::stoi(a[2]));
  if (a.size() == 4 && a[0] == "lexical") return lexical(a[1], a[2], std::stoi(a[3]));
  if (a.size() == 2 && a[0] == "fts-sql") return fts_sql(a[1]);
  if (a.size() == 4 && a[0] == "hnsw")
    return hnsw(static_cast<std::size_t>(std::stoll(a[1])), std::stoi(a[2]), std::stoi(a[3]));
  std::cerr << "usage: hark_bench_search corpus DB HOURS | lexical DB QUERIES RUNS | "
               "fts-sql QUERIES | hnsw N DIMS QUERIES\n";
  return 2;
}
