// Sentences of a transcript, with times, using ICU's sentence break rules.
//
// Contract:
//  * Sentences never span two speakers; they may span segments (a sentence that starts
//    in one cue and ends in the next is one sentence, timed from the start of its part
//    of the first cue to the end of its part of the last).
//  * Times come from word timings when the segments have them; otherwise a segment's
//    time is spread over its text by character count.
//  * Abbreviations do not end sentences: ICU's standard suppressions for the locale
//    (FilteredBreakIteratorBuilder) plus kAbbreviations below, which ICU 72 misses
//    ("Dr.", "St.") or cannot suppress because they contain inner periods ("U.S.",
//    "e.g.").
//  * An ellipsis, "…" or "...", ends a sentence when a capitalised word follows
//    ("Wait… What?"), not when the speaker carries on in lower case ("I was thinking…
//    maybe"). ICU does this for "..." only; "…" is made to behave the same.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/transcript.hpp"

namespace hark::transcript {

inline constexpr std::array<std::string_view, 24> kAbbreviations = {
    "Dr.",  "Mr.",  "Mrs.", "Ms.",  "Mx.",     "Prof.",   "St.",  "Jr.",
    "Sr.",  "Mt.",  "vs.",  "Vs.",  "approx.", "Approx.", "e.g.", "E.g.",
    "i.e.", "I.e.", "cf.",  "U.S.", "U.K.",    "U.N.",    "E.U.", "Ave."};

// Holds one ICU sentence BreakIterator so that many transcripts (or one long one) can be
// split without rebuilding it. Not thread-safe: use one per thread. Throws
// std::runtime_error only if ICU's break rules cannot be loaded (a broken install).
class SentenceSegmenter {
 public:
  // `language` is a BCP 47 tag; "" means English.
  explicit SentenceSegmenter(std::string_view language = "en");
  ~SentenceSegmenter();
  SentenceSegmenter(SentenceSegmenter&&) noexcept;
  SentenceSegmenter& operator=(SentenceSegmenter&&) noexcept;

  std::vector<Sentence> split(const Transcript& t);
  // The sentences of one run of text, trimmed.
  std::vector<std::string> split_text(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Convenience: a SentenceSegmenter for t.language, used once.
std::vector<Sentence> sentences(const Transcript& t);

}  // namespace hark::transcript
