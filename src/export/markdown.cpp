#include "export/markdown.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "core/time.hpp"
#include "export/links.hpp"
#include "export/template.hpp"

namespace hark::exports {

using text::collapse_whitespace;
using text::sanitize_utf8;
using text::trim;
using text::truncate_utf8;
using text::utf8_sequence_length;

const std::string_view kDefaultNoteTemplate = R"md(# {{episode}}

**{{podcast}}**{{#date}} · {{date}}{{/date}} · [Listen in hark]({{player_url}})

{{#summary}}
## Summary

{{summary}}

{{/summary}}
{{#has_takeaways}}
{{#takeaways}}
- {{.}}
{{/takeaways}}

{{/has_takeaways}}
{{#snips}}
## [{{title}}]({{player_url}}) · {{time}}

{{#summary}}
{{summary}}

{{/summary}}
{{#has_takeaways}}
{{#takeaways}}
- {{.}}
{{/takeaways}}

{{/has_takeaways}}
{{#quote}}
> {{quote}}{{#speaker}} — {{speaker}}{{/speaker}}

{{/quote}}
{{#note}}
**My note:** {{note}}

{{/note}}
{{/snips}}
{{#transcript}}
## Transcript

{{transcript}}
{{/transcript}}
)md";

namespace {

bool is_reserved_device(std::string_view stem) {
  std::string upper;
  for (const char c : stem.substr(0, stem.find('.')))
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 4> kNames = {"CON", "PRN", "AUX", "NUL"};
  if (std::find(kNames.begin(), kNames.end(), upper) != kNames.end()) return true;
  return upper.size() == 4 && (upper.starts_with("COM") || upper.starts_with("LPT")) &&
         upper[3] >= '0' && upper[3] <= '9';
}

std::string date_of(const Episode& e) {
  return e.published_at ? format_iso8601(*e.published_at).substr(0, 10) : std::string();
}

std::string tag_slug(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (c >= 0x80) {
      out += static_cast<char>(c);  // letters of other scripts are fine in Obsidian tags
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// Markdown link text: brackets would end the link early.
std::string link_text(std::string_view text) {
  std::string out;
  for (const char c : collapse_whitespace(text)) {
    if (c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool is_owned_key(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  const auto key = line.substr(0, colon);
  return std::find(kOwnedKeys.begin(), kOwnedKeys.end(), key) != kOwnedKeys.end();
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    const auto end = nl == std::string_view::npos ? text.size() : nl;
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

// Splits a note into its front matter (between the "---" fences, without them) and body.
// No front matter: nullopt and the whole text as body.
std::pair<std::optional<std::string_view>, std::string_view> split_front_matter(
    std::string_view text) {
  if (!text.starts_with("---\n") && !text.starts_with("---\r\n")) return {std::nullopt, text};
  const std::size_t start = text.find('\n') + 1;
  std::size_t pos = start;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    const auto end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == "---")
      return {text.substr(start, pos - start), text.substr(std::min(text.size(), end + 1))};
    pos = end + 1;
  }
  return {std::nullopt, text};  // an unclosed fence is the user's text, not front matter
}

}  // namespace

std::string safe_file_stem(std::string_view name, std::size_t max_bytes) {
  std::string out;
  for (const unsigned char c : sanitize_utf8(name)) {
    // Reserved on Windows (<>:"/\|?*), by Obsidian's links (#^[]|) or control characters.
    const bool bad =
        c < 0x20 || c == 0x7f ||
        std::string_view("<>:\"/\\|?*#^[]").find(static_cast<char>(c)) != std::string_view::npos;
    out += bad ? ' ' : static_cast<char>(c);
  }
  out = collapse_whitespace(out);
  out = truncate_utf8(out, max_bytes);
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
  if (out.empty()) return "untitled";
  if (is_reserved_device(out)) out = "_" + out;
  return out;
}

std::string note_file_name(const Episode& episode) {
  const std::string date = date_of(episode);
  const std::string title =
      episode.title.empty() ? "Episode " + std::to_string(episode.id) : episode.title;
  return safe_file_stem(date.empty() ? title : date + " " + title) + ".md";
}

std::string safe_folder_name(std::string_view podcast_title) {
  return safe_file_stem(podcast_title.empty() ? std::string_view("Podcast") : podcast_title, 80);
}

std::string yaml_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

nlohmann::json note_data(const EpisodeNote& note) {
  using Json = nlohmann::json;
  auto snips = note.snips;
  std::stable_sort(snips.begin(), snips.end(), [](const store::Snip& a, const store::Snip& b) {
    return a.start_ms < b.start_ms;
  });
  Json items = Json::array();
  for (const auto& s : snips) {
    items.push_back({
        {"id", s.id},
        {"title", link_text(s.title.empty() ? "Snip at " + format_clock(s.start_ms) : s.title)},
        {"time", format_clock(s.start_ms) + "–" + format_clock(s.end_ms)},
        {"start", format_clock(s.start_ms)},
        {"player_url", player_url(note.public_url, note.episode.id, s.start_ms)},
        {"share_url", s.share_id ? share_url(note.public_url, *s.share_id) : std::string()},
        {"summary", s.summary},
        {"takeaways", s.takeaways},
        {"has_takeaways", !s.takeaways.empty()},
        {"quote", collapse_whitespace(s.quote)},
        {"speaker", s.quote_speaker},
        {"note", s.note},
    });
  }
  return {
      {"podcast", note.podcast.title},
      {"podcast_author", note.podcast.author},
      {"episode", note.episode.title},
      {"date", date_of(note.episode)},
      {"url", note.episode.link},
      {"player_url", player_url(note.public_url, note.episode.id, 0)},
      {"summary", note.summary ? note.summary->abstract : std::string()},
      {"takeaways", note.summary ? note.summary->takeaways : std::vector<std::string>{}},
      {"has_takeaways", note.summary && !note.summary->takeaways.empty()},
      {"snips", std::move(items)},
      {"transcript", note.transcript.value_or(std::string())},
  };
}

Result<std::string> render_block(const EpisodeNote& note, std::string_view note_template) {
  auto body = render_template(note_template, note_data(note));
  if (!body) return body.error();
  std::string text = std::move(*body);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return std::string(kBlockBegin) + "\n" + text + "\n" + std::string(kBlockEnd);
}

std::string render_owned_front_matter(const EpisodeNote& note) {
  std::string out;
  out += "podcast: " + yaml_quote(note.podcast.title) + "\n";
  out += "episode: " + yaml_quote(note.episode.title) + "\n";
  if (const auto date = date_of(note.episode); !date.empty()) out += "date: " + date + "\n";
  if (!note.episode.link.empty()) out += "url: " + yaml_quote(note.episode.link) + "\n";
  out += "player: " + yaml_quote(player_url(note.public_url, note.episode.id, 0)) + "\n";
  out += "hark_podcast_id: " + std::to_string(note.podcast.id) + "\n";
  out += "hark_episode_id: " + std::to_string(note.episode.id) + "\n";
  out += "tags:\n  - podcast\n";
  if (const auto slug = tag_slug(note.podcast.title); !slug.empty()) out += "  - " + slug + "\n";
  return out;
}

std::string merge_note(std::string_view existing, std::string_view owned_front_matter,
                       std::string_view block) {
  const auto [front, body] = split_front_matter(existing);
  std::string out = "---\n";
  out += owned_front_matter;
  if (front) {
    bool skipping = false;
    for (const auto line : lines_of(*front)) {
      const bool continuation =
          !line.empty() && (line[0] == ' ' || line[0] == '\t' || line[0] == '-');
      if (!continuation) skipping = is_owned_key(line);
      if (!skipping) {
        out += line;
        out += '\n';
      }
    }
  }
  out += "---\n";
  const auto begin = body.find("<!-- hark:begin");
  const auto end = begin == std::string_view::npos ? begin : body.find(kBlockEnd, begin);
  if (begin != std::string_view::npos && end != std::string_view::npos) {
    out += body.substr(0, begin);
    out += block;
    out += body.substr(end + kBlockEnd.size());
    return out;
  }
  if (trim(body).empty()) {
    out += "\n";
    out += block;
    out += "\n";
    return out;
  }
  out += body;
  if (!body.ends_with('\n')) out += '\n';
  out += "\n";
  out += block;
  out += "\n";
  return out;
}

std::optional<Id> note_episode_id(std::string_view note_text) {
  const auto front = split_front_matter(note_text).first;
  if (!front) return std::nullopt;
  for (const auto line : lines_of(*front)) {
    if (!line.starts_with("hark_episode_id:")) continue;
    const auto value = trim(line.substr(16));
    Id id = 0;
    for (const char c : value) {
      if (c < '0' || c > '9') return std::nullopt;
      id = id * 10 + (c - '0');
    }
    return value.empty() ? std::nullopt : std::optional<Id>(id);
  }
  return std::nullopt;
}

}  // namespace hark::exports
