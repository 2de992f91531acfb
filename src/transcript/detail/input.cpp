#include "transcript/detail/input.hpp"

#include <unicode/unistr.h>

#include "core/text.hpp"

namespace hark::transcript::detail {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

std::string convert_to_utf8(std::string_view bytes, const char* charset) {
  const icu::UnicodeString u(bytes.data(), static_cast<int32_t>(bytes.size()), charset);
  std::string out;
  u.toUTF8String(out);
  return out;
}

// Control bytes other than tab, LF, FF and CR never appear in a text transcript; a few
// can be noise, more mean the file is binary (an MP3 served as a transcript, say).
bool looks_binary(std::string_view bytes) {
  std::size_t controls = 0;
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b == 0) return true;
    if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') ++controls;
  }
  return controls > bytes.size() / 100 + 1;
}

}  // namespace

Result<std::string> decode_text(std::string_view bytes, std::vector<std::string>& warnings) {
  if (starts_with(bytes, "\xFF\xFE"))
    return decode_text(convert_to_utf8(bytes.substr(2), "UTF-16LE"), warnings);
  if (starts_with(bytes, "\xFE\xFF"))
    return decode_text(convert_to_utf8(bytes.substr(2), "UTF-16BE"), warnings);
  if (starts_with(bytes, kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  if (text::trim(bytes).empty()) return invalid_input("not a transcript: the file is empty");
  if (looks_binary(bytes))
    return invalid_input("not a transcript: the file is binary data, not text");
  if (text::is_valid_utf8(bytes)) return std::string(bytes);
  warnings.emplace_back("the file is not valid UTF-8; it was read as Windows-1252");
  return convert_to_utf8(bytes, "windows-1252");
}

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  int number = 1;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back({text.substr(start, i - start), number++});
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back({text.substr(start), number});
  return lines;
}

bool is_blank(std::string_view line) {
  return text::trim(line).empty();
}

std::string at_line(int number, std::string_view what) {
  return "transcript line " + std::to_string(number) + ": " + std::string(what);
}

std::string quote_line(std::string_view line) {
  return "'" + text::truncate_utf8(text::sanitize_utf8(text::trim(line)), 80) + "'";
}

}  // namespace hark::transcript::detail
