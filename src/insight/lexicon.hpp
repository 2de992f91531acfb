// Word classes of English words from a lexicon (WordNet 3.0's database files, Debian's
// `wordnet-base`), for the title engine: a title names things, and the per-episode guess
// from context alone takes words that are only ever verbs or adjectives ("adds", "warm") for
// nouns. The lexicon says which classes a word can have and, from WordNet's sense-tagged
// corpus counts (cntlist.rev), how often it is used in each.
//
// Contract: Lexicon::load reads the files once; the object is immutable afterwards and safe
// to share between threads. english_lexicon() loads the system copy lazily on first use and
// returns nullptr when it is not installed: callers then fall back to context alone.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"

namespace hark::insight {

// How much a word is used as each class: sense-tagged counts plus one for each class the
// lexicon lists it in at all. All zero when the lexicon does not know the word.
struct WordClasses {
  float noun = 0;
  float verb = 0;
  float adj = 0;  // adjectives and satellite adjectives
  float adv = 0;

  [[nodiscard]] bool known() const { return noun + verb + adj + adv > 0; }
  [[nodiscard]] float total() const { return noun + verb + adj + adv; }
  // Share of its uses as a noun (0…1); 0.5 when unknown.
  [[nodiscard]] float noun_share() const { return known() ? noun / total() : 0.5F; }
  // Share as a verb or an adverb: what can neither head nor modify a noun phrase.
  [[nodiscard]] float verb_share() const { return known() ? (verb + adv) / total() : 0.0F; }
};

class Lexicon {
 public:
  // Reads index.{noun,verb,adj,adv}, cntlist.rev (optional) and the *.exc exception lists
  // from `dir`. NotFound when the index files are missing, InvalidInput when they hold no
  // entries.
  static Result<Lexicon> load(const std::filesystem::path& dir);

  // The classes of a word as written, lower case, inflections included ("knees" → knee as a
  // noun; "runs" → run as a noun and as a verb; "feet" → foot). Multi-word entries join
  // their words with '_' ("chewing_gum").
  [[nodiscard]] WordClasses classes(std::string_view lower_word) const;
  // True when the lexicon lists the words (joined by '_') as one entry of that class.
  [[nodiscard]] bool has_noun(std::string_view lemma) const;
  // The base form of a verb as written ("stopped" → "stop", "ran" → "run", "cut" → "cut");
  // "" when the lexicon knows no verb it could be a form of.
  [[nodiscard]] std::string verb_lemma(std::string_view lower_word) const;
  // The "-ing" form of a verb's base form ("cut" → "cutting", "reuse" → "reusing", "open" →
  // "opening"): spelling rules, with a doubled consonant only when the lexicon lists the
  // doubled form ("beginning") or the base is one short syllable ("stop").
  [[nodiscard]] std::string gerund(std::string_view base) const;
  [[nodiscard]] std::size_t size() const { return lemmas_.size(); }

 private:
  using Counts = std::array<float, 4>;  // noun, verb, adj, adv
  std::unordered_map<std::string, Counts> lemmas_;
  // Irregular forms → base form, by class ("feet" → "foot", "ran" → "run").
  std::array<std::unordered_multimap<std::string, std::string>, 4> exceptions_;
};

// The system's WordNet (the directory in $HARK_WORDNET_DIR, else /usr/share/wordnet),
// loaded on first use; nullptr when it is missing or unreadable.
const Lexicon* english_lexicon();

}  // namespace hark::insight
