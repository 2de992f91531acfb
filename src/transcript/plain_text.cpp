// Plain-text transcripts: paragraphs, optionally "Name:" labelled, no times.
#include <string>

#include "transcript/detail/cues.hpp"
#include "transcript/detail/input.hpp"
#include "transcript/detail/parsers.hpp"

namespace hark::transcript::detail {

Result<ParsedTranscript> parse_plain_text(std::string_view text, Warnings warnings) {
  std::vector<RawCue> paragraphs;
  bool in_paragraph = false;
  for (const auto& line : split_lines(text)) {
    if (is_blank(line.text)) {
      in_paragraph = false;
      continue;
    }
    if (!in_paragraph) paragraphs.push_back(RawCue{line.number, 0, 0, {}, std::nullopt});
    auto& payload = paragraphs.back().payload;
    if (in_paragraph) payload += '\n';
    payload += line.text;
    in_paragraph = true;
  }
  // Lists and dialogue dashes in prose are not speaker changes; labels are.
  return finish_parse(segments_from_cues(paragraphs, CueSyntax{false, false}), false, "",
                      std::move(warnings));
}

}  // namespace hark::transcript::detail
