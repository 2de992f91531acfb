#include "transcript/detail/cues.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "core/text.hpp"

namespace hark::transcript::detail {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Millis> to_number(std::string_view s) {
  Millis v = 0;
  if (!all_digits(s)) return std::nullopt;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{}) return std::nullopt;
  return v;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// ---- speaker labels -------------------------------------------------------------

// Single words that end in a colon at a line start without naming anybody.
constexpr std::array<std::string_view, 22> kNotSpeakers = {
    "note",       "notes",   "warning", "update",    "edit",       "example", "source",  "sources",
    "transcript", "summary", "caution", "tip",       "disclaimer", "re",      "subject", "http",
    "https",      "chapter", "music",   "important", "correction", "fyi"};

bool is_name_word(std::string_view word) {
  const auto* s = reinterpret_cast<const uint8_t*>(word.data());
  const auto length = static_cast<int32_t>(word.size());
  int32_t i = 0;
  bool first = true;
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    if (c < 0 || u_isdigit(c)) return false;
    if (first) {
      if (!u_isupper(c) && !u_istitle(c)) return false;
      first = false;
    } else if (!u_isalpha(c) && c != '.' && c != '\'' && c != '-' && c != 0x2019) {
      return false;
    }
  }
  return !first;
}

// ---- cue text -----------------------------------------------------------------------

struct Piece {
  std::optional<Millis> at;  // a timestamp tag said this text starts here
  std::string text;
};

struct Utterance {
  std::optional<std::string> voice;  // from <v Name> or RawCue::voice
  std::optional<std::string> label;  // from a "Name:" line prefix
  bool dash = false;                 // from a "- " line prefix
  std::vector<Piece> pieces;

  bool has_text() const {
    return std::any_of(pieces.begin(), pieces.end(),
                       [](const Piece& p) { return !text::trim(p.text).empty(); });
  }
};

// Reads one cue payload into utterances: who speaks which text, and the times that
// timestamp tags give.
class CueReader {
 public:
  CueReader(const RawCue& cue, CueSyntax syntax) : cue_(cue), syntax_(syntax) {
    utterances_.push_back(Utterance{cue.voice, std::nullopt, false, {}});
  }

  std::vector<Utterance> read() {
    std::string_view rest = cue_.payload;
    while (!rest.empty()) {
      const auto lt = syntax_.markup ? rest.find('<') : std::string_view::npos;
      text(rest.substr(0, lt));
      if (lt == std::string_view::npos) break;
      rest.remove_prefix(lt);
      const auto gt = rest.find('>');
      const auto inside =
          gt == std::string_view::npos ? std::string_view{} : rest.substr(1, gt - 1);
      if (gt == std::string_view::npos || !is_tag(inside)) {
        text(rest.substr(0, 1));  // a literal '<'
        rest.remove_prefix(1);
        continue;
      }
      tag(inside);
      rest.remove_prefix(gt + 1);
    }
    return std::move(utterances_);
  }

  bool saw_timestamps() const { return saw_timestamps_; }

