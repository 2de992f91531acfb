#include "asr/wire.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <utility>

#include "core/text.hpp"

namespace hark::asr {
namespace {

using nlohmann::json;

// Whisper's languages (whisper/tokenizer.py LANGUAGES, as whisper.cpp names them too), plus
// the aliases Whisper accepts. Whisper's "jw" is BCP 47 "jv".
constexpr std::pair<std::string_view, std::string_view> kLanguages[] = {
    {"en", "english"},
    {"zh", "chinese"},
    {"de", "german"},
    {"es", "spanish"},
    {"ru", "russian"},
    {"ko", "korean"},
    {"fr", "french"},
    {"ja", "japanese"},
    {"pt", "portuguese"},
    {"tr", "turkish"},
    {"pl", "polish"},
    {"ca", "catalan"},
    {"nl", "dutch"},
    {"ar", "arabic"},
    {"sv", "swedish"},
    {"it", "italian"},
    {"id", "indonesian"},
    {"hi", "hindi"},
    {"fi", "finnish"},
    {"vi", "vietnamese"},
    {"he", "hebrew"},
    {"uk", "ukrainian"},
    {"el", "greek"},
    {"ms", "malay"},
    {"cs", "czech"},
    {"ro", "romanian"},
    {"da", "danish"},
    {"hu", "hungarian"},
    {"ta", "tamil"},
    {"no", "norwegian"},
    {"th", "thai"},
    {"ur", "urdu"},
    {"hr", "croatian"},
    {"bg", "bulgarian"},
    {"lt", "lithuanian"},
    {"la", "latin"},
    {"mi", "maori"},
    {"ml", "malayalam"},
    {"cy", "welsh"},
    {"sk", "slovak"},
    {"te", "telugu"},
    {"fa", "persian"},
    {"lv", "latvian"},
    {"bn", "bengali"},
    {"sr", "serbian"},
    {"az", "azerbaijani"},
    {"sl", "slovenian"},
    {"kn", "kannada"},
    {"et", "estonian"},
    {"mk", "macedonian"},
    {"br", "breton"},
    {"eu", "basque"},
    {"is", "icelandic"},
    {"hy", "armenian"},
    {"ne", "nepali"},
    {"mn", "mongolian"},
    {"bs", "bosnian"},
    {"kk", "kazakh"},
    {"sq", "albanian"},
    {"sw", "swahili"},
    {"gl", "galician"},
    {"mr", "marathi"},
    {"pa", "punjabi"},
    {"si", "sinhala"},
    {"km", "khmer"},
    {"sn", "shona"},
    {"yo", "yoruba"},
    {"so", "somali"},
    {"af", "afrikaans"},
    {"oc", "occitan"},
    {"ka", "georgian"},
    {"be", "belarusian"},
    {"tg", "tajik"},
    {"sd", "sindhi"},
    {"gu", "gujarati"},
    {"am", "amharic"},
    {"yi", "yiddish"},
    {"lo", "lao"},
    {"uz", "uzbek"},
    {"fo", "faroese"},
    {"ht", "haitian creole"},
    {"ps", "pashto"},
    {"tk", "turkmen"},
    {"nn", "nynorsk"},
    {"mt", "maltese"},
    {"sa", "sanskrit"},
    {"lb", "luxembourgish"},
    {"my", "myanmar"},
    {"bo", "tibetan"},
    {"tl", "tagalog"},
    {"mg", "malagasy"},
    {"as", "assamese"},
    {"tt", "tatar"},
    {"haw", "hawaiian"},
    {"ln", "lingala"},
    {"ha", "hausa"},
    {"ba", "bashkir"},
    {"jv", "javanese"},
    {"su", "sundanese"},
    {"yue", "cantonese"},
    // aliases
    {"my", "burmese"},
    {"ca", "valencian"},
    {"nl", "flemish"},
    {"ht", "haitian"},
    {"lb", "letzeburgesch"},
    {"ps", "pushto"},
    {"pa", "panjabi"},
    {"ro", "moldavian"},
    {"ro", "moldovan"},
    {"si", "sinhalese"},
    {"es", "castilian"},
};

// seconds (a JSON number) → ms; negative and non-finite values are clamped to 0.
Result<Millis> seconds(const json& value, const std::string& where) {
  if (!value.is_number()) return invalid_input(where + " is not a number");
  const double s = value.get<double>();
  if (!std::isfinite(s) || s <= 0) return Millis{0};
  return static_cast<Millis>(std::llround(s * 1000.0));
}

Result<std::optional<double>> optional_number(const json& object, const char* key,
                                              const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<double>{};
  if (!it->is_number()) return invalid_input(where + "." + key + " is not a number");
  return std::optional<double>{it->get<double>()};
}

Result<std::string> optional_string(const json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string{};
  if (!it->is_string()) return invalid_input(where + "." + key + " is not a string");
  return it->get<std::string>();
}

std::string clean_text(std::string_view raw) {
  return text::collapse_whitespace(text::sanitize_utf8(raw));
}

bool is_special_token(std::string_view t) {
  t = text::trim(t);
  return t.size() >= 3 && t.starts_with("[_") && t.ends_with("]");
}

// An engine word or token: its raw text (leading space kept) and times.
struct RawWord {
  std::string text;
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::optional<double> probability;
};

Result<std::vector<RawWord>> parse_words(const json& array, const std::string& where) {
  std::vector<RawWord> out;
  if (array.is_null()) return out;
  if (!array.is_array()) return invalid_input(where + " is not an array");
  for (std::size_t i = 0; i < array.size(); ++i) {
    const json& w = array[i];
    const std::string at = where + "[" + std::to_string(i) + "]";
    if (!w.is_object()) return invalid_input(at + " is not an object");
    RawWord word;
    auto text = optional_string(w, "word", at);
    if (!text) return text.error();
    word.text = std::move(*text);
    // Some servers name it "text".
    if (word.text.empty()) {
      auto alt = optional_string(w, "text", at);
      if (!alt) return alt.error();
      word.text = std::move(*alt);
    }
    const auto start = w.find("start");
    const auto end = w.find("end");
    if (start == w.end() || end == w.end()) {
      return invalid_input(at + " has no start or end");
    }
    auto s = seconds(*start, at + ".start");
    if (!s) return s.error();
    auto e = seconds(*end, at + ".end");
    if (!e) return e.error();
    word.start_ms = *s;
    word.end_ms = std::max(*s, *e);
    auto p = optional_number(w, "probability", at);
    if (!p) return p.error();
    word.probability = *p;
    out.push_back(std::move(word));
  }
  return out;
}

// Engine words as hark words: trimmed, empty ones dropped.
std::vector<Word> plain_words(const std::vector<RawWord>& raw) {
  std::vector<Word> out;
  for (const RawWord& r : raw) {
    std::string t = clean_text(r.text);
    if (t.empty() || is_special_token(t)) continue;
    out.push_back({r.start_ms, r.end_ms, std::move(t), r.probability});
  }
  return out;
}

// whisper.cpp tokens joined into words: a token that starts with a space starts a new word;
// other tokens (the rest of a word, punctuation) extend the current one.
std::vector<Word> words_from_tokens(const std::vector<RawWord>& tokens) {
  std::vector<Word> out;
  std::vector<double> probabilities;
  auto close = [&] {
    if (out.empty()) return;
    Word& w = out.back();
    w.text = clean_text(w.text);
    if (!probabilities.empty()) {
      double sum = 0;
      for (const double p : probabilities) sum += p;
      w.confidence = sum / static_cast<double>(probabilities.size());
    }
    probabilities.clear();
    if (w.text.empty()) out.pop_back();
  };
  for (const RawWord& t : tokens) {
    if (t.text.empty() || is_special_token(t.text)) continue;
    const bool starts_word = out.empty() || t.text.front() == ' ';
    if (starts_word) {
      close();
      out.push_back({t.start_ms, t.end_ms, t.text, std::nullopt});
    } else {
      out.back().text += t.text;
      out.back().end_ms = std::max(out.back().end_ms, t.end_ms);
    }
    if (t.probability) probabilities.push_back(*t.probability);
  }
  close();
  return out;
}

// Top-level words (OpenAI) go to the segment holding their midpoint, else the nearest one.
void distribute_words(std::vector<WireSegment>& segments, std::vector<Word> words) {
  if (segments.empty()) return;
  for (Word& w : words) {
    const Millis mid = (w.start_ms + w.end_ms) / 2;
    std::size_t best = 0;
    Millis best_distance = -1;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const Millis s = segments[i].start_ms;
      const Millis e = segments[i].end_ms.value_or(s);
      const Millis d = mid < s ? s - mid : (mid > e ? mid - e : 0);
      if (best_distance < 0 || d < best_distance) {
        best = i;
        best_distance = d;
      }
      if (d == 0) break;
    }
    segments[best].words.push_back(std::move(w));
  }
}

}  // namespace

