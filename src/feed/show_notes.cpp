#include "feed/show_notes.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <memory>

#include "core/text.hpp"
#include "feed/chapters.hpp"
#include "feed/html_entities.hpp"

namespace hark::feed {
namespace {

// ---------------------------------------------------------------------------- text to lines

struct GumboDeleter {
  void operator()(GumboOutput* out) const { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};
using GumboPtr = std::unique_ptr<GumboOutput, GumboDeleter>;

bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ascii_alnum(char c) {
  return is_ascii_alpha(c) || is_digit(c);
}

// A tag ("<p", "</li", "<!--") with a '>' after it. Plain descriptions use '<' as text
// ("a < b", "<3") but almost never like this.
bool looks_like_html(std::string_view s) {
  for (auto lt = s.find('<'); lt != std::string_view::npos; lt = s.find('<', lt + 1)) {
    if (lt + 1 >= s.size()) break;
    const char c = s[lt + 1];
    if ((is_ascii_alpha(c) || c == '/' || c == '!') && s.find('>', lt) != std::string_view::npos)
      return true;
  }
  return false;
}

// Spaces a browser shows as spaces (&nbsp; is everywhere in show notes, often between the
// timestamp and the title) become ' '; invisible characters go. Then whitespace collapses.
std::string normalize_line(std::string_view s) {
  struct Swap {
    std::string_view from, to;
  };
  static constexpr std::array kSwaps = {
      Swap{"\xC2\xA0", " "},      // no-break space
      Swap{"\xE2\x80\xAF", " "},  // narrow no-break space
      Swap{"\xE2\x80\x89", " "},  // thin space
      Swap{"\xE2\x80\x8B", ""},   // zero-width space
      Swap{"\xEF\xBB\xBF", ""},   // byte order mark
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto swap = std::find_if(kSwaps.begin(), kSwaps.end(),
                                   [&](const Swap& w) { return s.substr(i).starts_with(w.from); });
    if (swap == kSwaps.end()) {
      out += s[i++];
      continue;
    }
    out += swap->to;
    i += swap->from.size();
  }
  return text::collapse_whitespace(out);
}

class LineBuilder {
 public:
  void add(std::string_view text) { current_ += text; }
  void end_line() {
    auto line = normalize_line(current_);
    if (!line.empty()) lines_.push_back(std::move(line));
    current_.clear();
  }
  std::vector<std::string> take() {
    end_line();
    return std::move(lines_);
  }

 private:
  std::string current_;
  std::vector<std::string> lines_;
};

bool ends_line(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_ADDRESS:
      return true;
    default:
      return false;
  }
}

bool is_invisible(GumboTag tag) {
  return tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE ||
         tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_NOSCRIPT || tag == GUMBO_TAG_IFRAME;
}

void add_text(std::string_view text, bool preformatted, LineBuilder& out) {
  if (!preformatted) {
    out.add(text);  // newlines are spaces in HTML; normalize_line collapses them
    return;
  }
  for (auto nl = text.find('\n'); nl != std::string_view::npos; nl = text.find('\n')) {
    out.add(text.substr(0, nl));
    out.end_line();
    text.remove_prefix(nl + 1);
  }
  out.add(text);
}

// What an element does to the lines around it when it closes.
void close_element(GumboTag tag, LineBuilder& out) {
  if (ends_line(tag)) out.end_line();
  // Cells of a row read as one line, "00:00 Intro", not as "00:00Intro".
  if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) out.add(" ");
}

// Depth-first over the tree with an explicit stack: show notes come from strangers, and a
// document nested a hundred thousand deep must not exhaust the call stack.
void walk(const GumboNode* root, LineBuilder& out) {
  struct Frame {
    const GumboElement* element;
    unsigned next_child;
    bool preformatted;
  };
  std::vector<Frame> stack{{&root->v.element, 0, false}};
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next_child == top.element->children.length) {
      close_element(top.element->tag, out);
      stack.pop_back();
      continue;
    }
    const auto* node = static_cast<const GumboNode*>(top.element->children.data[top.next_child++]);
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
        node->type == GUMBO_NODE_CDATA) {
      add_text(node->v.text.text, top.preformatted, out);
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT || is_invisible(node->v.element.tag)) continue;
    const GumboElement& el = node->v.element;
    if (el.tag == GUMBO_TAG_BR || ends_line(el.tag)) out.end_line();
    const bool preformatted = top.preformatted || el.tag == GUMBO_TAG_PRE;
    stack.push_back({&el, 0, preformatted});  // invalidates `top`
  }
}

