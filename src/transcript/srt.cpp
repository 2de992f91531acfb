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

constexpr std::string_view kExpectedTiming = "(expected hh:mm:ss,mmm --> hh:mm:ss,mmm)";

bool has_arrow(std::string_view line) {
  return line.find("-->") != std::string_view::npos;
}

bool is_number(std::string_view line) {
  line = text::trim(line);
  return !line.empty() &&
         std::all_of(line.begin(), line.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class SrtReader {
 public:
  SrtReader(const std::vector<Line>& lines, Warnings& warnings)
      : lines_(lines), warnings_(warnings) {}

  std::vector<RawCue> cues() {
    std::vector<RawCue> out;
    while (skip_blank_lines()) {
      std::size_t timing = i_;
      if (!has_arrow(lines_[i_].text)) {
        if (i_ + 1 >= lines_.size() || !has_arrow(lines_[i_ + 1].text)) {
          warnings_.push_back(
              at_line(lines_[i_].number, "expected a cue number and timing, found " +
                                             quote_line(lines_[i_].text) + "; skipped"));
          skip_block();
          continue;
        }
        timing = i_ + 1;  // the line before is the sequence number; its value is not needed
      }
      read_cue(timing, out);
    }
    return out;
  }

  const std::string& first_error() const { return first_error_; }

 private:
  bool skip_blank_lines() {
    while (i_ < lines_.size() && is_blank(lines_[i_].text)) ++i_;
    return i_ < lines_.size();
  }

  void skip_block() {
    while (i_ < lines_.size() && !is_blank(lines_[i_].text)) ++i_;
  }

  // The next cue starts here even without a blank line before it: a timing line, or a
  // sequence number followed by a timing line.
  bool starts_next_cue(std::size_t j) const {
    if (has_arrow(lines_[j].text)) return true;
    return is_number(lines_[j].text) && j + 1 < lines_.size() && has_arrow(lines_[j + 1].text);
  }

  void read_cue(std::size_t timing_index, std::vector<RawCue>& out) {
    const auto& timing_line = lines_[timing_index];
    RawCue cue;
    cue.line = timing_line.number;
    for (i_ = timing_index + 1;
         i_ < lines_.size() && !is_blank(lines_[i_].text) && !starts_next_cue(i_); ++i_) {
      if (!cue.payload.empty()) cue.payload += '\n';
      cue.payload += lines_[i_].text;
    }
    const auto timing = parse_cue_timing(timing_line.text);
    if (!timing) {
      skip_cue(timing_line, quote_line(timing_line.text) + " is not a valid cue timing " +
                                std::string(kExpectedTiming));
      return;
    }
    if (timing->end_ms < timing->start_ms) {
      skip_cue(timing_line, "the cue ends before it starts: " + quote_line(timing_line.text));
      return;
    }
    cue.start_ms = timing->start_ms;
    cue.end_ms = timing->end_ms;
    out.push_back(std::move(cue));
  }

  void skip_cue(const Line& line, const std::string& problem) {
    const auto message = at_line(line.number, problem);
    if (first_error_.empty()) first_error_ = message;
    warnings_.push_back(message + "; cue skipped");
  }

  const std::vector<Line>& lines_;
  Warnings& warnings_;
  std::size_t i_ = 0;
  std::string first_error_;
};

}  // namespace

Result<ParsedTranscript> parse_srt_text(std::string_view text, Warnings warnings) {
  const auto lines = split_lines(text);
  SrtReader reader(lines, warnings);
  const auto cues = reader.cues();
  if (cues.empty()) {
    if (!reader.first_error().empty()) return invalid_input(reader.first_error());
    return invalid_input(
        "not an SRT file: no cue timing line such as '00:00:01,000 --> 00:00:02,500' was found");
  }
  return finish_parse(segments_from_cues(cues, CueSyntax{}), true, "", std::move(warnings));
}

}  // namespace hark::transcript::detail
