#include "insight/model_writer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "core/time.hpp"
#include "insight/lexicon.hpp"

namespace hark::insight {
namespace {

using nlohmann::json;

constexpr std::string_view kSystemPrompt =
    "You write show notes for one moment of a podcast. Read the excerpt and reply with one "
    "JSON object with exactly these keys:\n"
    "\"title\": a short headline (at most 10 words) naming what the moment is about;\n"
    "\"summary\": one or two sentences saying what is said;\n"
    "\"takeaways\": a list of 2 or 3 short key points made in the excerpt;\n"
    "\"quote\": one sentence copied word for word from the excerpt.\n"
    "Write in the language of the excerpt. Reply with the JSON object only.";

// Bounded lengths keep a grammar-constrained reply short enough to finish within
// max_tokens (services/llm/README.md).
constexpr std::string_view kSchema = R"({
  "type": "object",
  "properties": {
    "title": {"type": "string", "minLength": 3, "maxLength": 80},
    "summary": {"type": "string", "minLength": 10, "maxLength": 300},
    "takeaways": {"type": "array", "minItems": 1, "maxItems": 3,
                  "items": {"type": "string", "minLength": 3, "maxLength": 160}},
    "quote": {"type": "string", "minLength": 10, "maxLength": 240}
  },
  "required": ["title", "summary", "takeaways", "quote"],
  "additionalProperties": false
})";

constexpr std::size_t kMaxSummaryChars = 1000;
constexpr std::size_t kMaxTakeaways = 5;
constexpr std::size_t kMinQuoteWords = 3;

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// Plain text of a description that may be HTML: tags dropped, whitespace collapsed.
std::string plain(std::string_view html, std::size_t max_bytes) {
  std::string out;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') {
      in_tag = true;
      out += ' ';
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  return text::truncate_utf8(text::collapse_whitespace(text::sanitize_utf8(out)), max_bytes);
}

// "Name: sentence sentence\n" per run of one speaker.
std::string passage_lines(const Passage& p, std::size_t max_bytes) {
  const EpisodeAnalysis& a = *p.analysis;
  std::string out;
  std::string current;
  bool first = true;
  for (std::size_t i = p.first; i <= p.last && i < a.size(); ++i) {
    const Sentence& s = a.sentence(i).sentence;
    if (first || s.speaker != current) {
      if (!first) out += '\n';
      if (!s.speaker.empty()) out += a.speaker_name(s.speaker) + ": ";
      current = s.speaker;
      first = false;
    } else {
      out += ' ';
    }
    out += s.text;
    if (out.size() > max_bytes) {
      out = text::truncate_utf8(out, max_bytes);
      break;
    }
  }
  return out;
}

// Lower-case words, punctuation dropped, "um"/"uh" skipped; apostrophes join ("don't" →
// "dont"). Bytes of non-ASCII letters are kept; typographic quotes and dashes separate.
std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty() && word != "um" && word != "uh" && word != "erm" && word != "er")
      words.push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (std::isalnum(c) != 0) {
        word += static_cast<char>(std::tolower(c));
      } else if (c != '\'') {
        flush();
      }
      ++i;
      continue;
    }
    const std::size_t n = std::max<std::size_t>(1, text::utf8_sequence_length(s, i));
    const std::string_view seq = s.substr(i, n);
    if (seq == "\u2019" || seq == "\u2018") {
      // an apostrophe: joins
    } else if (seq == "\u201C" || seq == "\u201D" || seq == "\u2013" || seq == "\u2014" ||
               seq == "\u2026" || seq == "\u00A0" || seq == "\u00AB" || seq == "\u00BB") {
      flush();
    } else {
      word += seq;
    }
    i += n;
  }
  flush();
  return words;
}

std::string lower(std::string_view s) {
  return text::to_lower_ascii(text::collapse_whitespace(s));
}

bool is_refusal(std::string_view field) {
  const std::string l = lower(field);
  for (std::string_view marker :
       {"i'm sorry", "i am sorry", "i\u2019m sorry", "as an ai", "as a language model", "i cannot",
        "i can't", "i can\u2019t", "i can not", "i'm unable", "i am unable", "i\u2019m unable",
        "i'm not able to", "i am not able to"}) {
    if (l.find(marker) != std::string::npos) return true;
  }
  return false;
}

