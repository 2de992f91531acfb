// Podcasting 2.0 JSON transcripts
// (https://github.com/Podcastindex-org/podcast-namespace/blob/main/transcripts/transcripts.md).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "core/text.hpp"
#include "transcript/detail/cues.hpp"
#include "transcript/detail/input.hpp"
#include "transcript/detail/parsers.hpp"

namespace hark::transcript::detail {
namespace {

using nlohmann::json;

int line_of_byte(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<int>(
                 std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

// Seconds as a JSON number or a numeric string ("12.5"), to milliseconds.
std::optional<Millis> seconds_field(const json& seg, const char* key) {
  const auto it = seg.find(key);
  if (it == seg.end()) return std::nullopt;
  double seconds = 0;
  if (it->is_number()) {
    seconds = it->get<double>();
  } else if (it->is_string()) {
    const auto s = text::trim(it->get_ref<const std::string&>());
    const auto r = std::from_chars(s.data(), s.data() + s.size(), seconds);
    if (s.empty() || r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(seconds) || seconds < 0) return std::nullopt;
  return static_cast<Millis>(std::llround(seconds * 1000.0));
}

std::string string_field(const json& seg, const char* key) {
  const auto it = seg.find(key);
  if (it == seg.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return {};
}

struct JsonSegment {
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string speaker;
  std::string body;
};

std::optional<JsonSegment> read_segment(const json& seg, std::size_t index, Warnings& warnings) {
  const auto where = "segments[" + std::to_string(index) + "]: ";
  if (!seg.is_object()) {
    warnings.push_back(where + "not an object; skipped");
    return std::nullopt;
  }
  const auto start = seconds_field(seg, "startTime");
  const auto end = seconds_field(seg, "endTime");
  if (!start || !end) {
    warnings.push_back(where + (start ? "endTime" : "startTime") +
                       " is missing or not a number of seconds; segment skipped");
    return std::nullopt;
  }
  if (*end < *start) {
    warnings.push_back(where + "endTime is before startTime; segment skipped");
    return std::nullopt;
  }
  return JsonSegment{*start, *end, text::collapse_whitespace(string_field(seg, "speaker")),
                     text::collapse_whitespace(string_field(seg, "body"))};
}

bool is_one_word(const std::string& body) {
  return !body.empty() && body.find(' ') == std::string::npos;
}

bool ends_sentence(std::string_view word) {
  while (!word.empty() && (word.back() == '"' || word.back() == '\'' || word.back() == ')'))
    word.remove_suffix(1);
  if (word.empty()) return false;
  const char c = word.back();
  return c == '.' || c == '?' || c == '!' || word.ends_with("\xE2\x80\xA6");
}

// Merges runs of one-word segments (see parse.hpp for where a run ends).
std::vector<Segment> merge_words(std::vector<JsonSegment> in) {
  std::stable_sort(in.begin(), in.end(), [](const JsonSegment& a, const JsonSegment& b) {
    return a.start_ms < b.start_ms;
  });
  std::vector<Segment> out;
  bool open = false;  // out.back() is a run that may take more words
  for (auto& js : in) {
    if (!is_one_word(js.body)) {
      out.push_back(Segment{js.start_ms, js.end_ms, std::move(js.speaker), std::move(js.body), {}});
      open = false;
      continue;
    }
    const bool joins = open && out.back().speaker == js.speaker &&
                       js.start_ms - out.back().end_ms <= kMaxWordGapMs &&
                       out.back().words.size() < kMaxMergedWords;
    if (!joins) out.push_back(Segment{js.start_ms, js.end_ms, js.speaker, {}, {}});
    auto& seg = out.back();
    seg.end_ms = std::max(seg.end_ms, js.end_ms);
    if (!seg.text.empty()) seg.text += ' ';
    seg.text += js.body;
    open = !ends_sentence(js.body);
    seg.words.push_back(Word{js.start_ms, js.end_ms, std::move(js.body), std::nullopt});
  }
  return out;
}

}  // namespace

Result<ParsedTranscript> parse_json_text(std::string_view text, Warnings warnings) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    return invalid_input(at_line(line_of_byte(text, e.byte == 0 ? 0 : e.byte - 1),
                                 "not valid JSON (" + std::string(e.what()) + ")"));
  }
  const json* segments = nullptr;
  if (root.is_array()) segments = &root;
  if (root.is_object() && root.contains("segments") && root["segments"].is_array())
    segments = &root["segments"];
  if (segments == nullptr)
    return invalid_input("not a Podcasting 2.0 JSON transcript: there is no \"segments\" array");
  std::vector<JsonSegment> read;
  read.reserve(segments->size());
  for (std::size_t i = 0; i < segments->size(); ++i)
    if (auto seg = read_segment((*segments)[i], i, warnings); seg && !seg->body.empty())
      read.push_back(std::move(*seg));
  std::string language;
  if (root.is_object() && root.contains("language") && root["language"].is_string())
    language = root["language"].get<std::string>();
  return finish_parse(merge_words(std::move(read)), true, std::move(language), std::move(warnings));
}

}  // namespace hark::transcript::detail
