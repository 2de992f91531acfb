#include "transcript/format.hpp"

#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "core/text.hpp"
#include "transcript/detail/cues.hpp"
#include "transcript/detail/input.hpp"

namespace hark::transcript {
namespace {

constexpr std::size_t kSniffBytes = 4096;
constexpr int kSniffLines = 12;

constexpr std::array<std::pair<std::string_view, Format>, 26> kNames = {{
    {"text/vtt", Format::Vtt},
    {"text/webvtt", Format::Vtt},
    {"application/vtt", Format::Vtt},
    {"vtt", Format::Vtt},
    {"webvtt", Format::Vtt},
    {"application/srt", Format::Srt},
    {"application/x-srt", Format::Srt},
    {"application/x-subrip", Format::Srt},
    {"text/srt", Format::Srt},
    {"text/x-srt", Format::Srt},
    {"srt", Format::Srt},
    {"application/json", Format::Json},
    {"application/x-json", Format::Json},
    {"text/json", Format::Json},
    {"json", Format::Json},
    {"text/html", Format::Html},
    {"application/xhtml+xml", Format::Html},
    {"html", Format::Html},
    {"htm", Format::Html},
    {"text/plain", Format::Text},
    {"text", Format::Text},
    {"txt", Format::Text},
    {"plain", Format::Text},
    {"application/x-vtt", Format::Vtt},
    {"text/x-vtt", Format::Vtt},
    {"application/transcript+json", Format::Json},
}};

bool has_srt_timing(std::string_view text) {
  int seen = 0;
  for (const auto& line : detail::split_lines(text)) {
    if (detail::is_blank(line.text)) continue;
    if (detail::parse_cue_timing(line.text)) return true;
    if (++seen >= kSniffLines) break;
  }
  return false;
}

std::string_view extension_of(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const auto slash = url.rfind('/');
  if (slash != std::string_view::npos) url.remove_prefix(slash + 1);
  const auto dot = url.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : url.substr(dot + 1);
}

}  // namespace

std::string_view format_name(Format format) {
  switch (format) {
    case Format::Vtt:
      return "vtt";
    case Format::Srt:
      return "srt";
    case Format::Json:
      return "json";
    case Format::Html:
      return "html";
    case Format::Text:
      return "text";
  }
  return "text";
}

std::optional<Format> format_from_name(std::string_view mime_type_or_name) {
  auto name =
      text::to_lower_ascii(text::trim(mime_type_or_name.substr(0, mime_type_or_name.find(';'))));
  if (!name.empty() && name[0] == '.') name.erase(0, 1);
  for (const auto& [key, format] : kNames)
    if (name == key) return format;
  return std::nullopt;
}

std::optional<Format> sniff_format(std::string_view bytes) {
  std::vector<std::string> ignored;
  const auto decoded = detail::decode_text(bytes.substr(0, kSniffBytes), ignored);
  if (!decoded) return std::nullopt;
  const std::string_view head = text::trim(*decoded);
  if (head.substr(0, 6) == "WEBVTT") return Format::Vtt;
  if (head.front() == '{') return Format::Json;
  // "[Music] Welcome…" is text; a JSON array of segments opens with '[' then '{'.
  if (head.front() == '[' && text::trim(head.substr(1)).substr(0, 1) == "{") return Format::Json;
  if (head.front() == '<' && head.size() > 1 &&
      (head[1] == '!' || std::isalpha(static_cast<unsigned char>(head[1]))))
    return Format::Html;
  if (has_srt_timing(head)) return Format::Srt;
  return std::nullopt;
}

Format detect_format(std::string_view bytes, std::string_view mime_type, std::string_view url) {
  if (const auto sniffed = sniff_format(bytes)) return *sniffed;
  if (const auto declared = format_from_name(mime_type)) return *declared;
  if (const auto by_extension = format_from_name(extension_of(url))) return *by_extension;
  return Format::Text;
}

}  // namespace hark::transcript