// Letters or digits (any non-ASCII byte counts: other scripts): "} {" or "..." has none.
std::size_t word_characters(std::string_view field) {
  std::size_t n = 0;
  for (unsigned char c : field)
    if (std::isalnum(c) != 0 || c >= 0x80) ++n;
  return n;
}

bool has_placeholder(std::string_view field) {
  return field.find("{{") != std::string_view::npos || field.find("}}") != std::string_view::npos;
}

// Drops wrapping quotes and a leading label ("Title:").
std::string unwrap(std::string_view s, std::string_view label) {
  std::string out{text::trim(s)};
  if (text::starts_with_icase(out, label) && out.size() > label.size() && out[label.size()] == ':')
    out = std::string(text::trim(std::string_view(out).substr(label.size() + 1)));
  for (std::string_view q : {"\"", "'", "\u201C", "\u2018", "*"}) {
    std::string_view closing = q == "\u201C" ? "\u201D" : q == "\u2018" ? "\u2019" : q;
    while (out.size() >= q.size() + closing.size() && out.starts_with(q) && out.ends_with(closing))
      out = std::string(text::trim(
          std::string_view(out).substr(q.size(), out.size() - q.size() - closing.size())));
  }
  return out;
}

constexpr std::array kTrailingFiller = {"and", "or",   "but", "so",   "the",  "a",    "an",
                                        "of",  "to",   "for", "with", "in",   "on",   "at",
                                        "by",  "from", "um",  "uh",   "like", "that", "is"};

std::string clean_title(std::string_view raw) {
  std::string t = text::collapse_whitespace(unwrap(raw, "title"));
  for (;;) {
    const std::size_t before = t.size();
    while (!t.empty() && std::string_view(".,;:!-*#").find(t.back()) != std::string_view::npos)
      t.pop_back();
    for (std::string_view dots : {"\u2026", "\u2013", "\u2014"})
      if (t.ends_with(dots)) t.resize(t.size() - dots.size());
    t = unwrap(t, "title");
    const auto space = t.rfind(' ');
    if (space != std::string::npos) {
      const std::string last = text::to_lower_ascii(std::string_view(t).substr(space + 1));
      if (std::find(kTrailingFiller.begin(), kTrailingFiller.end(), last) != kTrailingFiller.end())
        t.resize(space);
    }
    if (t.size() == before) return t;
  }
}

std::string clean_bullet(std::string_view raw) {
  std::string_view s = text::trim(raw);
  for (std::string_view mark : {"- ", "* ", "\u2022 ", "\u2013 "})
    if (s.starts_with(mark)) s = text::trim(s.substr(mark.size()));
  std::size_t digits = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits])) != 0) ++digits;
  if (digits > 0 && digits + 1 < s.size() && (s[digits] == '.' || s[digits] == ')') &&
      s[digits + 1] == ' ')
    s = text::trim(s.substr(digits + 2));
  return text::collapse_whitespace(s);
}

Error bad_reply(const std::string& what) {
  return invalid_input("the model's reply " + what);
}

Result<std::string> string_field(const json& doc, const char* key) {
  const auto it = doc.find(key);
  if (it == doc.end()) return bad_reply(std::string("has no \"") + key + "\"");
  if (!it->is_string()) return bad_reply(std::string("\"") + key + "\" is not text");
  return text::sanitize_utf8(it->get<std::string>());
}

// The words a passage says (and its speakers' names), to check that the model's text is
// about it: as written and as stems.
struct PassageWords {
  std::unordered_set<std::string> words;
  std::unordered_set<std::string> stems;
};

PassageWords passage_words(const Passage& p) {
  const EpisodeAnalysis& a = *p.analysis;
  PassageWords out;
  auto add = [&](std::string_view text) {
    for (auto& w : words_of(text)) {
      out.stems.insert(a.rules().stem(w));
      out.words.insert(std::move(w));
    }
  };
  for (std::size_t i = p.first; i <= p.last; ++i) {
    add(a.sentence(i).sentence.text);
    if (!a.sentence(i).sentence.speaker.empty())
      add(a.speaker_name(a.sentence(i).sentence.speaker));
  }
  return out;
}