std::string language_code(std::string_view name_or_code) {
  std::string s = text::to_lower_ascii(text::trim(name_or_code));
  if (const auto dash = s.find_first_of("-_"); dash != std::string::npos) s.resize(dash);
  if (s == "jw") return "jv";
  for (const auto& [code, name] : kLanguages) {
    if (s == code || s == name) return std::string(code);
  }
  return {};
}

Result<ChunkTranscript> parse_verbose_json(std::string_view body, WireFormat format) {
  json doc;
  try {
    doc = json::parse(body);
  } catch (const json::parse_error& e) {
    // nlohmann's message starts with "[json.exception.parse_error.101] parse error at ...".
    std::string what = e.what();
    if (const auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return invalid_input(what);
  }
  if (!doc.is_object()) return invalid_input("expected a JSON object");

  ChunkTranscript out;
  auto language = optional_string(doc, "language", "response");
  if (!language) return language.error();
  out.language = language_code(*language);

  const auto segments = doc.find("segments");
  if (segments == doc.end() || segments->is_null()) {
    // A server that ignored response_format=verbose_json: text only.
    auto text = optional_string(doc, "text", "response");
    if (!text) return text.error();
    if (doc.find("text") == doc.end()) return invalid_input("no segments and no text");
    std::string t = clean_text(*text);
    if (!t.empty()) out.segments.push_back({0, std::nullopt, std::move(t), {}, {}, {}});
    return out;
  }
  if (!segments->is_array()) return invalid_input("segments is not an array");

  bool nested_words = false;
  for (std::size_t i = 0; i < segments->size(); ++i) {
    const json& s = (*segments)[i];
    const std::string at = "segments[" + std::to_string(i) + "]";
    if (!s.is_object()) return invalid_input(at + " is not an object");
    WireSegment seg;
    auto text = optional_string(s, "text", at);
    if (!text) return text.error();
    seg.text = clean_text(*text);
    const auto start = s.find("start");
    const auto end = s.find("end");
    if (start == s.end() || end == s.end()) return invalid_input(at + " has no start or end");
    auto st = seconds(*start, at + ".start");
    if (!st) return st.error();
    auto en = seconds(*end, at + ".end");
    if (!en) return en.error();
    seg.start_ms = *st;
    seg.end_ms = std::max(*st, *en);
    auto lp = optional_number(s, "avg_logprob", at);
    if (!lp) return lp.error();
    seg.avg_logprob = *lp;
    auto nsp = optional_number(s, "no_speech_prob", at);
    if (!nsp) return nsp.error();
    seg.no_speech_prob = *nsp;
    if (const auto w = s.find("words"); w != s.end()) {
      auto raw = parse_words(*w, at + ".words");
      if (!raw) return raw.error();
      seg.words = format == WireFormat::WhisperCpp ? words_from_tokens(*raw) : plain_words(*raw);
      nested_words = nested_words || !seg.words.empty();
    }
    if (seg.text.empty() && seg.words.empty()) continue;
    out.segments.push_back(std::move(seg));
  }

  if (!nested_words) {
    if (const auto w = doc.find("words"); w != doc.end()) {
      auto raw = parse_words(*w, "words");
      if (!raw) return raw.error();
      distribute_words(out.segments, plain_words(*raw));
    }
  }
  for (WireSegment& seg : out.segments) {
    // Keep the Segment contract: words lie inside their segment.
    if (seg.words.empty()) continue;
    seg.start_ms = std::min(seg.start_ms, seg.words.front().start_ms);
    Millis last = seg.end_ms.value_or(seg.start_ms);
    for (const Word& w : seg.words) last = std::max(last, w.end_ms);
    seg.end_ms = last;
    if (seg.text.empty()) {
      for (const Word& w : seg.words) seg.text += (seg.text.empty() ? "" : " ") + w.text;
    }
  }
  std::stable_sort(
      out.segments.begin(), out.segments.end(),
      [](const WireSegment& a, const WireSegment& b) { return a.start_ms < b.start_ms; });
  return out;
}

MultipartForm::MultipartForm(std::string boundary) : boundary_(std::move(boundary)) {
  if (boundary_.empty()) {
    std::random_device rd;
    std::uniform_int_distribution<int> hex(0, 15);
    boundary_ = "hark-form-";
    for (int i = 0; i < 32; ++i) boundary_.push_back("0123456789abcdef"[hex(rd)]);
  }
}

void MultipartForm::open_part(std::string_view disposition_tail, std::string_view name) {
  body_ += "--";
  body_ += boundary_;
  body_ += "\r\nContent-Disposition: form-data; name=\"";
  body_ += name;
  body_ += '"';
  body_ += disposition_tail;
  body_ += "\r\n";
}

void MultipartForm::add_field(std::string_view name, std::string_view value) {
  open_part("", name);
  body_ += "\r\n";
  body_ += value;
  body_ += "\r\n";
}

void MultipartForm::add_file(std::string_view name, std::string_view filename,
                             std::string_view content_type, std::string_view data) {
  open_part("; filename=\"" + std::string(filename) + "\"", name);
  body_ += "Content-Type: ";
  body_ += content_type;
  body_ += "\r\n\r\n";
  body_ += data;
  body_ += "\r\n";
}

std::string MultipartForm::content_type() const {
  return "multipart/form-data; boundary=" + boundary_;
}

std::string MultipartForm::finish() && {
  body_ += "--";
  body_ += boundary_;
  body_ += "--\r\n";
  return std::move(body_);
}

}  // namespace hark::asr