std::vector<std::string> html_lines(std::string_view html) {
  html = text::html_within_depth(html);  // show notes come from strangers
  const GumboPtr doc(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
  LineBuilder out;
  walk(doc->root, out);
  return out.take();
}

std::vector<std::string> text_lines(std::string_view text) {
  LineBuilder out;
  for (auto nl = text.find('\n'); nl != std::string_view::npos; nl = text.find('\n')) {
    out.add(decode_html_entities(text.substr(0, nl)));
    out.end_line();
    text.remove_prefix(nl + 1);
  }
  out.add(decode_html_entities(text));
  return out.take();
}

// ---------------------------------------------------------------------------- timestamps

// A timestamp in a line: [begin, end) are its digits, [outer_begin, outer_end) include the
// brackets around it when it has a matching pair.
struct Token {
  std::size_t begin = 0, end = 0;
  std::size_t outer_begin = 0, outer_end = 0;
  Millis ms = 0;
  int digits = 0;
  char open = 0;  // '[' or '(' when bracketed
};

// Reads up to `max` digits at `i` into `value`; returns how many.
int read_digits(std::string_view s, std::size_t i, int max, int& value) {
  int n = 0;
  value = 0;
  while (n < max && i + n < s.size() && is_digit(s[i + n])) value = value * 10 + (s[i + n++] - '0');
  return n;
}

// H:MM:SS, HH:MM:SS, M:SS or MM:SS starting at `i`, standing alone: not part of a longer
// number, a version ("v1.12:30"), a fraction ("12:30.5") or a time of day ("12:30pm").
std::optional<Token> token_at(std::string_view s, std::size_t i) {
  if (i > 0 && (is_ascii_alnum(s[i - 1]) || s[i - 1] == ':' || s[i - 1] == '.')) return {};
  std::array<int, 3> field{};
  int groups = 0, digits = 0;
  std::size_t j = i;
  const int lead = read_digits(s, j, 2, field[0]);
  if (lead == 0) return {};
  j += static_cast<std::size_t>(lead);
  digits += lead;
  for (groups = 1; groups < 3 && j < s.size() && s[j] == ':'; ++groups) {
    if (read_digits(s, j + 1, 2, field[groups]) != 2) break;
    j += 3;
    digits += 2;
  }
  if (groups < 2) return {};
  const bool glued = j < s.size() && is_ascii_alnum(s[j]);
  const bool continues = j + 1 < s.size() && (s[j] == ':' || s[j] == '.') && is_digit(s[j + 1]);
  if (glued || continues) return {};
  // The field after a larger unit is below 60; a leading field may run over (75:00).
  for (int g = 1; g < groups; ++g)
    if (field[g] >= 60) return {};
  Millis seconds = 0;
  for (int g = 0; g < groups; ++g) seconds = seconds * 60 + field[g];
  Token t{i, j, i, j, seconds * 1000, digits, 0};
  if (i > 0 && j < s.size()) {
    const char open = s[i - 1], close = s[j];
    if ((open == '[' && close == ']') || (open == '(' && close == ')')) {
      t.open = open;
      t.outer_begin = i - 1;
      t.outer_end = j + 1;
    }
  }
  return t;
}

std::vector<Token> find_tokens(std::string_view s) {
  std::vector<Token> tokens;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_digit(s[i])) continue;
    if (const auto t = token_at(s, i)) {
      tokens.push_back(*t);
      i = t->end - 1;
    }
  }
  return tokens;
}