// The share of a field's content words the passage says (by stem): a summary or takeaway of
// the excerpt repeats most of its words; an invented one ("…go to bed with a full moon") does
// not. 1 for a field without content words.
double grounded_share(std::string_view field, const PassageWords& said,
                      const LanguageRules& rules) {
  int content = 0, found = 0;
  for (const auto& w : words_of(field)) {
    if (w.size() < 4 || !rules.is_content(w)) continue;
    ++content;
    if (said.words.count(w) != 0 || said.stems.count(rules.stem(w)) != 0) ++found;
  }
  return content == 0 ? 1.0 : static_cast<double>(found) / content;
}
constexpr double kMinGrounded = 0.5;

// "Takeaway1", "Key point 2", "Item": a template's slot, not a point.
bool placeholder_item(std::string_view item) {
  std::string letters;
  for (unsigned char c : item)
    if (std::isalpha(c) != 0)
      letters += static_cast<char>(std::tolower(c));
    else if (c >= 0x80)
      return false;
  for (std::string_view slot : {"takeaway", "keytakeaway", "point", "keypoint", "item", "bullet",
                                "summary", "title", "quote", "text", "example"})
    if (letters == slot) return true;
  return letters.empty();
}

// A word of a title that is neither English (in the lexicon) nor said in the passage:
// "Theanswer", run together by a small model. "" when every word is one or the other, and
// always when there is no lexicon to ask.
std::string unknown_title_word(std::string_view title, const PassageWords& said,
                               const LanguageRules& rules) {
  const Lexicon* lexicon = rules.english() ? english_lexicon() : nullptr;
  if (lexicon == nullptr) return {};
  for (const auto& w : words_of(title)) {
    if (w.size() < 3 || !std::all_of(w.begin(), w.end(), [](char c) {
          return std::isalpha(static_cast<unsigned char>(c)) != 0;
        }))
      continue;
    // A possessive counts as its noun ("Adeyemi's" is written "adeyemis" here).
    const std::string bare = w.ends_with('s') ? w.substr(0, w.size() - 1) : w;
    bool known = false;
    for (const std::string& form : {w, bare})
      known = known || said.words.count(form) != 0 || said.stems.count(rules.stem(form)) != 0 ||
              lexicon->classes(form).known();
    if (known || !rules.is_content(w)) continue;
    return w;
  }
  return {};
}

}  // namespace

bool quote_occurs_in(std::string_view quote, std::string_view haystack) {
  const auto q = words_of(quote);
  if (q.empty()) return false;
  const auto h = words_of(haystack);
  return std::search(h.begin(), h.end(), q.begin(), q.end()) != h.end();
}

llm::ChatRequest passage_request(const Passage& passage, const PassageContext& context,
                                 const ModelWriterOptions& options) {
  const EpisodeAnalysis& a = *passage.analysis;
  std::string user;
  if (!context.podcast_title.empty())
    user += "Podcast: " + text::collapse_whitespace(context.podcast_title) + "\n";
  if (!context.episode_title.empty())
    user += "Episode: " + text::collapse_whitespace(context.episode_title) + "\n";
  if (auto about = plain(context.episode_description, options.max_description_bytes);
      !about.empty())
    user += "About the episode: " + about + "\n";
  if (!user.empty()) user += "\n";
  user += "Excerpt";
  if (a.timed())
    user += " (" + format_clock(a.sentence(passage.first).sentence.start_ms) + "\u2013" +
            format_clock(a.sentence(passage.last).sentence.end_ms) + ")";
  user += ":\n" + passage_lines(passage, options.max_passage_bytes);

  llm::ChatRequest r;
  r.messages = {{"system", std::string(kSystemPrompt)}, {"user", std::move(user)}};
  r.format = llm::ReplyFormat::JsonSchema;
  r.schema_name = "snip";
  r.json_schema = std::string(kSchema);
  r.temperature = options.temperature;
  r.max_tokens = options.max_tokens;
  return r;
}

