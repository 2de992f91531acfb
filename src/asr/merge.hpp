// Chunk transcripts back into one episode transcript.
//
// Each chunk's segments and words are shifted by the chunk's offset. Cuts are made in
// silence, so chunk edges normally do not overlap, but engines misbehave at edges:
// - a word that straddles the cut (the fallback cut in music) comes back from both chunks:
//   the end of one and the start of the next. A leading word of a chunk with the same
//   normalised text (lower case, no punctuation) as one of the previous chunk's last words,
//   overlapping it in time, is dropped;
// - a hallucinated repeat of the previous chunk's last words at the start of a chunk: two or
//   more leading words matching, in order, words that ended at most kEdgeToleranceMs before
//   them are dropped. A single repeated word without a time overlap is kept ("... said no."
//   | "No, we ...").
// Only words starting in the first kEdgeWindowMs of a chunk are candidates. Segments without
// word timings are compared by their text's words, at the segment's times.
//
// Whisper's known failure on silence and noise — "" or a hallucination such as "Thank you."
// — is guarded: a segment with no_speech_prob > kNoSpeechThreshold and avg_logprob <
// kLogprobThreshold is dropped (the rule Whisper itself uses to skip silent windows), as are
// segments and words starting at or after their chunk's end (a word's text goes with it).
// Segments come out ordered by start. The language is the one most chunks with speech detected
// (ties: the earliest).
//
// Pure; thread-safe.
#pragma once

#include <vector>

#include "asr/wire.hpp"
#include "core/transcript.hpp"

namespace hark::asr {

inline constexpr double kNoSpeechThreshold = 0.6;
inline constexpr double kLogprobThreshold = -1.0;
inline constexpr Millis kEdgeToleranceMs = 1500;
inline constexpr Millis kEdgeWindowMs = 3000;

struct ChunkResult {
  Millis offset_ms = 0;    // where the chunk starts in the episode
  Millis duration_ms = 0;  // its length
  ChunkTranscript transcript{};
};

// True for the no-speech hallucination pattern described above.
bool is_no_speech(const WireSegment& segment);

// Segments and language of the whole episode; `source` is left "" and `timed` is true.
// `chunks` must be ordered by offset.
Transcript merge_chunks(const std::vector<ChunkResult>& chunks);

}  // namespace hark::asr
