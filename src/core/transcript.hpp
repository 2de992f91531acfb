// The transcript of an episode as plain value types, and the simple look-ups every
// consumer needs (what is said at t, what is said between a and b, who is speaking).
//
// Contract: no I/O, no Unicode library. Every function here is pure and thread-safe
// (it only reads its arguments). Format parsing/emitting, sentence segmentation (ICU)
// and speaker resolution live in src/transcript/, which depends on this header, not the
// other way round.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace hark {

// One spoken word (or token) with its own timing, when the source has word timings
// (ASR output, word-level Podcasting 2.0 JSON, WebVTT timestamp tags).
struct Word {
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string text;
  std::optional<double> confidence;  // 0..1 when the recogniser reports it
  bool operator==(const Word&) const = default;
};

// One cue / paragraph. `speaker` is a Speaker::id ("" when unknown). `text` is
// whitespace-collapsed UTF-8 without markup. `words`, when not empty, are the words of
// `text` in order with their own times inside [start_ms, end_ms].
struct Segment {
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string speaker;
  std::string text;
  std::vector<Word> words;
  bool operator==(const Segment&) const = default;
};

// `id` is the label the source uses (a voice-tag name, a "Name:" prefix, "SPEAKER_00").
// `name` is the display name when known ("" for anonymous labels like "SPEAKER_00");
// `role` is "host", "guest", … when known from the feed's podcast:person entries.
struct Speaker {
  std::string id;
  std::string name;
  std::string role;
  bool operator==(const Speaker&) const = default;
};

// Segments are ordered by start_ms (stable; overlapping segments are allowed).
// `timed` is false for sources without times (plain text, HTML without <time>): all
// times are then 0 and the time look-ups below find nothing.
struct Transcript {
  std::vector<Segment> segments;
  std::vector<Speaker> speakers;
  std::string language;  // BCP 47 tag when known ("en", "de-AT"), else ""
  std::string source;    // "publisher:vtt", "publisher:json", "asr:whisper", …
  bool timed = true;
  bool operator==(const Transcript&) const = default;
};

// A sentence as produced by transcript::sentences(): never spans two speakers, may span
// several segments [first_segment, last_segment].
struct Sentence {
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string speaker;
  std::string text;
  std::size_t first_segment = 0;
  std::size_t last_segment = 0;
  bool operator==(const Sentence&) const = default;
};

// A maximal run of consecutive segments with the same speaker id.
struct SpeakerTurn {
  std::string speaker;
  Millis start_ms = 0;
  Millis end_ms = 0;  // the latest end among the turn's segments
  std::size_t first_segment = 0;
  std::size_t last_segment = 0;
  bool operator==(const SpeakerTurn&) const = default;
};

// Index of the segment being spoken at `ms` (start_ms <= ms < end_ms), or nullopt in a
// gap, outside the transcript, or for an untimed transcript. When segments overlap, the
// latest-starting one wins. O(log n): binary search on start_ms, then a bounded look
// back (kMaxOverlapLookBack segments) for a long earlier segment that still covers `ms`.
inline constexpr std::size_t kMaxOverlapLookBack = 32;
std::optional<std::size_t> segment_at(const Transcript& t, Millis ms);

// The words spoken in [from_ms, to_ms), joined by single spaces. Segments with word
// timings contribute only their words that overlap the range; segments without word
// timings contribute their whole text when they overlap it. "" for untimed transcripts.
std::string text_between(const Transcript& t, Millis from_ms, Millis to_ms);

std::vector<SpeakerTurn> speaker_turns(const Transcript& t);

// The entry of `id` in the speaker table, or nullptr.
const Speaker* find_speaker(const Transcript& t, std::string_view id);

// What to show for speaker `id`: its name when known, else the id itself ("" for "").
std::string speaker_name(const Transcript& t, std::string_view id);

}  // namespace hark
