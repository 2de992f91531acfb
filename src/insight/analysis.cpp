#include "insight/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/text.hpp"
#include "insight/lexicon.hpp"
#include "transcript/sentences.hpp"

namespace hark::insight {
namespace {

bool ends_with_question(std::string_view text) {
  auto s = text::trim(text);
  while (!s.empty() && (s.back() == '"' || s.back() == ')' || s.back() == '\'')) s.remove_suffix(1);
  return !s.empty() && s.back() == '?';
}

// Merges a list of (term, weight) pairs into a sorted, summed vector.
TermVector merge_pairs(std::vector<std::pair<TermId, float>> pairs) {
  std::sort(pairs.begin(), pairs.end());
  TermVector out;
  for (const auto& [term, w] : pairs) {
    if (!out.empty() && out.back().first == term)
      out.back().second += w;
    else
      out.emplace_back(term, w);
  }
  return out;
}

float norm(const TermVector& v) {
  double sum = 0;
  for (const auto& [t, w] : v) sum += static_cast<double>(w) * w;
  return static_cast<float>(std::sqrt(sum));
}

float dot(const TermVector& a, const TermVector& b) {
  double sum = 0;
  auto i = a.begin(), j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (i->first < j->first) {
      ++i;
    } else if (j->first < i->first) {
      ++j;
    } else {
      sum += static_cast<double>(i->second) * j->second;
      ++i;
      ++j;
    }
  }
  return static_cast<float>(sum);
}

// Words after which the next word names a thing ("the tent", "of coffee", "two loaves").
bool noun_context(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "the",      "a",         "an",    "my",      "your",    "our",     "their",   "his",
      "her",      "its",       "this",  "these",   "those",   "some",    "any",     "no",
      "every",    "each",      "many",  "few",     "several", "more",    "most",    "of",
      "in",       "on",        "for",   "with",    "about",   "from",    "at",      "by",
      "into",     "onto",      "over",  "under",   "between", "without", "through", "two",
      "three",    "four",      "five",  "six",     "ten",     "twenty",  "hundred", "hundreds",
      "thousand", "thousands", "other", "another", "whose"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

// Words after which the next word is a verb ("I run", "will change", "to inspect").
bool verb_context(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "i",     "you",     "we",     "they",     "he",       "she",      "who",       "to",
      "will",  "would",   "can",    "could",    "should",   "might",    "must",      "may",
      "don't", "doesn't", "didn't", "won't",    "can't",    "never",    "just",      "did",
      "does",  "do",      "really", "always",   "often",    "still",    "also",      "i'd",
      "you'd", "we'd",    "they'd", "i'll",     "you'll",   "we'll",    "they'll",   "not",
      "then",  "already", "simply", "actually", "wouldn't", "couldn't", "shouldn't", "usually"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

bool is_determiner(std::string_view w) {
  static constexpr std::string_view kWords[] = {"the",   "a",   "an",  "my",   "your",  "our",
                                                "their", "his", "its", "this", "these", "those"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

// Words that grade the adjective after them: "very technical", "how bad".
bool degree_word(std::string_view w) {
  static constexpr std::string_view kWords[] = {"very", "too", "how", "quite", "pretty"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

bool adjective_suffix(std::string_view w) {
  if (w.size() < 6) return false;
  for (std::string_view suffix : {"ful", "ous", "ive", "able", "ible", "less", "est"})
    if (w.ends_with(suffix)) return true;
  return false;
}

}  // namespace

float cosine(const TermVector& a, const TermVector& b) {
  const float na = norm(a), nb = norm(b);
  if (na <= 0 || nb <= 0) return 0;
  return dot(a, b) / (na * nb);
}

void accumulate(TermVector& acc, const TermVector& v, float weight) {
  TermVector out;
  out.reserve(acc.size() + v.size());
  auto i = acc.cbegin();
  auto j = v.cbegin();
  while (i != acc.cend() || j != v.cend()) {
    if (j == v.cend() || (i != acc.cend() && i->first < j->first)) {
      out.push_back(*i++);
    } else if (i == acc.cend() || j->first < i->first) {
      out.emplace_back(j->first, j->second * weight);
      ++j;
    } else {
      out.emplace_back(i->first, i->second + j->second * weight);
      ++i;
      ++j;
    }
  }
  acc = std::move(out);
}

void normalize(TermVector& v) {
  const float n = norm(v);
  if (n <= 0) return;
  for (auto& [t, w] : v) w /= n;
}

Result<EpisodeAnalysis> EpisodeAnalysis::build(const Transcript& t,
                                               const AnalysisOptions& options) {
  if (t.segments.empty())
    return invalid_input("the episode has no transcript text yet, so there is nothing to analyse");
  return build(t, transcript::sentences(t), options);
}

Result<EpisodeAnalysis> EpisodeAnalysis::build(const Transcript& t, std::vector<Sentence> sentences,
                                               const AnalysisOptions& options) {
  std::erase_if(sentences, [](const Sentence& s) { return text::trim(s.text).empty(); });
  if (sentences.empty())
    return invalid_input("the episode has no transcript text yet, so there is nothing to analyse");
  EpisodeAnalysis a(t.language);
  a.timed_ = t.timed;
  a.speakers_ = t.speakers;
  // Speakers' names ("Amara, you helped run…") are vocatives, never topics.
  std::vector<std::string> name_words;
  auto add_name = [&](std::string_view name) {
    for (const auto& tok : tokenize(name)) name_words.push_back(a.rules_.stem(tok.lower));
  };
  for (const auto& sp : t.speakers) add_name(sp.name.empty() ? sp.id : sp.name);
  for (const auto& seg : t.segments) add_name(seg.speaker);
  std::sort(name_words.begin(), name_words.end());
  name_words.erase(std::unique(name_words.begin(), name_words.end()), name_words.end());
  for (const auto& seg : t.segments) a.duration_ms_ = std::max(a.duration_ms_, seg.end_ms);

  // Terms.
  auto& ids = a.ids_;
  std::vector<std::unordered_map<std::string, int>> surface_counts;
  std::vector<int> df;
  std::vector<float> as_noun, as_verb;
  a.sentences_.reserve(sentences.size());
  for (auto& s : sentences) {
    AnalyzedSentence as;
    as.question = ends_with_question(s.text);
    const auto tokens = tokenize(s.text);
    as.word_count = tokens.size();
    for (const auto& tok : tokens) {
      if (!a.rules_.is_content(tok.lower)) continue;
      auto stem = a.rules_.stem(tok.lower);
      auto [it, inserted] = ids.try_emplace(stem, static_cast<TermId>(ids.size()));
      if (inserted) {
        surface_counts.emplace_back();
        df.push_back(0);
        as_noun.push_back(0);
        as_verb.push_back(0);
      }
      ++surface_counts[it->second][tok.lower];
      as.terms.push_back(it->second);
      if (a.rules_.english()) {
        const std::size_t k = static_cast<std::size_t>(&tok - tokens.data());
        const std::string_view prev = k > 0 ? std::string_view(tokens[k - 1].lower) : "";
        const std::string_view next =
            k + 1 < tokens.size() ? std::string_view(tokens[k + 1].lower) : "";
        if (a.rules_.is_verb(tok.lower) || (tok.lower.size() > 5 && tok.lower.ends_with("ly"))) {
          as_verb[it->second] += 2;  // a verb, or an adverb: not a noun either
        } else if (next == "one" || next == "ones") {
          as_verb[it->second] += 1;  // "the most common one": it describes the "one"
        } else if (noun_context(prev) || next == "of") {
          as_noun[it->second] += 1;
        } else if (verb_context(prev) || (tok.lower.size() > 4 && tok.lower.ends_with("ed"))) {
          as_verb[it->second] += 1;
        } else if (is_determiner(next) || adjective_suffix(tok.lower) || degree_word(prev)) {
          // "the cashier slid a packet": a word followed by an article takes an object;
          // "wonderful", "dangerous", "cheapest", "very technical" describe. Neither names
          // a thing.
          as_verb[it->second] += 1;
        }
      }
    }
    std::vector<TermId> unique = as.terms;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    for (TermId id : unique) ++df[id];
    as.sentence = std::move(s);
    a.sentences_.push_back(std::move(as));
  }
  const std::size_t n = a.sentences_.size();
  a.frequency_.assign(df.size(), 0);
  for (const auto& s : a.sentences_)
    for (TermId id : s.terms) ++a.frequency_[id];
  a.idf_.resize(df.size());
  a.surfaces_.resize(df.size());
  a.nounness_.resize(df.size());
  a.name_term_.assign(df.size(), false);
  for (const auto& [stem, id] : ids)
    a.name_term_[id] = std::binary_search(name_words.begin(), name_words.end(), stem);
  for (std::size_t id = 0; id < df.size(); ++id)
    a.nounness_[id] = (as_noun[id] + 0.5F) / (as_noun[id] + as_verb[id] + 1.0F);
  // The lexicon's word classes, over the forms the episode uses, by how often.
  a.lexical_verb_.assign(df.size(), 0.0F);
  if (const Lexicon* lexicon = a.rules_.english() ? english_lexicon() : nullptr) {
    for (std::size_t id = 0; id < df.size(); ++id) {
      float verb = 0, uses = 0;
      for (const auto& [form, c] : surface_counts[id]) {
        const auto wc = lexicon->classes(form);
        if (!wc.known()) continue;
        verb += wc.verb_share() * static_cast<float>(c);
        uses += static_cast<float>(c);
      }
      if (uses > 0) a.lexical_verb_[id] = verb / uses;
    }
  }
  for (std::size_t id = 0; id < df.size(); ++id) {
    a.idf_[id] = static_cast<float>(std::log((static_cast<double>(n) + 1) / (df[id] + 1)) + 1);
    const auto& counts = surface_counts[id];
    const auto best =
        std::max_element(counts.begin(), counts.end(), [](const auto& x, const auto& y) {
          return x.second < y.second || (x.second == y.second && x.first > y.first);
        });
    a.surfaces_[id] = best->first;
  }
  for (auto& s : a.sentences_) {
    std::vector<std::pair<TermId, float>> pairs;
    for (TermId id : s.terms) pairs.emplace_back(id, a.idf_[id]);
    s.vector = merge_pairs(std::move(pairs));
    normalize(s.vector);
  }

  // Turns and backchannels.
  for (std::size_t i = 0; i < n; ++i) {
    const auto& sp = a.sentences_[i].sentence.speaker;
    if (a.turns_.empty() || a.turns_.back().speaker != sp)
      a.turns_.push_back({sp, i, i, false});
    else
      a.turns_.back().last = i;
    a.sentences_[i].turn = a.turns_.size() - 1;
  }
  for (std::size_t k = 1; k + 1 < a.turns_.size(); ++k) {
    auto& turn = a.turns_[k];
    std::size_t words = 0;
    bool question = false;
    for (std::size_t i = turn.first; i <= turn.last; ++i) {
      words += a.sentences_[i].word_count;
      question = question || a.sentences_[i].question;
    }
    // An interjection that is thanked ("That's amazing." "Thank you. …") was an exchange:
    // the speaker closed one thought and opens the next.
    const auto& reply = a.sentences_[a.turns_[k + 1].first];
    const auto reply_words = tokenize(reply.sentence.text);
    const bool thanked = reply.word_count <= 4 && !reply_words.empty() &&
                         (reply_words[0].lower == "thank" || reply_words[0].lower == "thanks");
    turn.backchannel = words <= options.backchannel_max_words && !question && !thanked &&
                       a.turns_[k - 1].speaker == a.turns_[k + 1].speaker;
  }

  // Cohesion across each gap (TextTiling over sentence blocks), smoothed once.
  const std::size_t k = std::max<std::size_t>(1, options.cohesion_block);
  std::vector<float> raw(n, 0.0F);
  for (std::size_t g = 1; g < n; ++g) {
    std::vector<std::pair<TermId, float>> left, right;
    for (std::size_t i = g > k ? g - k : 0; i < g; ++i)
      left.insert(left.end(), a.sentences_[i].vector.begin(), a.sentences_[i].vector.end());
    for (std::size_t i = g; i < std::min(n, g + k); ++i)
      right.insert(right.end(), a.sentences_[i].vector.begin(), a.sentences_[i].vector.end());
    raw[g] = cosine(merge_pairs(std::move(left)), merge_pairs(std::move(right)));
  }
  a.cohesion_.assign(n, 0.0F);
  for (std::size_t g = 1; g < n; ++g) {
    float sum = raw[g];
    int count = 1;
    if (g > 1) sum += raw[g - 1], ++count;
    if (g + 1 < n) sum += raw[g + 1], ++count;
    a.cohesion_[g] = sum / static_cast<float>(count);
  }
  a.depth_.assign(n, 0.0F);
  for (std::size_t g = 1; g < n; ++g) {
    const float c = a.cohesion_[g];
    float lpeak = c, rpeak = c;
    for (std::size_t j = g; j > 1 && a.cohesion_[j - 1] >= a.cohesion_[j]; --j)
      lpeak = std::max(lpeak, a.cohesion_[j - 1]);
    for (std::size_t j = g; j + 1 < n && a.cohesion_[j + 1] >= a.cohesion_[j]; ++j)
      rpeak = std::max(rpeak, a.cohesion_[j + 1]);
    a.depth_[g] = (lpeak - c) + (rpeak - c);
  }

  if (n > 2) {
    std::vector<float> sorted(a.depth_.begin() + 1, a.depth_.end());
    const auto p90 = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() * 9 / 10);
    std::nth_element(sorted.begin(), p90, sorted.end());
    a.depth_scale_ = std::max(*p90, 1e-3F);
  }

  // Centrality: similarity to the episode's centroid.
  std::vector<std::pair<TermId, float>> all;
  for (const auto& s : a.sentences_) all.insert(all.end(), s.vector.begin(), s.vector.end());
  TermVector centroid = merge_pairs(std::move(all));
  normalize(centroid);
  a.centrality_.reserve(n);
  for (const auto& s : a.sentences_) a.centrality_.push_back(cosine(s.vector, centroid));
  return a;
}

std::optional<std::size_t> EpisodeAnalysis::sentence_at(Millis ms) const {
  if (!timed_ || sentences_.empty()) return std::nullopt;
  auto it =
      std::upper_bound(sentences_.begin(), sentences_.end(), ms,
                       [](Millis v, const AnalyzedSentence& s) { return v < s.sentence.start_ms; });
  if (it == sentences_.begin()) return std::nullopt;
  return static_cast<std::size_t>(it - sentences_.begin()) - 1;
}

std::optional<std::size_t> EpisodeAnalysis::sentence_from(Millis ms) const {
  if (!timed_) return std::nullopt;
  auto it =
      std::upper_bound(sentences_.begin(), sentences_.end(), ms,
                       [](Millis v, const AnalyzedSentence& s) { return v < s.sentence.end_ms; });
  if (it == sentences_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - sentences_.begin());
}

std::optional<TermId> EpisodeAnalysis::term_of(std::string_view lower_word) const {
  const auto it = ids_.find(rules_.stem(lower_word));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

float EpisodeAnalysis::cohesion(std::size_t g) const {
  return g > 0 && g < cohesion_.size() ? cohesion_[g] : 0.0F;
}

float EpisodeAnalysis::depth(std::size_t g) const {
  return g > 0 && g < depth_.size() ? depth_[g] : 0.0F;
}

std::string EpisodeAnalysis::speaker_name(std::string_view id) const {
  for (const auto& s : speakers_)
    if (s.id == id) return s.name.empty() ? s.id : s.name;
  return std::string(id);
}

}  // namespace hark::insight