 private:
  static bool is_tag(std::string_view inside) {
    if (inside.empty() || inside.find('<') != std::string_view::npos) return false;
    const char c = inside[0];
    return c == '/' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  void tag(std::string_view inside) {
    if (inside[0] == '/') {
      if (text::trim(inside.substr(1)) == "v") start_utterance(std::nullopt);
      return;
    }
    if (inside[0] >= '0' && inside[0] <= '9') {
      if (const auto at = parse_cue_time(inside)) {
        pending_at_ = at;
        saw_timestamps_ = true;
      }
      return;
    }
    // <v Name>, <v.loud Name>: the annotation after the first blank is the voice.
    if (inside[0] == 'v' && (inside.size() == 1 || inside[1] == '.' || is_space(inside[1]))) {
      const auto blank = inside.find_first_of(" \t");
      const auto name = blank == std::string_view::npos ? std::string_view{} : inside.substr(blank);
      start_utterance(text::collapse_whitespace(name));
    }
    // Every other tag (<c>, <i>, <b>, <u>, <ruby>, <lang>, <font>) only styles text.
  }

  void start_utterance(std::optional<std::string> voice) {
    auto& current = utterances_.back();
    if (!current.has_text()) {
      current.voice = std::move(voice);
      current.label.reset();
      current.dash = false;
      return;
    }
    utterances_.push_back(Utterance{std::move(voice), std::nullopt, false, {}});
  }

  void text(std::string_view raw) {
    if (raw.empty()) return;
    const std::string decoded =
        syntax_.markup ? decode_entities(strip_ass_overrides(raw)) : std::string(raw);
    std::string_view rest = decoded;
    while (true) {
      const auto nl = rest.find('\n');
      line_fragment(rest.substr(0, nl));
      if (nl == std::string_view::npos) break;
      append(" ");
      at_line_start_ = true;
      rest.remove_prefix(nl + 1);
    }
  }

  // SRT files from Aegisub carry "{\an8}"-style override blocks; they are not text.
  static std::string strip_ass_overrides(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '\\') {
        const auto close = s.find('}', i);
        if (close != std::string_view::npos) {
          i = close;
          continue;
        }
      }
      out.push_back(s[i]);
    }
    return out;
  }

  void line_fragment(std::string_view fragment) {
    if (at_line_start_ && !utterances_.back().voice && !text::trim(fragment).empty()) {
      fragment = take_line_prefix(fragment);
    }
    if (!text::trim(fragment).empty()) at_line_start_ = false;
    append(fragment);
  }

  // A line that starts with "- " or "Name: " begins a new utterance.
  std::string_view take_line_prefix(std::string_view line) {
    line = line.substr(line.find_first_not_of(" \t"));
    bool dash = false;
    if (syntax_.dash_turns && line.size() > 1 && line[0] == '-' &&
        (line[1] == ' ' || std::isalpha(static_cast<unsigned char>(line[1])))) {
      dash = true;
      line.remove_prefix(1);
      line = line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
    }
    auto prefix = speaker_prefix(line);
    if (!dash && !prefix) return line;
    start_utterance(std::nullopt);
    auto& u = utterances_.back();
    u.dash = dash;
    if (prefix) {
      u.label = std::move(prefix->label);
      line.remove_prefix(prefix->length);
    }
    return line;
  }

  void append(std::string_view s) {
    auto& pieces = utterances_.back().pieces;
    if (pending_at_ || pieces.empty()) {
      pieces.push_back(Piece{pending_at_, {}});
      pending_at_.reset();
    }
    pieces.back().text.append(s);
  }

  const RawCue& cue_;
  CueSyntax syntax_;
  std::vector<Utterance> utterances_;
  std::optional<Millis> pending_at_;
  bool at_line_start_ = true;
  bool saw_timestamps_ = false;
};

// ---- time distribution --------------------------------------------------------------

std::vector<Word> words_in(const std::string& text_, Span span) {
  std::vector<std::string> tokens;
  std::vector<std::size_t> weights;
  for (auto& t : text::split(text::collapse_whitespace(text_), ' ')) {
    if (t.empty()) continue;
    weights.push_back(char_count(t));
    tokens.push_back(std::move(t));
  }
  const auto spans = split_by_weight(span.start_ms, span.end_ms, weights);
  std::vector<Word> words;
  for (std::size_t i = 0; i < tokens.size(); ++i)
    words.push_back(Word{spans[i].start_ms, spans[i].end_ms, std::move(tokens[i]), std::nullopt});
  return words;
}

// Gives every piece of the cue its span: timestamp tags are anchors (clamped into the
// cue and kept monotonic); pieces between anchors share the time by character count.
std::vector<Span> piece_spans(const std::vector<const Piece*>& pieces, Millis start, Millis end) {
  std::vector<Span> spans(pieces.size());
  std::size_t i = 0;
  Millis anchor = start;
  while (i < pieces.size()) {
    if (pieces[i]->at) anchor = std::clamp(*pieces[i]->at, anchor, std::max(anchor, end));
    std::size_t j = i + 1;
    while (j < pieces.size() && !pieces[j]->at) ++j;
    Millis next = end;
    if (j < pieces.size()) next = std::clamp(*pieces[j]->at, anchor, std::max(anchor, end));
    std::vector<std::size_t> weights;
    for (std::size_t k = i; k < j; ++k)
      weights.push_back(std::max<std::size_t>(1, char_count(text::trim(pieces[k]->text))));
    const auto split = split_by_weight(anchor, next, weights);
    std::copy(split.begin(), split.end(), spans.begin() + static_cast<std::ptrdiff_t>(i));
    anchor = next;
    i = j;
  }
  return spans;
}

