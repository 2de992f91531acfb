// SubRip (.srt), as found in the wild: numbered cues, "hh:mm:ss,mmm --> hh:mm:ss,mmm",
// and plenty of files that bend those rules.
#include <algorithm>
#include <string>

#include "core/text.hpp"
#include "transcript/detail/cues.hpp"
#include "transcript/detail/input.hpp"
#include "transcript/detail/parsers.hpp"

namespace hark::transcript::detail {
namespace {

bool is_number(std::string_view line) {
  line = text::trim(line);
  return !line.empty() &&
         std::all_of(line.begin(), line.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string stray_block(std::string_view first_line) {
  return "expected a cue number and timing, found " + quote_line(first_line) + "; skipped";
}

// The next cue starts here even without a blank line before it: a timing line, or a
// sequence number followed by a timing line.
bool starts_next_cue(const std::vector<Line>& lines, std::size_t j) {
  if (has_cue_arrow(lines[j].text)) return true;
  return is_number(lines[j].text) && j + 1 < lines.size() && has_cue_arrow(lines[j + 1].text);
}

constexpr CueBlockRules kSrtRules{
    .expected_timing = "(expected hh:mm:ss,mmm --> hh:mm:ss,mmm)",
    .stray_block = stray_block,
    .starts_next_cue = starts_next_cue,
};

}  // namespace

Result<ParsedTranscript> parse_srt_text(std::string_view text, Warnings warnings) {
  const auto lines = split_lines(text);
  const auto blocks = read_cue_blocks(lines, 0, kSrtRules, warnings);
  if (blocks.cues.empty()) {
    if (!blocks.first_error.empty()) return invalid_input(blocks.first_error);
    return invalid_input(
        "not an SRT file: no cue timing line such as '00:00:01,000 --> 00:00:02,500' was found");
  }
  return finish_parse(segments_from_cues(blocks.cues, CueSyntax{}), true, "", std::move(warnings));
}

}  // namespace hark::transcript::detail