Result<PassageText> validate_model_reply(std::string_view content, const Passage& passage,
                                         const std::string& engine) {
  if (is_refusal(content.substr(0, 200)) && content.find('{') == std::string_view::npos)
    return bad_reply("is a refusal (\"" +
                     text::truncate_utf8(text::collapse_whitespace(content), 80) + "\")");
  auto object = llm::json_object_in(content);
  if (!object) return bad_reply("holds no JSON object");
  json doc;
  try {
    doc = json::parse(llm::repair_json(*object));
  } catch (const json::exception&) {
    return bad_reply("is not valid JSON");
  }
  auto title_raw = string_field(doc, "title");
  if (!title_raw) return title_raw.error();
  auto summary_raw = string_field(doc, "summary");
  if (!summary_raw) return summary_raw.error();
  auto quote_raw = string_field(doc, "quote");
  if (!quote_raw) return quote_raw.error();
  const auto takeaways_it = doc.find("takeaways");
  if (takeaways_it == doc.end() || !takeaways_it->is_array())
    return bad_reply("has no list of \"takeaways\"");

  const EpisodeAnalysis& a = *passage.analysis;
  std::vector<std::string> speaker_names;  // of the passage
  for (std::size_t i = passage.first; i <= passage.last; ++i) {
    const auto& id = a.sentence(i).sentence.speaker;
    if (id.empty()) continue;
    std::string name = a.speaker_name(id);
    if (std::find(speaker_names.begin(), speaker_names.end(), name) == speaker_names.end())
      speaker_names.push_back(std::move(name));
  }
  // "Name: words" → "words": small models copy the excerpt's speaker labels.
  const auto without_label = [&](std::string field) {
    for (const auto& name : speaker_names)
      if (field.starts_with(name + ":"))
        return std::string(text::trim(field.substr(name.size() + 1)));
    return field;
  };

  PassageText out;
  out.engine = engine;
  out.title = clean_title(without_label(text::collapse_whitespace(unwrap(*title_raw, "title"))));
  if (word_characters(out.title) < 2) return bad_reply("has an empty title");
  if (out.title.find_first_of("{}[]<>") != std::string::npos)
    return bad_reply("has a title with JSON or markup in it (\"" +
                     text::truncate_utf8(out.title, 80) + "\")");
  for (const auto& name : speaker_names)
    if (text::iequals(out.title, name))
      return bad_reply("has a speaker's name for a title (\"" + out.title + "\")");
  if (utf8_chars(out.title) > kMaxModelTitleChars)
    return bad_reply("has a title longer than " + std::to_string(kMaxModelTitleChars) +
                     " characters");
  const PassageWords said = passage_words(passage);
  if (const auto odd = unknown_title_word(out.title, said, a.rules()); !odd.empty())
    return bad_reply("has a title with a word that is not one (\"" + text::truncate_utf8(odd, 40) +
                     "\" in \"" + text::truncate_utf8(out.title, 80) + "\")");
  out.summary = without_label(text::collapse_whitespace(unwrap(*summary_raw, "summary")));
  if (word_characters(out.summary) < 2) return bad_reply("has an empty summary");
  if (utf8_chars(out.summary) > kMaxSummaryChars)
    return bad_reply("has a summary longer than " + std::to_string(kMaxSummaryChars) +
                     " characters");
  // The summary and the takeaways must be about the excerpt: an invented or templated one
  // is replaced by the extractive text (write_with_fallback fills what is left empty), and
  // the reason is recorded.
  std::vector<std::string> replaced;
  if (text::trim(out.summary).ends_with('?')) {
    out.summary.clear();
    replaced.emplace_back("summary: the model's is a question; the extractive summary is used");
  } else if (grounded_share(out.summary, said, a.rules()) < kMinGrounded) {
    out.summary.clear();
    replaced.emplace_back(
        "summary: the model's is not about the excerpt; the extractive summary is used");
  }
  std::size_t dropped = 0;
  for (const auto& item : *takeaways_it) {
    if (!item.is_string()) return bad_reply("has a takeaway that is not text");
    std::string t = without_label(clean_bullet(text::sanitize_utf8(item.get<std::string>())));
    if (word_characters(t) == 0) continue;
    if (has_placeholder(t))
      return bad_reply("holds a template placeholder (\"" + text::truncate_utf8(t, 80) + "\")");
    // A point is a statement of a few words: not a name ("Theo Marsh"), a lone term or a
    // question the excerpt asks.
    if (placeholder_item(t) || words_of(t).size() < 3 || text::trim(t).ends_with('?') ||
        grounded_share(t, said, a.rules()) < kMinGrounded) {
      ++dropped;
      continue;
    }
    const bool repeated = std::any_of(out.takeaways.begin(), out.takeaways.end(),
                                      [&](const std::string& o) { return lower(o) == lower(t); });
    if (!repeated) out.takeaways.push_back(std::move(t));
  }
  if (out.takeaways.empty() && dropped == 0) return bad_reply("has no takeaways");
  if (out.takeaways.empty())
    replaced.emplace_back(
        "takeaways: the model's are placeholders or not about the excerpt; the extractive "
        "takeaways are used");
  if (out.takeaways.size() > kMaxTakeaways) out.takeaways.resize(kMaxTakeaways);

  std::vector<const std::string*> fields = {&out.title, &out.summary};
  for (const auto& t : out.takeaways) fields.push_back(&t);
  for (const std::string* f : fields) {
    if (is_refusal(*f)) return bad_reply("is a refusal (\"" + text::truncate_utf8(*f, 80) + "\")");
    if (has_placeholder(*f))
      return bad_reply("holds a template placeholder (\"" + text::truncate_utf8(*f, 80) + "\")");
  }

  // The quote must be the speaker's own words; who said it comes from the transcript.
  const std::string quote =
      unwrap(without_label(text::collapse_whitespace(unwrap(*quote_raw, "quote"))), "quote");
  const auto quote_words = words_of(quote);
  bool found = false;
  if (quote_words.size() >= kMinQuoteWords && !has_placeholder(quote)) {
    std::string window;
    for (std::size_t i = passage.first; i <= passage.last; ++i)
      window += a.sentence(i).sentence.text + " ";
    if (quote_occurs_in(quote, window)) {
      found = true;
      out.quote = quote;
      // The speaker of the sentence holding the quote's first words.
      const std::vector<std::string> head(
          quote_words.begin(), quote_words.begin() + std::min<std::size_t>(3, quote_words.size()));
      for (std::size_t i = passage.first; i <= passage.last; ++i) {
        const auto w = words_of(a.sentence(i).sentence.text);
        if (std::search(w.begin(), w.end(), head.begin(), head.end()) != w.end()) {
          const auto& id = a.sentence(i).sentence.speaker;
          out.quote_speaker = id.empty() ? "" : a.speaker_name(id);
          break;
        }
      }
    }
  }
  if (!found)
    replaced.emplace_back(quote.empty() ? "quote: the model gave none; the extractive quote is used"
                                        : "quote: the model's quote is not in the transcript; "
                                          "the extractive quote is used");
  for (const auto& r : replaced)
    out.fallback_reason += (out.fallback_reason.empty() ? "" : "; ") + r;
  return out;
}

ModelWriter::ModelWriter(llm::ChatModel& model, PassageContext context, ModelWriterOptions options)
    : model_(model), context_(std::move(context)), options_(options) {}

Result<PassageText> ModelWriter::write(const Passage& passage) {
  if (passage.analysis == nullptr || passage.first > passage.last ||
      passage.last >= passage.analysis->size())
    return invalid_input("the passage is empty or outside the episode");
  auto reply = model_.chat(passage_request(passage, context_, options_));
  if (!reply) return reply.error();
  if (reply->finish_reason == "length")
    return bad_reply("was cut off at " + std::to_string(options_.max_tokens) + " tokens");
  return validate_model_reply(reply->content, passage, "llm:" + model_.model_name());
}

}  // namespace hark::insight
