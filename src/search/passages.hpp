// Cutting a transcript into passages: the moments search finds and lands on. Pure
// functions: thread-safe.
#pragma once

#include <vector>

#include "core/search.hpp"
#include "core/transcript.hpp"

namespace hark::search {

struct PassageOptions {
  Millis min_ms = 20'000;     // a passage may close before a sentence that would overflow it
                              // once it is this long...
  Millis target_ms = 30'000;  // ...and closes at the first sentence end past this...
  Millis max_ms = 45'000;     // ...and before a sentence would take it past this
  // A speaker change closes a passage once it is this long (shorter turns join the next).
  Millis speaker_change_min_ms = 8'000;
  // Untimed transcripts (no times at all) are cut by words instead.
  int untimed_min_words = 60;
  int untimed_max_words = 120;
};

// Consecutive sentences (ICU, per transcript.language) grouped into passages of about
// min_ms–max_ms that never split a sentence; a sentence longer than max_ms is a passage by
// itself. A passage's speaker is the display name of whoever speaks longest in it. Empty
// for a transcript without text.
std::vector<Passage> make_passages(const Transcript& transcript,
                                   const PassageOptions& options = {});

}  // namespace hark::search