struct CueSegment {
  Segment segment;
  std::optional<std::string> voice;
  std::optional<std::string> label;
  bool dash = false;
};

void timed_segments(const RawCue& cue, std::vector<Utterance> utterances, bool with_words,
                    std::vector<CueSegment>& out) {
  std::erase_if(utterances, [](const Utterance& u) { return !u.has_text(); });
  std::vector<const Piece*> pieces;
  for (auto& u : utterances) {
    std::erase_if(u.pieces, [](const Piece& p) { return text::trim(p.text).empty(); });
    for (const auto& p : u.pieces) pieces.push_back(&p);
  }
  const auto spans = piece_spans(pieces, cue.start_ms, cue.end_ms);
  std::size_t k = 0;
  for (auto& u : utterances) {
    CueSegment cs{{}, std::move(u.voice), std::move(u.label), u.dash};
    std::string joined;
    cs.segment.start_ms = spans[k].start_ms;
    for (const auto& p : u.pieces) {
      joined += p.text;
      joined += ' ';
      if (with_words) {
        auto words = words_in(p.text, spans[k]);
        std::move(words.begin(), words.end(), std::back_inserter(cs.segment.words));
      }
      cs.segment.end_ms = spans[k].end_ms;
      ++k;
    }
    cs.segment.text = text::collapse_whitespace(joined);
    out.push_back(std::move(cs));
  }
}

// The continuation rule documented in the header.
void attribute_speakers(std::vector<CueSegment>& segments) {
  const bool turn_labelled = !segments.empty() && segments.front().label.has_value();
  std::string current;
  for (auto& cs : segments) {
    if (cs.voice) {
      cs.segment.speaker = *cs.voice;
    } else if (cs.label) {
      current = *cs.label;
      cs.segment.speaker = current;
    } else if (cs.dash) {
      current.clear();
    } else if (turn_labelled) {
      cs.segment.speaker = current;
    }
  }
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, c, error);
  if (!error) out.append(buf, static_cast<std::size_t>(n));
}

std::optional<std::string> named_entity(std::string_view name) {
  if (name == "amp") return "&";
  if (name == "lt") return "<";
  if (name == "gt") return ">";
  if (name == "quot") return "\"";
  if (name == "apos") return "'";
  if (name == "nbsp") return " ";  // a plain space, so that whitespace collapsing sees it
  if (name == "lrm" || name == "rlm") return "";  // invisible direction marks
  return std::nullopt;
}

std::optional<std::string> numeric_entity(std::string_view body) {
  if (body.size() < 2 || body[0] != '#') return std::nullopt;
  const bool hex = body[1] == 'x' || body[1] == 'X';
  const auto digits = body.substr(hex ? 2 : 1);
  std::uint32_t v = 0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v, hex ? 16 : 10);
  if (digits.empty() || r.ec != std::errc{} || r.ptr != digits.data() + digits.size())
    return std::nullopt;
  if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return std::nullopt;
  std::string out;
  append_utf8(out, static_cast<UChar32>(v));
  return out;
}

// ---- cue blocks ---------------------------------------------------------------------

class CueBlockReader {
 public:
  CueBlockReader(const std::vector<Line>& lines, std::size_t first, const CueBlockRules& rules,
                 std::vector<std::string>& warnings)
      : lines_(lines), rules_(rules), warnings_(warnings), i_(first) {}

