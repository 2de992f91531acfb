// Word-level language rules for the extractive engine: tokens, stop words, a light
// stemmer, disfluency removal and title casing. English has full rules; other languages
// get tokenisation and lower-casing only (no stop words, no stemming, no filler list), so
// the engine still works on them, just less well, until their rules are added here.
//
// Contract: pure functions over UTF-8; a LanguageRules object is immutable after
// construction and safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace hark::insight {

// One word of a text: `lower` is the ASCII-lower-cased word without surrounding
// punctuation ("don't", "covid-19", "café"); [begin, end) is where it sits in the text.
struct Token {
  std::string lower;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Words are runs of letters, digits, apostrophes and inner hyphens; bytes >= 0x80 count as
// letters except the General Punctuation block (dashes, curly quotes, "…").
std::vector<Token> tokenize(std::string_view text);

class LanguageRules {
 public:
  // `language` is a BCP 47 tag; "" and "en-*" select English.
  explicit LanguageRules(std::string_view language);

  [[nodiscard]] bool english() const { return english_; }
  // Function words and conversational fillers that carry no topic.
  [[nodiscard]] bool is_stop_word(std::string_view lower) const;
  // The stem used to match inflected forms ("sleeping", "sleeps" → "sleep").
  [[nodiscard]] std::string stem(std::string_view lower) const;
  // A content term: not a stop word, not a number alone, at least 3 letters.
  [[nodiscard]] bool is_content(std::string_view lower) const;
  // A noun too vague to carry a title on its own: "week", "moment", "pair", "way".
  [[nodiscard]] bool is_vague_noun(std::string_view lower) const;
  // A word that is (almost) only ever a verb: "knew", "brought", "explain", "overtakes".
  // Words that are as often nouns ("run", "change", "call") are not on the list.
  [[nodiscard]] bool is_verb(std::string_view lower) const;

  // Removes fillers ("um", "uh", "you know", "I mean", filler "like") and stutters
  // ("I, I", "the the", "th- the") without touching the words that carry meaning, then
  // repairs commas and the initial capital.
  [[nodiscard]] std::string clean_disfluencies(std::string_view sentence) const;

  // "how do you pick a topic" → "How Do You Pick a Topic". Words already written with
  // capitals inside ("iPhone", "NASA") keep them.
  [[nodiscard]] std::string title_case(std::string_view text) const;

  // Turns an interview question into a title when the shape is known:
  // "So how do you pick a topic?" → "How to Pick a Topic",
  // "Why is cramming so bad?" → "Why Cramming Is So Bad". "" when the question has no
  // known shape (the caller then uses key phrases).
  [[nodiscard]] std::string title_from_question(std::string_view question) const;
  // A yes/no question kept as a question title when it names its topic on its own:
  // "So are people still using libraries at all?" → "Are People Still Using Libraries?".
  // "" for other shapes, for questions with fewer than two content words ("Should I
  // panic?") and for questions that point back with a pronoun ("Has that made things
  // safer?"), whose topic is in the sentences before them.
  [[nodiscard]] std::string title_from_yes_no_question(std::string_view question) const;
  // True when the sentence leans on a pronoun for its topic ("What did that look like?",
  // "Why do you do it?").
  [[nodiscard]] bool refers_back(std::string_view sentence) const;

  // Drops leading discourse markers ("So,", "And", "Well,", "Okay so") — used for titles
  // and bullets, where they read as noise.
  [[nodiscard]] std::string strip_leading_markers(std::string_view sentence) const;

  // How strongly a sentence leans on what came before: 2 for connectives a thought never
  // starts with ("And", "Because", "Which"), 1 for "But" (a contrast may open a paragraph)
  // and a leading pronoun that points back ("That's why", "It", "They"), 0 otherwise — and
  // 0 when the sentence announces a new topic ("And another thing…").
  [[nodiscard]] int continuation_strength(std::string_view sentence) const;
  // True when a sentence announces a new topic ("Let's talk about", "Moving on",
  // "Another thing", "Okay, so").
  [[nodiscard]] bool starts_new_topic(std::string_view sentence) const;
  // True when a sentence announces the next item of a list or a recipe: a sequence word and
  // the item ("Next, coffee.", "First, the flour, because…", "Next comes the kneading.",
  // "Now the oven.", "Now salt, which…"). What follows is about that item, so a thought
  // starts here even though the sentence itself is short and says little.
  [[nodiscard]] bool announces_item(std::string_view sentence) const;

 private:
  bool english_ = true;
  std::unordered_set<std::string_view> stop_words_;
};

}  // namespace hark::insight
