// WebVTT (https://www.w3.org/TR/webvtt1/), read leniently: what a podcast player needs
// is the text, its times and its voices, not rendering.
#include <string>

#include "core/text.hpp"
#include "transcript/detail/cues.hpp"
#include "transcript/detail/input.hpp"
#include "transcript/detail/parsers.hpp"

namespace hark::transcript::detail {
namespace {

// "NOTE", "STYLE", "REGION" alone or followed by a blank: a block that is not a cue.
bool starts_block(std::string_view line, std::string_view keyword) {
  return line.substr(0, keyword.size()) == keyword &&
         (line.size() == keyword.size() || line[keyword.size()] == ' ' ||
          line[keyword.size()] == '\t');
}

bool is_header(std::string_view line) {
  return starts_block(line, "WEBVTT");
}

bool is_ignored_block(std::string_view first_line) {
  return starts_block(first_line, "NOTE") || starts_block(first_line, "STYLE") ||
         starts_block(first_line, "REGION");
}

std::string stray_block(std::string_view first_line) {
  return "text outside a cue was ignored: " + quote_line(first_line);
}

// In files that forgot the blank line, the payload ends at the next timing line (a cue's
// text may never contain "-->").
bool starts_next_cue(const std::vector<Line>& lines, std::size_t j) {
  return has_cue_arrow(lines[j].text);
}

constexpr CueBlockRules kVttRules{
    .expected_timing = "(expected hh:mm:ss.mmm --> hh:mm:ss.mmm)",
    .stray_block = stray_block,
    .starts_next_cue = starts_next_cue,
    .is_ignored_block = is_ignored_block,
};

struct Header {
  std::string language;  // the "Language:" metadata, if any
  std::size_t end = 1;   // index of the first line after the header block
};

// Reads the header block after the "WEBVTT" line.
Header read_header(const std::vector<Line>& lines) {
  Header header;
  for (; header.end < lines.size() && !is_blank(lines[header.end].text); ++header.end) {
    const auto line = lines[header.end].text;
    if (has_cue_arrow(line)) break;  // a cue right after the header line
    if (text::starts_with_icase(line, "language:")) header.language = text::trim(line.substr(9));
  }
  return header;
}

}  // namespace

Result<ParsedTranscript> parse_vtt_text(std::string_view text, Warnings warnings) {
  const auto lines = split_lines(text);
  if (lines.empty() || !is_header(lines.front().text))
    return invalid_input(at_line(lines.empty() ? 1 : lines.front().number,
                                 "a WebVTT file must start with 'WEBVTT', found " +
                                     quote_line(lines.empty() ? "" : lines.front().text)));
  auto header = read_header(lines);
  const auto blocks = read_cue_blocks(lines, header.end, kVttRules, warnings);
  if (blocks.cues.empty() && !blocks.first_error.empty()) return invalid_input(blocks.first_error);
  return finish_parse(segments_from_cues(blocks.cues, CueSyntax{}), true,
                      std::move(header.language), std::move(warnings));
}

}  // namespace hark::transcript::detail
