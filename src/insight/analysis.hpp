// EpisodeAnalysis: everything the extractive engine needs about one transcript, computed
// once (sentences, content terms, IDF over the episode, speaker turns, questions, lexical
// cohesion between neighbouring sentences) so that a snip on a 3-hour episode only looks
// at a window around the tap.
//
// Contract: built from a Transcript by a pure function (ICU sentence segmentation inside);
// immutable afterwards and safe to share between threads. It copies what it needs and
// keeps no reference to the Transcript.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/transcript.hpp"
#include "insight/language.hpp"

namespace hark::insight {

using TermId = std::uint32_t;
// A sparse vector: (term, weight) sorted by term.
using TermVector = std::vector<std::pair<TermId, float>>;

struct AnalyzedSentence {
  Sentence sentence;
  std::vector<TermId> terms;  // content terms (stemmed) in order, repeats kept
  TermVector vector;          // tf-idf, L2-normalised
  std::size_t word_count = 0;
  std::size_t turn = 0;   // index into EpisodeAnalysis::turns()
  bool question = false;  // ends with '?'
};

// A run of sentences by one speaker. A `backchannel` is a short interjection ("Right.",
// "Mm-hmm, sure.") that does not take the floor: the turns around it are one thought. One
// the speaker thanks ("That's amazing." "Thank you.") was an exchange, not a backchannel.
struct SentenceTurn {
  std::string speaker;
  std::size_t first = 0;  // sentence indices, inclusive
  std::size_t last = 0;
  bool backchannel = false;
};

struct AnalysisOptions {
  // Sentences on each side of a gap whose terms are compared (TextTiling's block size).
  std::size_t cohesion_block = 6;
  // An interjection of at most this many words and no question is a backchannel.
  std::size_t backchannel_max_words = 6;
};

class EpisodeAnalysis {
 public:
  // InvalidInput when the transcript has no text at all. Untimed transcripts are analysed
  // (all times 0); time look-ups then find nothing.
  static Result<EpisodeAnalysis> build(const Transcript& t, const AnalysisOptions& options = {});
  // The same, from sentences already split (by transcript::sentences or a cache).
  static Result<EpisodeAnalysis> build(const Transcript& t, std::vector<Sentence> sentences,
                                       const AnalysisOptions& options = {});

  [[nodiscard]] const std::vector<AnalyzedSentence>& sentences() const { return sentences_; }
  [[nodiscard]] const AnalyzedSentence& sentence(std::size_t i) const { return sentences_[i]; }
  [[nodiscard]] std::size_t size() const { return sentences_.size(); }
  [[nodiscard]] const std::vector<SentenceTurn>& turns() const { return turns_; }
  [[nodiscard]] const LanguageRules& rules() const { return rules_; }
  [[nodiscard]] bool timed() const { return timed_; }
  [[nodiscard]] Millis duration_ms() const { return duration_ms_; }

  // The last sentence that starts at or before `ms` (the one in progress, or the one just
  // finished when `ms` falls in a pause); nullopt before the first sentence or untimed.
  [[nodiscard]] std::optional<std::size_t> sentence_at(Millis ms) const;
  // The first sentence that ends after `ms`.
  [[nodiscard]] std::optional<std::size_t> sentence_from(Millis ms) const;

  [[nodiscard]] float idf(TermId term) const { return idf_[term]; }
  // How many times the term occurs in the whole episode.
  [[nodiscard]] std::uint32_t frequency(TermId term) const { return frequency_[term]; }
  [[nodiscard]] std::size_t vocabulary_size() const { return surfaces_.size(); }
  // The most frequent way the episode writes the term ("sleep" for sleep/sleeping/sleeps).
  [[nodiscard]] const std::string& surface(TermId term) const { return surfaces_[term]; }
  [[nodiscard]] std::optional<TermId> term_of(std::string_view lower_word) const;
  // How likely the term is a noun (0…1) from the words around it across the episode: after
  // "the", "of", "two" it names a thing; after "I", "will", "to" it is a verb; "-ly" words
  // are adverbs. 0.5 when the episode gives no evidence. Titles are built from nouns.
  [[nodiscard]] float nounness(TermId term) const { return nounness_[term]; }
  // How much the system's WordNet (english_lexicon()) uses the term's forms, as the episode
  // writes them, as verbs or adverbs (0…1): "fills", "everywhere" ≈ 1, "manager", "warm" 0.
  // 0 when it does not know them or is not installed.
  [[nodiscard]] float lexical_verb(TermId term) const { return lexical_verb_[term]; }
  // A word of a speaker's name ("Amara", "Brandt"): addressed, never the topic.
  [[nodiscard]] bool speaker_name_term(TermId term) const { return name_term_[term]; }

  // Lexical cohesion across the gap before sentence g (1 ≤ g < size()): cosine similarity of
  // the blocks of sentences on either side, smoothed. 0 for g out of range.
  [[nodiscard]] float cohesion(std::size_t g) const;
  // TextTiling depth of that gap: how far cohesion dips below the peaks on either side.
  [[nodiscard]] float depth(std::size_t g) const;
  // A high depth for this episode (its 90th percentile, never 0): depth() / depth_scale()
  // ≥ 1 marks one of its clearest topic shifts, whatever the vocabulary of the episode.
  [[nodiscard]] float depth_scale() const { return depth_scale_; }
  // Similarity of sentence i to the whole episode (cosine with the centroid).
  [[nodiscard]] float centrality(std::size_t i) const { return centrality_[i]; }

  // The speaker's display name for a Sentence::speaker id.
  [[nodiscard]] std::string speaker_name(std::string_view id) const;
  [[nodiscard]] const std::string& language() const { return language_; }

 private:
  explicit EpisodeAnalysis(std::string_view language) : rules_(language), language_(language) {}

  LanguageRules rules_;
  std::string language_;
  bool timed_ = true;
  Millis duration_ms_ = 0;
  std::vector<AnalyzedSentence> sentences_;
  std::vector<SentenceTurn> turns_;
  std::vector<float> idf_;
  std::vector<std::uint32_t> frequency_;
  std::vector<std::string> surfaces_;
  std::vector<float> nounness_;
  std::vector<float> lexical_verb_;
  std::vector<bool> name_term_;
  std::unordered_map<std::string, TermId> ids_;  // stem → term
  std::vector<float> cohesion_;                  // by gap index
  std::vector<float> depth_;
  float depth_scale_ = 1.0F;
  std::vector<float> centrality_;
  std::vector<Speaker> speakers_;
};

// Cosine similarity of two L2-normalised sparse vectors.
float cosine(const TermVector& a, const TermVector& b);
// Adds `weight` × v into acc (both sorted); the result stays sorted.
void accumulate(TermVector& acc, const TermVector& v, float weight = 1.0F);
void normalize(TermVector& v);

}  // namespace hark::insight
