// Transcript files in: WebVTT, SRT, Podcasting 2.0 JSON, Podcasting 2.0 HTML and plain
// text, all to the same hark::Transcript. Pure functions of their input; thread-safe.
//
// Error policy. A file that is not a transcript at all (empty, binary, no cue could be
// read, unparsable JSON) is rejected with ErrorCode::InvalidInput and a message that
// names the line ("transcript line 14: '00:01:02,00 --> 00:01:05,000' is not a valid
// cue timing (expected hh:mm:ss,mmm --> hh:mm:ss,mmm)"). Problems confined to one cue
// (a bad timing, an end before its start, stray text between cues) skip that cue and
// add a warning with the same shape, so that one bad cue in 2,000 does not cost the
// transcript. Cues out of order are stable-sorted by start; overlapping cues are kept.
//
// Speakers. Speaker ids are the labels the file uses (voice-tag names, "Name:" prefixes,
// JSON "speaker"); Speaker::name is the label too unless it is anonymous ("SPEAKER_00").
// See detail/cues.hpp for how labels continue across cues. resolve_speakers()
// (speakers.hpp) maps labels to the feed's podcast:person entries afterwards.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/transcript.hpp"
#include "transcript/format.hpp"

namespace hark::transcript {

struct ParsedTranscript {
  Transcript transcript;
  std::vector<std::string> warnings;  // one per skipped or repaired thing, with its line
};

// Picks the parser with detect_format(bytes, mime_type_or_format, "") — a MIME type or a
// format name — and sets Transcript::source to "publisher:<format>" (callers that know
// better may overwrite it).
Result<ParsedTranscript> parse_transcript(std::string_view bytes,
                                          std::string_view mime_type_or_format);
Result<ParsedTranscript> parse_transcript(std::string_view bytes, Format format);

// WebVTT: header (with optional text and "Language:" metadata), BOM, CRLF/CR, cue ids,
// cue settings, multi-line cues, <v>/<v.class> voices (several per cue), styling tags,
// timestamp tags (become word timings), NOTE/STYLE/REGION blocks, entities.
Result<ParsedTranscript> parse_vtt(std::string_view bytes);
// SRT: sequence numbers, ',' or '.' before milliseconds, missing final or separating
// blank lines, "Name:" and "- " speaker changes, <i>/<b>/<font> tags.
Result<ParsedTranscript> parse_srt(std::string_view bytes);
// Podcasting 2.0 JSON: {"segments":[{"speaker","startTime","endTime","body"}]}, times in
// seconds as numbers or numeric strings. Runs of one-word segments of one speaker
// (word-level files) are merged into sentence-sized segments that keep the word
// timings: a run ends after a word ending in . ? ! or …, at a pause of more than
// kMaxWordGapMs, or at kMaxMergedWords words.
inline constexpr Millis kMaxWordGapMs = 1500;
inline constexpr std::size_t kMaxMergedWords = 60;
Result<ParsedTranscript> parse_json(std::string_view bytes);
// Podcasting 2.0 HTML: <cite>Speaker:</cite> names the speaker of the following
// paragraphs, <time>00:01:02</time> gives the start of the following paragraph(s), each
// <p> is a segment. A segment ends where the next start time begins (paragraphs that
// share a start time share the span by length); the last one is estimated at
// kCharsPerSecond. Without any <time> the transcript is untimed. A document without
// <p> is read as plain text.
inline constexpr Millis kCharsPerSecond = 15;
Result<ParsedTranscript> parse_html(std::string_view bytes);
// Plain text: paragraphs (blank-line separated) become untimed segments; a line
// starting with "Name:" starts a new segment for that speaker.
Result<ParsedTranscript> parse_text(std::string_view bytes);

}  // namespace hark::transcript
