// Transcript files out. Pure functions; thread-safe.
//
// Speakers are written by display name (speaker_name(): the name when known, else the
// id). What survives a round trip parse(emit(t)):
//  * VTT: times, speakers (<v Name>), text, and word timings when the words tile their
//    segment (as WebVTT timestamp tags produce them).
//  * JSON: times, speakers, text and word timings (segments with words are written
//    one word per JSON segment, the Podcasting 2.0 word-level form).
//  * SRT and text: text and speakers, as a "Name: " label at each turn start ("- " marks
//    the end of a named turn in SRT); names must look like names (is_speaker_label).
//    Text has no times; in text, an unnamed segment right after a named one is read
//    back as that speaker's.
//  * HTML: speakers (<cite>), start times (<time>) and text; ends are re-estimated.
// Untimed transcripts are written with zero times where the format needs times.
#pragma once

#include <string>

#include "core/transcript.hpp"
#include "transcript/format.hpp"

namespace hark::transcript {

std::string to_vtt(const Transcript& t);
std::string to_srt(const Transcript& t);
std::string to_json(const Transcript& t);  // Podcasting 2.0, version 1.0.0
std::string to_html(const Transcript& t);  // Podcasting 2.0 HTML convention
std::string to_text(const Transcript& t);
std::string emit_transcript(const Transcript& t, Format format);

}  // namespace hark::transcript
