// The words of a snip, highlight or chapter: title, summary, key takeaways and a quote for
// a passage of an episode.
//
// PassageWriter is the seam for engines: the built-in ExtractiveWriter (this file) picks
// and cleans sentences of the passage and needs no model; a language-model writer (llm/,
// later) can replace any field, and write_with_fallback() fills whatever it could not
// write from the extractive text, so a missing or failing model never leaves a snip
// without a title.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "insight/analysis.hpp"

namespace hark::insight {

// Sentences [first, last] (inclusive) of an analysed episode. The analysis must outlive it.
struct Passage {
  const EpisodeAnalysis* analysis = nullptr;
  std::size_t first = 0;
  std::size_t last = 0;
  // For a snip: the sentence the listener tapped in, just after hearing what they want to
  // keep. Its words weigh more in the title. None for chapters, highlights and selections.
  std::optional<std::size_t> moment;
};

struct PassageText {
  std::string title;    // ≤ kMaxTitleBytes, Title Case, never empty from the extractive writer
  std::string summary;  // 1–3 sentences
  std::vector<std::string> takeaways;  // 2–4 bullets when the passage has that many claims
  std::string quote;
  std::string quote_speaker;  // display name ("" when the transcript names no speakers)
  std::string engine;         // "extractive", or the model's name
  // Why the preferred writer's text (or a field of it) was not used ("" when it was, or
  // when there was none): its error, or "quote: ..." when only its quote was replaced.
  std::string fallback_reason;
};

inline constexpr std::size_t kMaxTitleBytes = 80;
inline constexpr std::size_t kMaxWriterTitleBytes = 400;

struct WriteOptions {
  std::size_t max_summary_sentences = 3;
  std::size_t max_summary_words = 70;
  std::size_t min_takeaways = 2;
  std::size_t max_takeaways = 4;
  std::size_t max_takeaway_words = 28;
  double mmr_lambda = 0.7;  // relevance against novelty when picking takeaways
};

// Writes the text of a passage. Implementations say whether they are thread-safe; a
// failure is an Error (Unavailable for a model that cannot be reached), never an exception.
class PassageWriter {
 public:
  virtual ~PassageWriter() = default;
  virtual Result<PassageText> write(const Passage& passage) = 0;
};

// The built-in engine. Stateless; thread-safe.
class ExtractiveWriter final : public PassageWriter {
 public:
  explicit ExtractiveWriter(WriteOptions options = {}) : options_(options) {}
  Result<PassageText> write(const Passage& passage) override;

 private:
  WriteOptions options_;
};

PassageText extractive_text(const Passage& passage, const WriteOptions& options = {});

// `preferred` (may be null) first; any field it leaves empty, or everything when it fails,
// comes from the extractive writer. `engine` names who wrote the title; when `preferred`
// failed, `fallback_reason` holds its error message. A writer's title is capped at
// kMaxWriterTitleBytes (its own, stricter limit applies first).
PassageText write_with_fallback(PassageWriter* preferred, const Passage& passage,
                                const WriteOptions& options = {});

// The pieces, for callers that need only one (chapters need only a title).
// The title: from the question the passage answers when it has a known shape ("Why City
// Honey Tastes So Different"), with the answer's key phrase after a colon when there is
// room and the question does not name it; else the passage's key noun phrases ("Knees and
// Shoes"), those of the question and the first answer sentence first. Prefixed with the
// passage's subject ("Lines: Dots and Sand") when it repeats a noun the title lacks.
std::string extractive_title(const Passage& passage);
// TextRank over the passage's sentences (cosine of their tf-idf vectors); one score per
// sentence, summing to the number of sentences.
std::vector<double> text_rank(const Passage& passage);
// A key phrase: a run of up to three content words of one sentence, as written.
struct KeyPhrase {
  std::vector<TermId> terms;
  std::string text;
  double score = 0;
  int mentions = 0;       // times the passage says the phrase's last word
  bool focus = false;     // said in a focus sentence
  bool noun = false;      // ends on a noun and holds no verb, adverb or name
  bool compound = false;  // one entry of the lexicon ("chewing gum")
};
// The passage's key phrases taken from sentences [from, to], best first: noun phrases
// scored by frequency in the passage × rarity in the episode, words of the focus sentences
// [focus_from, focus_to] counting more.
std::vector<KeyPhrase> key_phrases(const Passage& passage, std::size_t from, std::size_t to,
                                   std::size_t focus_from, std::size_t focus_to);
// A title from the passage's key phrases ("X and Y" from the two best that share no word).
std::string key_phrase_title(const Passage& passage);
// The same, with phrases taken only from sentences [from, to] (weights still from the whole
// passage): the question turn of an interview names its topic.
std::string key_phrase_title(const Passage& passage, std::size_t from, std::size_t to);
// The bullet form of a sentence: fillers and leading markers removed, long sentences cut
// at a clause boundary.
std::string as_bullet(const LanguageRules& rules, std::string_view sentence, std::size_t max_words);

}  // namespace hark::insight
