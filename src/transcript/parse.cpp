#include "transcript/parse.hpp"

#include "transcript/detail/cues.hpp"
#include "transcript/detail/input.hpp"
#include "transcript/detail/parsers.hpp"

namespace hark::transcript {
namespace {

using ParseText = Result<ParsedTranscript> (*)(std::string_view, detail::Warnings);

ParseText parser_for(Format format) {
  switch (format) {
    case Format::Vtt:
      return detail::parse_vtt_text;
    case Format::Srt:
      return detail::parse_srt_text;
    case Format::Json:
      return detail::parse_json_text;
    case Format::Html:
      return detail::parse_html_text;
    case Format::Text:
      return detail::parse_plain_text;
  }
  return detail::parse_plain_text;
}

Result<ParsedTranscript> decode_and_parse(std::string_view bytes, ParseText parse) {
  detail::Warnings warnings;
  auto text = detail::decode_text(bytes, warnings);
  if (!text) return text.error();
  return parse(*text, std::move(warnings));
}

}  // namespace

namespace detail {

Result<ParsedTranscript> finish_parse(std::vector<Segment> segments, bool timed,
                                      std::string language, Warnings warnings) {
  std::erase_if(segments, [](const Segment& s) { return s.text.empty(); });
  if (segments.empty()) return invalid_input("not a transcript: it contains no spoken text");
  ParsedTranscript parsed{finish_transcript(std::move(segments), timed), std::move(warnings)};
  parsed.transcript.language = std::move(language);
  return parsed;
}

}  // namespace detail

Result<ParsedTranscript> parse_transcript(std::string_view bytes, Format format) {
  auto parsed = decode_and_parse(bytes, parser_for(format));
  if (parsed) parsed->transcript.source = "publisher:" + std::string(format_name(format));
  return parsed;
}

Result<ParsedTranscript> parse_transcript(std::string_view bytes,
                                          std::string_view mime_type_or_format) {
  return parse_transcript(bytes, detect_format(bytes, mime_type_or_format, ""));
}

Result<ParsedTranscript> parse_vtt(std::string_view bytes) {
  return decode_and_parse(bytes, detail::parse_vtt_text);
}
Result<ParsedTranscript> parse_srt(std::string_view bytes) {
  return decode_and_parse(bytes, detail::parse_srt_text);
}
Result<ParsedTranscript> parse_json(std::string_view bytes) {
  return decode_and_parse(bytes, detail::parse_json_text);
}
Result<ParsedTranscript> parse_html(std::string_view bytes) {
  return decode_and_parse(bytes, detail::parse_html_text);
}
Result<ParsedTranscript> parse_text(std::string_view bytes) {
  return decode_and_parse(bytes, detail::parse_plain_text);
}

}  // namespace hark::transcript
