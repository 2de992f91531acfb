// Word error rate: the normalisation shared with services/asr/wer.py (the same cases give the
// same words there) and the alignment counts.
#include "asr/wer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hark::asr {
namespace {

using Words = std::vector<std::string>;

TEST(WerNormalize, SpokenFormsOfTheScriptMatchWhatWhisperWrites) {
  // The sample's scripts say "Dr.", "3.5", "U.S."; espeak-ng reads them out and Whisper
  // writes what it heard, in either form.
  const Words expected = {"doctor",  "priya", "raman", "said",  "three",    "point", "five",
                          "percent", "of",    "u",     "s",     "students", "sleep", "twenty",
                          "hours",   "on",    "the",   "third", "day"};
  EXPECT_EQ(
      normalize_words("Dr. Priya Raman said 3.5% of U.S. students sleep 20 hours on the 3rd day."),
      expected);
  EXPECT_EQ(normalize_words("Doctor Priya Raman said three point five percent of US students "
                            "sleep twenty hours on the third day."),
            expected);
}

TEST(WerNormalize, QuotesContractionsAcronymsThousandsHyphensFillers) {
  const Words expected = {"i", "am",    "sure", "it",       "is",    "fine", "r",    "e",
                          "m", "sleep", "one",  "thousand", "times", "well", "known"};
  EXPECT_EQ(
      normalize_words("I\u2019m sure it\u2019s fine \u2014 REM sleep, 1,000 times; well-known."),
      expected);
  EXPECT_EQ(
      normalize_words("Um, I am sure it is fine, R E M sleep one thousand times, uh, well known"),
      expected);
  EXPECT_EQ(normalize_words("21st 42 1999 0.25"),
            (Words{"twenty", "first", "forty", "two", "one", "thousand", "nine", "hundred",
                   "ninety", "nine", "zero", "point", "two", "five"}));
  EXPECT_EQ(normalize_words("Café über"), (Words{"café", "über"}));
}

TEST(WordErrorRate, CountsSubstitutionsDeletionsAndInsertions) {
  const auto same = word_error_rate("Thanks, Dr. Raman!", "thanks doctor raman");
  EXPECT_EQ(same.rate, 0.0);
  EXPECT_EQ(same.hits, 3);

  const auto names =
      word_error_rate("Lantern Hour, with Theo Marsh.", "Lenter Hauer with Theo Marsh");
  EXPECT_EQ(names.substitutions, 2);
  EXPECT_EQ(names.reference_words, 5);
  EXPECT_DOUBLE_EQ(names.rate, 0.4);

  const auto missing = word_error_rate("one two three four", "one three four");
  EXPECT_EQ(missing.deletions, 1);
  EXPECT_EQ(missing.substitutions + missing.insertions, 0);

  const auto extra = word_error_rate("one two", "one two three four");
  EXPECT_EQ(extra.insertions, 2);
  EXPECT_DOUBLE_EQ(extra.rate, 1.0);

  const auto mixed = word_error_rate("the cat sat on the mat", "the cat sat on mat uh today");
  EXPECT_EQ(mixed.substitutions + mixed.deletions + mixed.insertions, 2);

  EXPECT_EQ(word_error_rate("", "").rate, 0.0);
  EXPECT_EQ(word_error_rate("", "words").rate, 1.0);
  EXPECT_EQ(word_error_rate("words", "").deletions, 1);
}

TEST(WordErrorRate, DescribeReadsLikeWerPy) {
  EXPECT_EQ(describe(word_error_rate("a b c d", "a x c d e")),
            "50.00 % (S 1, D 0, I 1 of 4 words)");
}

}  // namespace
}  // namespace hark::asr
