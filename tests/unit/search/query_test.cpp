// The query language: words, "phrases", prefix*, -exclusions; everything else separates.
#include "search/query.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "search/fusion.hpp"
#include "search/hit_json.hpp"
#include "search/passages.hpp"
#include "search/vector_index.hpp"

namespace hark::search {
namespace {

SearchTerm word(std::string w, bool prefix = false, bool exclude = false) {
  return SearchTerm{{std::move(w)}, prefix, exclude};
}

TEST(Query, WordsPhrasesPrefixesAndExclusions) {
  auto q = parse_query("Sleep \"deep Sleep\" spind* -coffee -\"late night\"");
  ASSERT_TRUE(q) << q.error().message;
  const std::vector<SearchTerm> expected = {
      word("sleep"), SearchTerm{{"deep", "sleep"}, false, false}, word("spind", true),
      word("coffee", false, true), SearchTerm{{"late", "night"}, false, true}};
  EXPECT_EQ(q->terms, expected);
  EXPECT_EQ(meaning_text(*q), "sleep deep sleep spind");
}

TEST(Query, SyntaxCharactersAreSeparatorsNotOperators) {
  auto q = parse_query("NEAR(a b) title:x ^y {z} e-mail don't");
  ASSERT_TRUE(q) << q.error().message;
  std::vector<std::string> flat;
  for (const auto& t : q->terms) {
    EXPECT_FALSE(t.exclude);
    for (const auto& w : t.words) flat.push_back(w);
  }
  EXPECT_EQ(flat, (std::vector<std::string>{"near", "a", "b", "title", "x", "y", "z", "e", "mail",
                                            "don", "t"}));
}

TEST(Query, UnbalancedQuoteRunsToTheEnd) {
  auto q = parse_query("bread \"rose beautifully");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->terms.size(), 2u);
  EXPECT_EQ(q->terms[1].words, (std::vector<std::string>{"rose", "beautifully"}));
}

TEST(Query, CurlyQuotesAndNonAsciiWords) {
  auto q = parse_query("“Straße café” naïve—test");
  ASSERT_TRUE(q) << q.error().message;
  ASSERT_EQ(q->terms.size(), 3u);
  EXPECT_EQ(q->terms[0].words, (std::vector<std::string>{"straße", "café"}));
  EXPECT_EQ(q->terms[1].words, (std::vector<std::string>{"naïve"}));
  EXPECT_EQ(q->terms[2].words, (std::vector<std::string>{"test"}));
}

TEST(Query, OneLetterPrefixIsAPlainWord) {
  auto q = parse_query("a*");
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->terms[0].prefix);
}

TEST(Query, NothingToSearchForIsAClearError) {
  for (const char* input : {"", "   ", "\"\"", "()*:^", "-", "-bread -\"x y\""}) {
    auto q = parse_query(input);
    ASSERT_FALSE(q) << input;
    EXPECT_EQ(q.error().code, ErrorCode::InvalidInput);
  }
  EXPECT_NE(parse_query("-bread").error().message.find("only excludes"), std::string::npos);
}

TEST(Query, TooLongOrTooManyWords) {
  auto long_query = parse_query(std::string(kMaxQueryBytes + 1, 'a'));
  ASSERT_FALSE(long_query);
  EXPECT_NE(long_query.error().message.find("too long"), std::string::npos);
  std::string many;
  for (std::size_t i = 0; i <= kMaxQueryTerms; ++i) many += "w" + std::to_string(i) + " ";
  auto q = parse_query(many);
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().message.find("too many"), std::string::npos);
}

TEST(Query, InvalidUtf8IsReplacedNotFatal) {
  auto q = parse_query("\xff\xfe bread \xc3");
  ASSERT_TRUE(q);
  EXPECT_EQ(meaning_text(*q), "bread");
}

SearchHit hit(HitKind kind, Id ref, Id episode, Millis start, Millis end) {
  SearchHit h;
  h.kind = kind;
  h.ref_id = ref;
  h.episode_id = episode;
  h.start_ms = start;
  h.end_ms = end;
  return h;
}

