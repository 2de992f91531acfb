// WebVTT (https://www.w3.org/TR/webvtt1/), read leniently: what a podcast player needs
// is the text, its times and its voices, not rendering.
#include <string>

#include "core/text.hpp"
#include "transcript/detail/cues.hpp"
#include "transcript/detail/input.hpp"
#include "transcript/detail/parsers.hpp"

namespace hark::transcript::detail {
namespace {

constexpr std::string_view kExpectedTiming = "(expected hh:mm:ss.mmm --> hh:mm:ss.mmm)";

// "NOTE", "STYLE", "REGION" alone or followed by a blank: a block that is not a cue.
bool starts_block(std::string_view line, std::string_view keyword) {
  return line.substr(0, keyword.size()) == keyword &&
         (line.size() == keyword.size() || line[keyword.size()] == ' ' ||
          line[keyword.size()] == '\t');
}

bool is_header(std::string_view line) {
  return starts_block(line, "WEBVTT");
}

bool has_arrow(std::string_view line) {
  return line.find("-->") != std::string_view::npos;
}

class VttReader {
 public:
  VttReader(const std::vector<Line>& lines, Warnings& warnings)
      : lines_(lines), warnings_(warnings) {}

  // Reads the header block; returns the "Language:" metadata if any.
  std::string header() {
    std::string language;
    i_ = 1;
    for (; i_ < lines_.size() && !is_blank(lines_[i_].text); ++i_) {
      const auto line = lines_[i_].text;
      if (has_arrow(line)) return language;  // a cue right after the header line
      if (text::starts_with_icase(line, "language:")) language = text::trim(line.substr(9));
    }
    return language;
  }

  std::vector<RawCue> cues() {
    std::vector<RawCue> out;
    while (skip_blank_lines()) {
      const auto& line = lines_[i_];
      if (starts_block(line.text, "NOTE") || starts_block(line.text, "STYLE") ||
          starts_block(line.text, "REGION")) {
        skip_block();
        continue;
      }
      // A cue: an optional identifier line, then the timing line.
      std::size_t timing = i_;
      if (!has_arrow(line.text)) {
        if (i_ + 1 >= lines_.size() || !has_arrow(lines_[i_ + 1].text)) {
          warnings_.push_back(
              at_line(line.number, "text outside a cue was ignored: " + quote_line(line.text)));
          skip_block();
          continue;
        }
        timing = i_ + 1;
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

  void read_cue(std::size_t timing_index, std::vector<RawCue>& out) {
    const auto& timing_line = lines_[timing_index];
    i_ = timing_index + 1;
    RawCue cue;
    cue.line = timing_line.number;
    // The payload ends at a blank line or, in files that forgot the blank line, at the
    // next timing line (a cue's text may never contain "-->").
    for (; i_ < lines_.size() && !is_blank(lines_[i_].text) && !has_arrow(lines_[i_].text); ++i_) {
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

Result<ParsedTranscript> parse_vtt_text(std::string_view text, Warnings warnings) {
  const auto lines = split_lines(text);
  if (lines.empty() || !is_header(lines.front().text))
    return invalid_input(at_line(lines.empty() ? 1 : lines.front().number,
                                 "a WebVTT file must start with 'WEBVTT', found " +
                                     quote_line(lines.empty() ? "" : lines.front().text)));
  VttReader reader(lines, warnings);
  auto language = reader.header();
  const auto cues = reader.cues();
  if (cues.empty() && !reader.first_error().empty()) return invalid_input(reader.first_error());
  return finish_parse(segments_from_cues(cues, CueSyntax{}), true, std::move(language),
                      std::move(warnings));
}

}  // namespace hark::transcript::detail
