// Snips: "save this moment" turned into one whole thought with a title, a summary, key
// takeaways and a quote.
//
// Boundaries (snip_bounds). The listener taps *after* hearing the moment, so the snip ends
// at the end of the sentence in progress at the tap — or at the end of the speaker's turn
// when that comes within SnipOptions::turn_end_grace_ms. It starts where the thought
// begins: at the question the current answer responds to (interviews), else at the start
// of the speaker's turn, else (monologues, long turns and answers longer than
// long_answer_ms) at the best thought start before the tap: discourse cues ("Meanwhile,",
// "And there was another…", "So what is the lesson?"), a speaker taking the floor (also
// after "Can I jump in?" "Go ahead."), a dip in lexical cohesion measured against the
// episode's clearest dips, and nearness to the tap. Short interjections ("Right.") by
// someone else do not split a turn, unless the speaker thanks them ("That's amazing."
// "Thank you."). A second panellist's short reply takes in the question both answer.
// Boundaries are always sentence boundaries, and the length is kept within
// [min_ms, max_ms], aiming for [aim_min_ms, aim_max_ms].
//
// Contract: pure functions; thread-safe over a shared EpisodeAnalysis. Errors: NotFound
// when the episode has no transcript yet, InvalidInput for an untimed transcript (a tap
// cannot be placed in it) or a bad range. A tap before the first sentence or after the end
// of the episode snips the opening or the closing thought.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/transcript.hpp"
#include "insight/analysis.hpp"
#include "insight/describe.hpp"

namespace hark::insight {

struct SnipOptions {
  Millis min_ms = 15000;
  Millis aim_min_ms = 30000;
  Millis aim_max_ms = 90000;
  Millis max_ms = 180000;
  // An answer longer than this (from its question) may have moved on: start at a clear
  // topic shift inside it instead of the question.
  Millis long_answer_ms = 60000;
  // End at the speaker's turn end instead of the sentence end when the turn ends this soon
  // after the tap.
  Millis turn_end_grace_ms = 5000;
  // A tap this early in a new question turn means the answer before it was the moment.
  Millis question_tap_grace_ms = 4000;
  // The longest text selection make_snip_range accepts.
  Millis max_selection_ms = 15 * 60 * 1000;
  WriteOptions write;
};

// Where a snip starts and ends: sentences [first, last] and their times. `reason` says
// how the start was found ("question", "turn", "topic-shift", "selection", …) for the
// evaluation and for debugging.
struct SnipBounds {
  std::size_t first = 0;
  std::size_t last = 0;
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string reason;
  // The sentence in progress at the tap (within [first, last]); none for a selection.
  std::optional<std::size_t> moment;
};

struct SnipDraft {
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string title;
  std::string summary;
  std::vector<std::string> takeaways;
  std::string quote;
  std::string quote_speaker;
  std::vector<std::string> speakers;  // display names in order of first appearance
  std::string engine = "extractive";
  std::string fallback_reason;  // see PassageText::fallback_reason
};

Result<SnipBounds> snip_bounds(const EpisodeAnalysis& analysis, Millis tap,
                               const SnipOptions& options = {});
// Snaps a selection to whole sentences: from the sentence in progress at `from_ms` to the
// one in progress at `to_ms`.
Result<SnipBounds> range_bounds(const EpisodeAnalysis& analysis, Millis from_ms, Millis to_ms,
                                const SnipOptions& options = {});

// `writer` (may be null) may replace the text; the extractive text fills any gap.
Result<SnipDraft> make_snip(const EpisodeAnalysis& analysis, Millis tap,
                            const SnipOptions& options = {}, PassageWriter* writer = nullptr);
Result<SnipDraft> make_snip_range(const EpisodeAnalysis& analysis, Millis from_ms, Millis to_ms,
                                  const SnipOptions& options = {}, PassageWriter* writer = nullptr);

// One-off conveniences that analyse the transcript first (use EpisodeAnalysis for more than
// one snip of an episode).
Result<SnipDraft> make_snip(const Transcript& transcript, Millis tap,
                            const SnipOptions& options = {});
Result<SnipDraft> make_snip_range(const Transcript& transcript, Millis from_ms, Millis to_ms,
                                  const SnipOptions& options = {});

// The draft for sentences `bounds` (title, summary, … by `writer` with fallback).
SnipDraft draft_for(const EpisodeAnalysis& analysis, const SnipBounds& bounds,
                    const WriteOptions& options = {}, PassageWriter* writer = nullptr);

}  // namespace hark::insight
