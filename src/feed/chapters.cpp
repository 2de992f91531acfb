#include "feed/chapters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>

#include "core/text.hpp"
#include "core/time.hpp"

namespace hark::feed {
namespace {

using nlohmann::json;

// Larger start times are not podcast positions (and would overflow Millis): ~31 years.
constexpr double kMaxSeconds = 1e9;

// Line and column (1-based, column in bytes) of the byte at `offset`.
std::string position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto before = text.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const auto last_newline = before.rfind('\n');
  const auto column = last_newline == std::string_view::npos ? offset + 1 : offset - last_newline;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's message without its "[json.exception...] parse error at ...: " prefix, whose
// position we state ourselves (older releases give only a byte offset there).
std::string problem_of(const json::parse_error& e) {
  const std::string_view what = e.what();
  const auto colon = what.find(": ");
  return std::string(colon == std::string_view::npos ? what : what.substr(colon + 2));
}

// "an object", "a string": for messages about what a JSON value is.
std::string a_type(const json& value) {
  const std::string type = value.type_name();
  return (type == "object" || type == "array" ? "an " : "a ") + type;
}

std::string chapter_label(std::size_t index) {
  return "chapter " + std::to_string(index + 1) + " (chapters[" + std::to_string(index) + "])";
}

// A time in seconds as a JSON number, or a string holding seconds or H:MM:SS (publishers
// generate both by hand). Unset when the key is absent or null.
Result<std::optional<Millis>> seconds_field(const json& chapter, const char* key,
                                            std::size_t index) {
  const auto it = chapter.find(key);
  if (it == chapter.end() || it->is_null()) return std::optional<Millis>{};
  const auto where = chapter_label(index) + " " + key;
  double seconds = 0;
  if (it->is_number()) {
    seconds = it->get<double>();
  } else if (it->is_string()) {
    const auto s = text::trim(it->get_ref<const std::string&>());
    if (s.starts_with('-')) return invalid_input(where + " is negative (" + std::string(s) + ")");
    const auto ms = parse_duration(s);
    if (!ms) return invalid_input(where + " is not a time in seconds: \"" + std::string(s) + "\"");
    seconds = static_cast<double>(*ms) / 1000.0;
  } else {
    return invalid_input(where + " is not a number: " + it->dump());
  }
  if (seconds < 0) return invalid_input(where + " is negative (" + it->dump() + ")");
  if (seconds > kMaxSeconds) return invalid_input(where + " is out of range (" + it->dump() + ")");
  return std::optional<Millis>{static_cast<Millis>(std::llround(seconds * 1000.0))};
}

std::string string_field(const json& chapter, const char* key) {
  const auto it = chapter.find(key);
  if (it == chapter.end() || !it->is_string()) return {};
  return std::string(text::trim(it->get_ref<const std::string&>()));
}

// `toc` is a boolean in the spec; hand-written files also say "false".
bool toc_field(const json& chapter) {
  const auto it = chapter.find("toc");
  if (it == chapter.end()) return true;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string())
    return !text::iequals(text::trim(it->get_ref<const std::string&>()), "false");
  return true;
}

Result<Chapter> read_chapter(const json& item, std::size_t index) {
  if (!item.is_object())
    return invalid_input(chapter_label(index) + " is not an object: " + item.dump());
  auto start = seconds_field(item, "startTime", index);
  if (!start) return start.error();
  if (!*start) return invalid_input(chapter_label(index) + " has no startTime");
  auto end = seconds_field(item, "endTime", index);
  if (!end) return end.error();
  Chapter c;
  c.start_ms = **start;
  c.end_ms = *end;
  c.title = string_field(item, "title");
  c.url = string_field(item, "url");
  c.image_url = string_field(item, "img");
  c.toc = toc_field(item);
  c.source = "publisher";
  return c;
}

void name_untitled(std::vector<Chapter>& chapters) {
  int n = 0;
  for (auto& c : chapters) {
    if (!c.toc) continue;
    ++n;
    if (c.title.empty()) c.title = "Chapter " + std::to_string(n);
  }
}

// Everything but the start, which the caller groups by. Length-prefixed, so that no title
// (JSON strings may hold any character) can pass for another field.
std::string identity_of(const Chapter& c) {
  std::string key = c.toc ? "t" : "f";
  key += c.end_ms ? std::to_string(*c.end_ms) : "-";
  for (const auto* part : {&c.title, &c.url, &c.image_url, &c.source})
    key += ';' + std::to_string(part->size()) + ':' + *part;
  return key;
}

// Exact duplicates (a list pasted twice) are not always adjacent after the sort: chapters
// with the same start keep their order. A set per start keeps a hostile file of a million
// chapters at 0:00 linear.
void remove_duplicates(std::vector<Chapter>& sorted) {
  std::vector<Chapter> kept;
  kept.reserve(sorted.size());
  std::unordered_set<std::string> seen;
  for (auto& c : sorted) {
    if (!kept.empty() && kept.back().start_ms != c.start_ms) seen.clear();
    if (seen.insert(identity_of(c)).second) kept.push_back(std::move(c));
  }
  sorted = std::move(kept);
}

}  // namespace