  CueBlocks read() {
    while (skip_blank_lines()) {
      const auto& line = lines_[i_];
      if (rules_.is_ignored_block && rules_.is_ignored_block(line.text)) {
        skip_block();
        continue;
      }
      std::size_t timing = i_;
      if (!has_cue_arrow(line.text)) {
        if (i_ + 1 >= lines_.size() || !has_cue_arrow(lines_[i_ + 1].text)) {
          warnings_.push_back(at_line(line.number, rules_.stray_block(line.text)));
          skip_block();
          continue;
        }
        timing = i_ + 1;  // the line before is an identifier; its value is not needed
      }
      read_cue(timing);
    }
    return std::move(out_);
  }

 private:
  bool skip_blank_lines() {
    while (i_ < lines_.size() && is_blank(lines_[i_].text)) ++i_;
    return i_ < lines_.size();
  }

  void skip_block() {
    while (i_ < lines_.size() && !is_blank(lines_[i_].text)) ++i_;
  }

  void read_cue(std::size_t timing_index) {
    const auto& timing_line = lines_[timing_index];
    RawCue cue;
    cue.line = timing_line.number;
    for (i_ = timing_index + 1;
         i_ < lines_.size() && !is_blank(lines_[i_].text) && !rules_.starts_next_cue(lines_, i_);
         ++i_) {
      if (!cue.payload.empty()) cue.payload += '\n';
      cue.payload += lines_[i_].text;
    }
    const auto timing = parse_cue_timing(timing_line.text);
    if (!timing) {
      skip_cue(timing_line, quote_line(timing_line.text) + " is not a valid cue timing " +
                                std::string(rules_.expected_timing));
      return;
    }
    if (timing->end_ms < timing->start_ms) {
      skip_cue(timing_line, "the cue ends before it starts: " + quote_line(timing_line.text));
      return;
    }
    cue.start_ms = timing->start_ms;
    cue.end_ms = timing->end_ms;
    out_.cues.push_back(std::move(cue));
  }

  void skip_cue(const Line& line, const std::string& problem) {
    const auto message = at_line(line.number, problem);
    if (out_.first_error.empty()) out_.first_error = message;
    warnings_.push_back(message + "; cue skipped");
  }

  const std::vector<Line>& lines_;
  const CueBlockRules& rules_;
  std::vector<std::string>& warnings_;
  std::size_t i_;
  CueBlocks out_;
};

}  // namespace

std::optional<Millis> parse_cue_time(std::string_view s) {
  s = text::trim(s);
  const auto parts = text::split(s, ':');
  if (parts.size() != 2 && parts.size() != 3) return std::nullopt;
  Millis hours = 0;
  if (parts.size() == 3) {
    const auto h = parts[0].size() <= 6 ? to_number(parts[0]) : std::nullopt;
    if (!h) return std::nullopt;
    hours = *h;
  }
  const auto& mm = parts[parts.size() - 2];
  const auto& last = parts.back();
  if (mm.size() != 2 || last.size() != 6 || (last[2] != '.' && last[2] != ',')) return std::nullopt;
  const auto m = to_number(mm), sec = to_number(last.substr(0, 2)), ms = to_number(last.substr(3));
  if (!m || !sec || !ms || *m > 59 || *sec > 59) return std::nullopt;
  return ((hours * 60 + *m) * 60 + *sec) * 1000 + *ms;
}

std::optional<CueTiming> parse_cue_timing(std::string_view line) {
  const auto arrow = line.find("-->");
  if (arrow == std::string_view::npos) return std::nullopt;
  auto right = text::trim(line.substr(arrow + 3));
  right = right.substr(0, right.find_first_of(" \t"));
  const auto start = parse_cue_time(line.substr(0, arrow));
  const auto end = parse_cue_time(right);
  if (!start || !end) return std::nullopt;
  return CueTiming{*start, *end};
}

bool has_cue_arrow(std::string_view line) {
  return line.find("-->") != std::string_view::npos;
}

CueBlocks read_cue_blocks(const std::vector<Line>& lines, std::size_t first,
                          const CueBlockRules& rules, std::vector<std::string>& warnings) {
  return CueBlockReader(lines, first, rules, warnings).read();
}