// What may stand before a leading timestamp: bullets, dashes, numbering ("1.", "12)"), emoji
// and brackets — anything but words. Capped, so that a word in a non-Latin script, which this
// byte-level test cannot tell from an emoji, is not taken for a long bullet.
bool is_bullet_prefix(std::string_view s) {
  constexpr std::size_t kMaxPrefix = 12;
  constexpr std::string_view kPunctuation = " \t*-+>~#.)]([|:";
  if (s.size() > kMaxPrefix) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (kPunctuation.find(c) != std::string_view::npos || static_cast<unsigned char>(c) >= 0x80)
      continue;
    if (!is_digit(c)) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == s.size() || (s[i] != '.' && s[i] != ')')) return false;
  }
  return true;
}

// Separators and bullets trimmed from both ends of a title.
// Not '>' or '/': "<live>" and "AC/DC" end titles.
constexpr std::array<std::string_view, 13> kSeparators = {
    " ",
    "-",
    ":",
    "|",
    "*",
    "~",
    ",",
    ";",
    "\xE2\x80\x93",  // – en dash
    "\xE2\x80\x94",  // — em dash
    "\xE2\x80\xA2",  // • bullet
    "\xC2\xB7",      // · middle dot
    "\xC2\xBB",      // » guillemet
};

std::string_view trim_separators(std::string_view s) {
  for (bool trimmed = true; trimmed && !s.empty();) {
    trimmed = false;
    for (const auto sep : kSeparators) {
      if (s.starts_with(sep)) {
        s.remove_prefix(sep.size());
        trimmed = true;
      }
      if (s.ends_with(sep)) {
        s.remove_suffix(sep.size());
        trimmed = true;
      }
    }
  }
  return s;
}

// "[Intro]" -> "Intro"; "(Part 1) and (Part 2)" stays as it is.
std::string_view strip_enclosing_brackets(std::string_view s) {
  if (s.size() < 2) return s;
  const char open = s.front(), close = s.back();
  const bool pair = (open == '[' && close == ']') || (open == '(' && close == ')');
  if (!pair || s.substr(1, s.size() - 2).find(close) != std::string_view::npos) return s;
  return trim_separators(s.substr(1, s.size() - 2));
}

std::string clean_title(std::string_view s) {
  return std::string(strip_enclosing_brackets(trim_separators(s)));
}

// Text that could be a title: something besides separators ("Intro", not " – ").
bool has_words(std::string_view s) {
  return !trim_separators(s).empty();
}

// "1. Intro" -> "Intro", for trailing-style lines where numbering leads the title.
std::string_view strip_numbering(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0 || i + 1 >= s.size() || (s[i] != '.' && s[i] != ')') || s[i + 1] != ' ') return s;
  return s.substr(i + 2);
}

std::optional<TimestampedLine> read_leading(std::string_view line,
                                            const std::vector<Token>& tokens) {
  const Token& first = tokens.front();
  if (!is_bullet_prefix(line.substr(0, first.outer_begin))) return {};
  auto rest = line.substr(first.outer_end);
  // A range, "00:00 - 05:00 Intro": the second time is where the chapter ends.
  if (tokens.size() > 1 &&
      trim_separators(line.substr(first.outer_end, tokens[1].outer_begin - first.outer_end))
          .empty())
    rest = line.substr(tokens[1].outer_end);
  auto title = clean_title(rest);
  if (title.empty()) return {};
  return TimestampedLine{first.ms, std::move(title), false};
}

std::optional<TimestampedLine> read_trailing(std::string_view line,
                                             const std::vector<Token>& tokens) {
  const Token& last = tokens.back();
  auto after = trim_separators(line.substr(last.outer_end));
  while (!after.empty() && (after.back() == '.' || after.back() == ')' || after.back() == ']'))
    after.remove_suffix(1);
  if (!after.empty()) return {};
  auto title = clean_title(strip_numbering(trim_separators(line.substr(0, last.outer_begin))));
  if (title.empty()) return {};
  return TimestampedLine{last.ms, std::move(title), true};
}