Result<std::vector<Chapter>> parse_chapters_json(std::string_view bytes) {
  if (text::trim(bytes).empty()) return invalid_input("the chapters file is empty");
  json root;
  try {
    root = json::parse(bytes);
  } catch (const json::parse_error& e) {
    const auto offset = e.byte == 0 ? 0 : e.byte - 1;  // e.byte counts from 1
    return invalid_input("the chapters file is not valid JSON: at " + position_of(bytes, offset) +
                         ": " + problem_of(e));
  }
  const auto list = root.is_object() ? root.find("chapters") : root.end();
  if (!root.is_object() || list == root.end())
    return invalid_input(
        "not a Podcasting 2.0 chapters file: expected an object with a \"chapters\" array");
  if (!list->is_array())
    return invalid_input("\"chapters\" is " + a_type(*list) + ", expected an array");
  std::vector<Chapter> chapters;
  chapters.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto c = read_chapter((*list)[i], i);
    if (!c) return c.error();
    chapters.push_back(std::move(*c));
  }
  finalize_chapters(chapters, std::nullopt);
  name_untitled(chapters);
  return chapters;
}

void finalize_chapters(std::vector<Chapter>& chapters, std::optional<Millis> episode_duration) {
  if (episode_duration && *episode_duration <= 0) episode_duration.reset();
  std::erase_if(chapters, [&](const Chapter& c) {
    return c.start_ms < 0 || (episode_duration && c.start_ms >= *episode_duration);
  });
  std::stable_sort(chapters.begin(), chapters.end(),
                   [](const Chapter& a, const Chapter& b) { return a.start_ms < b.start_ms; });
  remove_duplicates(chapters);
  for (std::size_t i = 0; i < chapters.size(); ++i) {
    auto& c = chapters[i];
    if (c.end_ms && *c.end_ms <= c.start_ms) c.end_ms.reset();
    if (!c.end_ms) {
      // The next *later* start: chapters sharing a start would otherwise end where they begin.
      const auto next =
          std::find_if(chapters.begin() + static_cast<std::ptrdiff_t>(i) + 1, chapters.end(),
                       [&](const Chapter& n) { return n.start_ms > c.start_ms; });
      if (next != chapters.end())
        c.end_ms = next->start_ms;
      else
        c.end_ms = episode_duration;
    }
    if (c.end_ms && episode_duration) c.end_ms = std::min(*c.end_ms, *episode_duration);
  }
}

bool is_chapter_list(const std::vector<Chapter>& chapters) {
  return std::count_if(chapters.begin(), chapters.end(), [](const Chapter& c) { return c.toc; }) >=
         2;
}

std::size_t chapter_source_rank(std::string_view source) {
  const auto it = std::find(kChapterSourcesByTrust.begin(), kChapterSourcesByTrust.end(), source);
  return static_cast<std::size_t>(it - kChapterSourcesByTrust.begin());
}

std::vector<Chapter> best_chapters(std::vector<std::vector<Chapter>> candidates) {
  std::vector<Chapter>* best = nullptr;
  for (auto& list : candidates) {
    if (!is_chapter_list(list)) continue;
    if (best == nullptr ||
        chapter_source_rank(list.front().source) < chapter_source_rank(best->front().source))
      best = &list;
  }
  return best == nullptr ? std::vector<Chapter>{} : std::move(*best);
}

}  // namespace hark::feed