std::string format_cue_time(Millis ms, char sep) {
  ms = std::max<Millis>(0, ms);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld%c%03lld",
                static_cast<long long>(ms / 3600000), static_cast<long long>(ms / 60000 % 60),
                static_cast<long long>(ms / 1000 % 60), sep, static_cast<long long>(ms % 1000));
  return buf;
}

bool is_anonymous_label(std::string_view label) {
  const std::string s = text::to_lower_ascii(text::trim(label));
  for (std::string_view stem : {"speaker", "spkr", "spk", "s"}) {
    if (s.compare(0, stem.size(), stem) != 0) continue;
    std::string_view rest = std::string_view(s).substr(stem.size());
    if (!rest.empty() && (rest[0] == '_' || rest[0] == ' ' || rest[0] == '-'))
      rest.remove_prefix(1);
    if (all_digits(rest)) return true;
  }
  return false;
}

bool is_speaker_label(std::string_view label) {
  label = text::trim(label);
  if (label.empty() || label.size() > 60) return false;
  if (is_anonymous_label(label)) return true;
  std::vector<std::string> words;
  for (auto& w : text::split(text::collapse_whitespace(label), ' '))
    if (!w.empty()) words.push_back(std::move(w));
  if (words.empty() || words.size() > 4) return false;
  if (words.size() == 1 && std::find(kNotSpeakers.begin(), kNotSpeakers.end(),
                                     text::to_lower_ascii(words[0])) != kNotSpeakers.end())
    return false;
  return std::all_of(words.begin(), words.end(),
                     [](const std::string& w) { return is_name_word(w); });
}

std::optional<LabelPrefix> speaker_prefix(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 64) return std::nullopt;
  if (colon + 1 < line.size() && !is_space(line[colon + 1])) return std::nullopt;  // "10:30", URLs
  const auto label = line.substr(0, colon);
  if (!is_speaker_label(label)) return std::nullopt;
  std::size_t length = colon + 1;
  while (length < line.size() && is_space(line[length])) ++length;
  return LabelPrefix{text::collapse_whitespace(label), length};
}

std::vector<Segment> segments_from_cues(const std::vector<RawCue>& cues, CueSyntax syntax) {
  std::vector<CueSegment> parts;
  parts.reserve(cues.size());
  for (const auto& cue : cues) {
    CueReader reader(cue, syntax);
    auto utterances = reader.read();
    timed_segments(cue, std::move(utterances), reader.saw_timestamps(), parts);
  }
  attribute_speakers(parts);
  std::vector<Segment> segments;
  segments.reserve(parts.size());
  for (auto& p : parts) segments.push_back(std::move(p.segment));
  return segments;
}

Transcript finish_transcript(std::vector<Segment> segments, bool timed) {
  Transcript t;
  t.timed = timed;
  if (timed)
    std::stable_sort(segments.begin(), segments.end(),
                     [](const Segment& a, const Segment& b) { return a.start_ms < b.start_ms; });
  for (const auto& s : segments) {
    if (s.speaker.empty() || find_speaker(t, s.speaker) != nullptr) continue;
    t.speakers.push_back(Speaker{s.speaker, is_anonymous_label(s.speaker) ? "" : s.speaker, ""});
  }
  t.segments = std::move(segments);
  return t;
}

std::string decode_entities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      const auto semi = s.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        const auto body = s.substr(i + 1, semi - i - 1);
        auto decoded = named_entity(body);
        if (!decoded) decoded = numeric_entity(body);
        if (decoded) {
          out += *decoded;
          i = semi;
          continue;
        }
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::vector<Span> split_by_weight(Millis from, Millis to, const std::vector<std::size_t>& weights) {
  std::size_t total = 0;
  for (auto w : weights) total += w;
  std::vector<Span> spans;
  spans.reserve(weights.size());
  std::size_t before = 0;
  const Millis length = std::max<Millis>(0, to - from);
  const auto at = [&](std::size_t chars) {
    return total == 0 ? from
                      : from + length * static_cast<Millis>(chars) / static_cast<Millis>(total);
  };
  for (auto w : weights) {
    spans.push_back({at(before), at(before + w)});
    before += w;
  }
  return spans;
}

std::size_t char_count(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace hark::transcript::detail