// "(00:00) Intro (02:15) News" — a list whose line breaks were lost (apps flatten
// descriptions) — as one piece per timestamp. Only timestamps like the first one cut (same
// brackets; bare ones preceded by a space and as wide), and only after some title text, so
// "00:00 Intro, the 1:30 train" and ranges stay whole. After prose ("In this episode:
// (00:00) Intro ...") only a bracketed list of three or more cuts: bare times in a sentence
// are times of day.
std::vector<std::string_view> split_at_timestamps(std::string_view line) {
  constexpr std::size_t kMinListAfterProse = 3;
  const auto tokens = find_tokens(line);
  if (tokens.size() < 2) return {line};
  const Token& first = tokens.front();
  const auto alike = [&](const Token& t) {
    return t.open == first.open &&
           (t.open != 0 || (line[t.outer_begin - 1] == ' ' && t.digits >= first.digits));
  };
  const bool leading = is_bullet_prefix(line.substr(0, first.outer_begin));
  if (!leading && (first.open == 0 ||
                   static_cast<std::size_t>(std::count_if(tokens.begin(), tokens.end(), alike)) <
                       kMinListAfterProse))
    return {line};
  std::vector<std::string_view> pieces;
  std::size_t piece_begin = 0, previous_end = first.outer_end;
  if (!leading) {
    pieces.push_back(line.substr(0, first.outer_begin));
    piece_begin = first.outer_begin;
  }
  for (std::size_t k = 1; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    const bool after_title = has_words(line.substr(previous_end, t.outer_begin - previous_end));
    previous_end = t.outer_end;
    if (!alike(t) || !after_title) continue;
    pieces.push_back(line.substr(piece_begin, t.outer_begin - piece_begin));
    piece_begin = t.outer_begin;
  }
  pieces.push_back(line.substr(piece_begin));
  return pieces;
}

// ---------------------------------------------------------------------------- choosing a list

using Run = std::vector<TimestampedLine>;

std::vector<Run> increasing_runs(const std::vector<TimestampedLine>& lines) {
  std::vector<Run> runs;
  for (const auto& line : lines) {
    const bool continues = !runs.empty() && line.at_ms > runs.back().back().at_ms &&
                           line.trailing == runs.back().back().trailing;
    if (!continues) runs.emplace_back();
    runs.back().push_back(line);
  }
  return runs;
}

// Longest; then starting nearest 0:00 (a table of contents starts at the beginning); then first.
const Run* best_run(const std::vector<Run>& runs) {
  const Run* best = nullptr;
  for (const auto& run : runs) {
    if (best == nullptr || run.size() > best->size() ||
        (run.size() == best->size() && run.front().at_ms < best->front().at_ms))
      best = &run;
  }
  return best;
}

}  // namespace

std::vector<std::string> show_notes_lines(std::string_view html_or_text) {
  const auto valid = text::sanitize_utf8(html_or_text);
  return looks_like_html(valid) ? html_lines(valid) : text_lines(valid);
}

std::optional<TimestampedLine> parse_timestamped_line(std::string_view line) {
  const auto normalized = normalize_line(line);
  const auto tokens = find_tokens(normalized);
  if (tokens.empty()) return std::nullopt;
  if (auto leading = read_leading(normalized, tokens)) return leading;
  return read_trailing(normalized, tokens);
}

std::vector<Chapter> chapters_from_show_notes(std::string_view html_or_text,
                                              std::optional<Millis> episode_duration) {
  std::vector<TimestampedLine> timestamped;
  for (const auto& line : show_notes_lines(html_or_text))
    for (const auto piece : split_at_timestamps(line))
      if (auto t = parse_timestamped_line(piece)) timestamped.push_back(std::move(*t));
  const auto runs = increasing_runs(timestamped);
  const Run* run = best_run(runs);
  // Half or more of the timestamps out of order: times of day, a schedule, a list of other
  // episodes — not a table of contents.
  if (run == nullptr || run->size() * 2 <= timestamped.size()) return {};
  std::vector<Chapter> chapters;
  chapters.reserve(run->size());
  for (const auto& t : *run) {
    Chapter c;
    c.start_ms = t.at_ms;
    c.title = t.title;
    c.source = "shownotes";
    chapters.push_back(std::move(c));
  }
  finalize_chapters(chapters, episode_duration);
  if (!is_chapter_list(chapters)) return {};
  return chapters;
}

}  // namespace hark::feed
