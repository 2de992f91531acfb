// Per-format parsers over already decoded UTF-8 text (see parse.hpp for the contract).
// Internal to hark_transcript.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "transcript/parse.hpp"

namespace hark::transcript::detail {

using Warnings = std::vector<std::string>;

Result<ParsedTranscript> parse_vtt_text(std::string_view text, Warnings warnings);
Result<ParsedTranscript> parse_srt_text(std::string_view text, Warnings warnings);
Result<ParsedTranscript> parse_json_text(std::string_view text, Warnings warnings);
Result<ParsedTranscript> parse_html_text(std::string_view text, Warnings warnings);
Result<ParsedTranscript> parse_plain_text(std::string_view text, Warnings warnings);

// Common ending of every parser: sort, speaker table, and the "no text at all" check.
Result<ParsedTranscript> finish_parse(std::vector<Segment> segments, bool timed,
                                      std::string language, Warnings warnings);

}  // namespace hark::transcript::detail
