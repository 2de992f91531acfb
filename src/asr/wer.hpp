// Word error rate: how far a speech-to-text transcript is from a reference text, after both
// are normalised the same way so that differences of spelling that are not recognition
// errors do not count.
//
// Normalisation (both sides, the same rules as services/asr/wer.py): typographic quotes and
// dashes folded; dotted acronyms ("U.S.") and known letter-by-letter acronyms ("US", "REM")
// become single letters ("u s"); lower case; "Dr." -> doctor, "Mr." -> mister, "St." ->
// saint, ...; numbers become words ("3.5" -> three point five, "1,000" -> one thousand,
// "5%" -> five percent, "3rd" -> third); common contractions expanded ("I'm" -> i am);
// hyphens and slashes split words; other punctuation dropped; fillers (uh, um, hmm) dropped.
// These are the ways a text-to-speech reading of a script and Whisper's spelling of the same
// words differ without either being wrong. Letters outside ASCII are kept as they are.
//
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hark::asr {

struct WordErrorRate {
  double rate = 0;  // (S + D + I) / N; 0 for two empty texts, 1 for words against nothing
  int substitutions = 0;
  int deletions = 0;
  int insertions = 0;
  int hits = 0;
  int reference_words = 0;  // N
  int hypothesis_words = 0;
};

// The normalised words of `text`.
std::vector<std::string> normalize_words(std::string_view text);

// The WER of `hypothesis` against `reference` (raw texts, normalised here): a minimum-edit
// alignment over words (Levenshtein), memory linear in the hypothesis length.
WordErrorRate word_error_rate(std::string_view reference, std::string_view hypothesis);

// "6.21 % (S 21, D 9, I 8 of 612 words)".
std::string describe(const WordErrorRate& wer);

}  // namespace hark::asr
