// The machinery shared by the cue-based parsers (WebVTT, SRT, HTML, plain text): cue
// timestamps, the cue blocks of WebVTT and SRT, cue text markup, "Name:" speaker labels
// and the rule that turns raw cues into segments. Internal to hark_transcript. Pure and
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/transcript.hpp"
#include "transcript/detail/input.hpp"

namespace hark::transcript::detail {

// `[h…h:]mm:ss(.|,)mmm` — hours optional and of any width, exactly three fraction
// digits. Both separators are accepted in both formats: files mix them up often and
// the meaning is never in doubt.
std::optional<Millis> parse_cue_time(std::string_view s);

struct CueTiming {
  Millis start_ms = 0;
  Millis end_ms = 0;
};
// "start --> end [settings]"; settings (WebVTT `align:start`, SRT `X1:…`) are ignored.
std::optional<CueTiming> parse_cue_timing(std::string_view line);

// hh:mm:ss.mmm with `sep` before the milliseconds.
std::string format_cue_time(Millis ms, char sep);

// A label that names a speaker: 1–4 capitalised words without digits ("Theo Marsh",
// "Dr. Priya Raman", "Q"), excluding a few words that label other things ("Note",
// "Update"), or an anonymous diarisation label ("SPEAKER_00", "Speaker 2").
bool is_speaker_label(std::string_view label);
// "SPEAKER_00", "spk_1", "Speaker 2", "S3": a label that is not a person's name.
bool is_anonymous_label(std::string_view label);

// If `line` starts with "Label: " where Label is a speaker label, returns the label and
// the length of the prefix to strip.
struct LabelPrefix {
  std::string label;
  std::size_t length = 0;
};
std::optional<LabelPrefix> speaker_prefix(std::string_view line);

// A cue as read from the file, before its text is interpreted.
struct RawCue {
  int line = 0;  // line of the timing line (or paragraph), for messages
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string payload;               // cue text, lines joined with '\n'
  std::optional<std::string> voice;  // a speaker fixed by the container (HTML <cite>)
};

// "-->": what makes a line a cue timing line, valid or not.
bool has_cue_arrow(std::string_view line);

// Where SRT and WebVTT cue blocks differ; everything else is read the same way.
struct CueBlockRules {
  // Appended to the message for a timing line that does not parse, e.g.
  // "(expected hh:mm:ss,mmm --> hh:mm:ss,mmm)".
  std::string_view expected_timing;
  // The warning (without the line number) for a block that has no timing line.
  std::string (*stray_block)(std::string_view first_line) = nullptr;
  // Whether `lines[j]` starts the next cue although no blank line ended the one before.
  bool (*starts_next_cue)(const std::vector<Line>& lines, std::size_t j) = nullptr;
  // A block that is not a cue and is skipped without a warning (WebVTT NOTE, STYLE,
  // REGION); null when the format has none.
  bool (*is_ignored_block)(std::string_view first_line) = nullptr;
};

struct CueBlocks {
  std::vector<RawCue> cues;
  // The first cue skipped for its timing, "" if none: the error to report when no cue
  // could be read at all.
  std::string first_error;
};

// Reads the blank-line separated blocks of `lines` from index `first` on. A cue block is
// an optional identifier line (SRT: the sequence number), a timing line, then payload
// lines up to a blank line or the next cue. A block without a timing line in its first
// two lines is skipped with a `stray_block` warning; a cue whose timing does not parse
// or that ends before it starts is skipped with a warning and noted in `first_error`.
CueBlocks read_cue_blocks(const std::vector<Line>& lines, std::size_t first,
                          const CueBlockRules& rules, std::vector<std::string>& warnings);

struct CueSyntax {
  bool markup = true;      // WebVTT/SRT tags and entities in the payload
  bool dash_turns = true;  // "- " at a line start marks a change of speaker
};

// Interprets cue payloads and attributes speakers:
//  * `<v Name>` voice tags (and RawCue::voice) name the speaker of their text.
//  * Text without a voice tag may start a line with "Name: " (see is_speaker_label);
//    a labelled line starts a new segment for that speaker, so one cue can hold
//    several speakers. "- " at a line start (subtitle convention) starts a new segment
//    whose speaker is unknown.
//  * Continuation: a source is "turn-labelled" when its first cue with text starts
//    with a "Name: " label. Only then does an unlabelled cue continue the speaker of
//    the last label (transcripts that label each turn once); otherwise labels only name
//    their own cue (subtitles that label the odd off-screen voice).
//  * A cue with several speakers is split by character count (speaking rate is about
//    constant within a cue) unless timestamp tags `<00:00:01.500>` give times; with
//    timestamp tags every segment also gets word timings.
std::vector<Segment> segments_from_cues(const std::vector<RawCue>& cues, CueSyntax syntax);

// Stable-sorts timed segments by start and builds the speaker table in order of first
// appearance (name = label unless the label is anonymous).
Transcript finish_transcript(std::vector<Segment> segments, bool timed);

// Decodes the HTML entities that occur in captions (&amp; &lt; &gt; &quot; &apos;
// &nbsp; &lrm; &rlm; numeric). Unknown entities are kept as written.
std::string decode_entities(std::string_view s);

struct Span {
  Millis start_ms = 0;
  Millis end_ms = 0;
};
// Splits [from, to] into consecutive spans proportional to `weights` (character counts).
std::vector<Span> split_by_weight(Millis from, Millis to, const std::vector<std::size_t>& weights);

// Number of code points: the unit for splitting time by "how much was said".
std::size_t char_count(std::string_view utf8);

}  // namespace hark::transcript::detail
