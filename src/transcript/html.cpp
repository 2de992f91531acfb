// Podcasting 2.0 HTML transcripts: <cite>Speaker:</cite> <time>00:01:02</time> <p>…</p>.
#include <gumbo.h>

#include <memory>
#include <string>

#include "core/text.hpp"
#include "core/time.hpp"
#include "transcript/detail/cues.hpp"
#include "transcript/detail/input.hpp"
#include "transcript/detail/parsers.hpp"

namespace hark::transcript::detail {
namespace {

struct GumboDeleter {
  void operator()(GumboOutput* out) const { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};
using GumboPtr = std::unique_ptr<GumboOutput, GumboDeleter>;

struct Paragraph {
  int line = 0;
  std::optional<Millis> start_ms;
  std::optional<std::string> speaker;
  std::string text;
};

bool is_element(const GumboNode* n, GumboTag tag) {
  return n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == tag;
}

void append_text(const GumboNode* n, std::string& out) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    out += n->v.text.text;
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT) return;
  if (n->v.element.tag == GUMBO_TAG_BR) out += '\n';
  const GumboVector& children = n->v.element.children;
  for (unsigned i = 0; i < children.length; ++i)
    append_text(static_cast<const GumboNode*>(children.data[i]), out);
}

std::string text_of(const GumboNode* n) {
  std::string out;
  append_text(n, out);
  return out;
}

bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_BLOCKQUOTE:
      return true;
    default:
      return false;
  }
}

bool is_skipped(GumboTag tag) {
  return tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE ||
         tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_NOSCRIPT;
}

// Text of a document without <p>, with blank lines where blocks end, for the plain-text
// reader.
void append_block_text(const GumboNode* n, std::string& out) {
  if (n->type != GUMBO_NODE_ELEMENT) {
    append_text(n, out);
    return;
  }
  if (is_skipped(n->v.element.tag)) return;
  if (n->v.element.tag == GUMBO_TAG_BR) out += '\n';
  const GumboVector& children = n->v.element.children;
  for (unsigned i = 0; i < children.length; ++i)
    append_block_text(static_cast<const GumboNode*>(children.data[i]), out);
  if (is_block(n->v.element.tag)) out += "\n\n";
}

class HtmlWalker {
 public:
  explicit HtmlWalker(Warnings& warnings) : warnings_(warnings) {}

  void walk(const GumboNode* n) {
    if (n->type != GUMBO_NODE_ELEMENT) return;
    const auto& el = n->v.element;
    if (is_skipped(el.tag)) return;
    if (el.tag == GUMBO_TAG_HTML) {
      if (const GumboAttribute* lang = gumbo_get_attribute(&el.attributes, "lang"))
        language_ = lang->value;
    }
    if (el.tag == GUMBO_TAG_CITE) return cite(n);
    if (el.tag == GUMBO_TAG_TIME) return time(n);
    if (el.tag == GUMBO_TAG_P) return paragraph(n);
    for (unsigned i = 0; i < el.children.length; ++i)
      walk(static_cast<const GumboNode*>(el.children.data[i]));
  }

  std::vector<Paragraph>& paragraphs() { return paragraphs_; }
  bool any_time() const { return any_time_; }
  std::string& language() { return language_; }

 private:
  void cite(const GumboNode* n) {
    std::string label = text::collapse_whitespace(text_of(n));
    while (!label.empty() && (label.back() == ':' || label.back() == ' ')) label.pop_back();
    speaker_ = std::move(label);
  }

  void time(const GumboNode* n) {
    const GumboAttribute* attr = gumbo_get_attribute(&n->v.element.attributes, "datetime");
    const std::string written =
        text::collapse_whitespace(attr != nullptr ? attr->value : text_of(n));
    if (const auto ms = parse_duration(written)) {
      pending_ = ms;
      any_time_ = true;
      return;
    }
    warnings_.push_back(at_line(static_cast<int>(n->v.element.start_pos.line),
                                "<time> " + quote_line(written) + " is not a time; ignored"));
  }

  // A paragraph's text, with any <cite>/<time> inside it taken as markup, not text.
  void collect(const GumboNode* n, std::string& out) {
    if (is_element(n, GUMBO_TAG_CITE)) return cite(n);
    if (is_element(n, GUMBO_TAG_TIME)) return time(n);
    if (n->type != GUMBO_NODE_ELEMENT) return append_text(n, out);
    if (n->v.element.tag == GUMBO_TAG_BR) out += '\n';
    const GumboVector& children = n->v.element.children;
    for (unsigned i = 0; i < children.length; ++i)
      collect(static_cast<const GumboNode*>(children.data[i]), out);
  }

  void paragraph(const GumboNode* n) {
    Paragraph p;
    p.line = static_cast<int>(n->v.element.start_pos.line);
    collect(n, p.text);
    p.start_ms = pending_;
    p.speaker = speaker_;
    if (!text::trim(p.text).empty()) paragraphs_.push_back(std::move(p));
  }

  Warnings& warnings_;
  std::vector<Paragraph> paragraphs_;
  std::optional<std::string> speaker_;
  std::optional<Millis> pending_;
  bool any_time_ = false;
  std::string language_;
};

// Ends from the next start (see parse.hpp); paragraphs sharing a start share its span.
std::vector<RawCue> timed_cues(std::vector<Paragraph>& paragraphs, bool timed) {
  std::vector<RawCue> cues;
  cues.reserve(paragraphs.size());
  for (std::size_t i = 0; i < paragraphs.size();) {
    const Millis start = timed ? paragraphs[i].start_ms.value_or(0) : 0;
    std::size_t j = i;
    std::vector<std::size_t> weights;
    for (; j < paragraphs.size() && (timed ? paragraphs[j].start_ms.value_or(0) : 0) == start; ++j)
      weights.push_back(
          std::max<std::size_t>(1, char_count(text::collapse_whitespace(paragraphs[j].text))));
    Millis end = start;
    if (timed) {
      std::size_t chars = 0;
      for (auto w : weights) chars += w;
      end = start + static_cast<Millis>(chars) * 1000 / kCharsPerSecond;
      if (j < paragraphs.size() && paragraphs[j].start_ms.value_or(0) > start)
        end = *paragraphs[j].start_ms;
    }
    const auto spans = split_by_weight(start, end, weights);
    for (std::size_t k = i; k < j; ++k)
      cues.push_back(RawCue{paragraphs[k].line, spans[k - i].start_ms, spans[k - i].end_ms,
                            std::move(paragraphs[k].text), std::move(paragraphs[k].speaker)});
    i = j;
  }
  return cues;
}

}  // namespace

Result<ParsedTranscript> parse_html_text(std::string_view text, Warnings warnings) {
  text = hark::text::html_within_depth(text);  // a hostile transcript cannot pin the parser
  const GumboPtr doc(gumbo_parse_with_options(&kGumboDefaultOptions, text.data(), text.size()));
  HtmlWalker walker(warnings);
  walker.walk(doc->root);
  auto& paragraphs = walker.paragraphs();
  if (paragraphs.empty()) {
    std::string plain;
    append_block_text(doc->root, plain);
    return parse_plain_text(plain, std::move(warnings));
  }
  const bool timed = walker.any_time();
  const auto cues = timed_cues(paragraphs, timed);
  return finish_parse(segments_from_cues(cues, CueSyntax{false, false}), timed,
                      std::move(walker.language()), std::move(warnings));
}

}  // namespace hark::transcript::detail