TEST(Fusion, ReciprocalRankFusionRewardsAgreement) {
  const std::vector<SearchHit> lexical = {hit(HitKind::Passage, 1, 10, 0, 1),
                                          hit(HitKind::Passage, 2, 10, 5, 6)};
  const std::vector<SearchHit> semantic = {hit(HitKind::Passage, 3, 11, 0, 1),
                                           hit(HitKind::Passage, 2, 10, 5, 6)};
  auto fused = fuse(lexical, semantic, {});
  ASSERT_EQ(fused.size(), 3u);
  EXPECT_EQ(fused[0].ref_id, 2);  // in both lists
  EXPECT_NEAR(fused[0].score, 1.0 / 62 + 1.0 / 62, 1e-12);
  FusionOptions lexical_only{.lexical_weight = 1, .semantic_weight = 0};
  EXPECT_EQ(fuse(lexical, semantic, lexical_only)[0].ref_id, 1);
}

TEST(Fusion, OverlappingMomentsAreDroppedAndEpisodesGrouped) {
  const std::vector<SearchHit> hits = {
      hit(HitKind::Passage, 1, 10, 20'000, 45'000), hit(HitKind::Passage, 2, 11, 0, 30'000),
      hit(HitKind::Snip, 7, 10, 40'000, 50'000),     // overlaps passage 1
      hit(HitKind::Passage, 3, 10, 45'000, 70'000),  // touches, does not overlap
      hit(HitKind::Episode, 10, 10, 0, 0),          hit(HitKind::Episode, 10, 10, 0, 0)};
  auto kept = drop_overlapping(hits);
  std::vector<Id> ids;
  for (const auto& h : kept) ids.push_back(h.ref_id);
  EXPECT_EQ(ids, (std::vector<Id>{1, 2, 3, 10}));
  auto grouped = group_by_episode(kept);
  ids.clear();
  for (const auto& h : grouped) ids.push_back(h.ref_id);
  EXPECT_EQ(ids, (std::vector<Id>{1, 3, 10, 2}));
}

TEST(Snippet, MarksBecomeHtmlAndTextIsEscaped) {
  const std::string marked = std::string("a <b> & ") + kMarkOpen + "bread" + kMarkClose + "!";
  EXPECT_EQ(snippet_html(marked), "a &lt;b&gt; &amp; <mark>bread</mark>!");
  EXPECT_EQ(snippet_text(marked), "a <b> & bread!");
}

TEST(Passages, SentencesGroupedIntoTwentyToFortyFiveSeconds) {
  Transcript t;
  // 12 sentences of 5 s each by one speaker: 60 s → passages within the bounds.
  for (int i = 0; i < 12; ++i) {
    Segment s;
    s.start_ms = i * 5'000;
    s.end_ms = (i + 1) * 5'000;
    s.text = "Sentence number " + std::to_string(i) + " is here.";
    s.speaker = "host";
    t.segments.push_back(s);
  }
  t.speakers = {{"host", "Theo Marsh", "host"}};
  auto passages = make_passages(t);
  ASSERT_GE(passages.size(), 2u);
  Millis covered = 0;
  for (const auto& p : passages) {
    EXPECT_GE(p.end_ms - p.start_ms, 20'000);
    EXPECT_LE(p.end_ms - p.start_ms, 45'000);
    EXPECT_EQ(p.speaker, "Theo Marsh");
    covered += p.end_ms - p.start_ms;
  }
  EXPECT_EQ(covered, 60'000);
  EXPECT_EQ(passages.front().start_ms, 0);
  EXPECT_EQ(passages.back().end_ms, 60'000);
}

TEST(Passages, UntimedTranscriptsAreCutByWords) {
  Transcript t;
  t.timed = false;
  std::string para;
  for (int i = 0; i < 100; ++i) para += "This is sentence " + std::to_string(i) + ". ";
  Segment segment;
  segment.text = para;
  t.segments.push_back(segment);
  auto passages = make_passages(t);
  ASSERT_GE(passages.size(), 3u);
  for (const auto& p : passages) EXPECT_EQ(p.start_ms, 0);
}

// A freshly built index (not loaded from a file) searches with the configured ef too: hnswlib's
// own default of 10 candidates would miss neighbours. Recall@10 against exact search.
TEST(VectorIndex, SearchesWithTheConfiguredCandidateListAndAPerQueryOne) {
  constexpr int kDims = 24, kCount = 4000, kQueries = 40;
  std::mt19937_64 rng(5);
  std::normal_distribution<float> normal(0, 1);
  auto random_vector = [&] {
    std::vector<float> v(kDims);
    for (auto& x : v) x = normal(rng);
    normalize(v);
    return v;
  };
  HnswOptions options;
  options.m = 8;
  options.ef_construction = 40;
  options.ef_search = 200;
  auto index = VectorIndex::create("test-model", kDims, options);
  ASSERT_TRUE(index);
  std::vector<std::pair<Id, std::vector<float>>> items;
  for (Id id = 1; id <= kCount; ++id) items.emplace_back(id, random_vector());
  ASSERT_TRUE((*index)->add_all(items));
  auto recall = [&](int ef) {
    std::mt19937_64 query_rng(11);
    rng = query_rng;
    double found = 0;
    for (int q = 0; q < kQueries; ++q) {
      const auto v = random_vector();
      std::vector<std::pair<float, Id>> exact;
      for (const auto& [id, x] : items) {
        float dot = 0;
        for (int d = 0; d < kDims; ++d) dot += v[d] * x[d];
        exact.emplace_back(dot, id);
      }
      std::partial_sort(exact.begin(), exact.begin() + 10, exact.end(), std::greater<>());
      auto hits = (*index)->search(v, 10, ef);
      EXPECT_TRUE(hits);
      if (!hits) return 0.0;
      EXPECT_EQ(hits->size(), 10u);
      for (std::size_t i = 1; i < hits->size(); ++i)
        EXPECT_GE((*hits)[i - 1].similarity, (*hits)[i].similarity);
      for (int k = 0; k < 10; ++k)
        for (const auto& h : *hits) found += h.id == exact[k].second ? 1 : 0;
    }
    return found / (10.0 * kQueries);
  };
  const double low = recall(10);
  const double configured = recall(0);
  const double high = recall(1000);
  EXPECT_GE(configured, 0.97);
  EXPECT_GE(high, 0.99);
  EXPECT_LT(low, configured);  // the candidate list is what buys the recall
  // More results than the candidate list: the list grows for that query.
  auto many = (*index)->search(random_vector(), 500, 10);
  ASSERT_TRUE(many);
  EXPECT_EQ(many->size(), 500u);
}

// The index file's checksum: written over 8-byte words ("fnv1a64w"); a file written before,
// with the checksum over its bytes ("fnv1a64"), still opens without a rebuild, and a wrong
// checksum of either kind means a rebuild.
TEST(VectorIndex, ChecksumsOfBothKindsAreVerified) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("hark-vector-index-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "vectors.hnsw";
  const auto meta_file = dir / "vectors.hnsw.json";
  {
    auto index = VectorIndex::create("m", 4, {});
    ASSERT_TRUE(index);
    ASSERT_TRUE((*index)->add_all({{1, {1, 0, 0, 0}}, {2, {0, 1, 0, 0}}, {3, {0, 0, 1, 1}}}));
    ASSERT_TRUE((*index)->save_as(file));
  }
  auto read_meta = [&] {
    std::ifstream in(meta_file);
    return nlohmann::json::parse(in);
  };
  auto write_meta = [&](const nlohmann::json& meta) {
    std::ofstream out(meta_file, std::ios::trunc);
    out << meta.dump();
  };
  auto opens_without_rebuild = [&] {
    auto opened = VectorIndex::open(file, "m", 4);
    EXPECT_TRUE(opened);
    if (!opened) return false;
    if (!opened->rebuild_reason.empty()) return false;
    auto hits = opened->index->search({0, 1, 0, 0}, 1);
    EXPECT_TRUE(hits && hits->size() == 1 && hits->front().id == 2);
    return true;
  };
  auto meta = read_meta();
  ASSERT_TRUE(meta.contains("fnv1a64w"));
  EXPECT_FALSE(meta.contains("fnv1a64"));
  EXPECT_TRUE(opens_without_rebuild());

  // As an older hark wrote it: FNV-1a over the bytes.
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  EXPECT_NE(meta["fnv1a64w"].get<std::string>(), hex);  // the two kinds differ
  auto legacy = meta;
  legacy.erase("fnv1a64w");
  legacy["fnv1a64"] = hex;
  write_meta(legacy);
  EXPECT_TRUE(opens_without_rebuild());

  for (const char* key : {"fnv1a64", "fnv1a64w"}) {
    auto wrong = meta;
    wrong.erase("fnv1a64w");
    wrong[key] = "0123456789abcdef";
    write_meta(wrong);
    auto opened = VectorIndex::open(file, "m", 4);
    ASSERT_TRUE(opened);
    EXPECT_NE(opened->rebuild_reason.find("checksum"), std::string::npos)
        << key << ": " << opened->rebuild_reason;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hark::search
