#include "server/sanitize.hpp"

#include <gumbo.h>

#include <memory>
#include <vector>

#include "core/text.hpp"

namespace hark::server {
namespace {

struct GumboFree {
  void operator()(GumboOutput* out) const { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};
using GumboPtr = std::unique_ptr<GumboOutput, GumboFree>;

enum class Action { Keep, Unwrap, Drop };

// What to do with an element, and the tag it is written as when kept.
Action classify(GumboTag tag, const char*& out_name) {
  switch (tag) {
    case GUMBO_TAG_P:
      out_name = "p";
      return Action::Keep;
    case GUMBO_TAG_BR:
      out_name = "br";
      return Action::Keep;
    case GUMBO_TAG_UL:
      out_name = "ul";
      return Action::Keep;
    case GUMBO_TAG_OL:
      out_name = "ol";
      return Action::Keep;
    case GUMBO_TAG_LI:
      out_name = "li";
      return Action::Keep;
    case GUMBO_TAG_B:
      out_name = "b";
      return Action::Keep;
    case GUMBO_TAG_STRONG:
      out_name = "strong";
      return Action::Keep;
    case GUMBO_TAG_I:
      out_name = "i";
      return Action::Keep;
    case GUMBO_TAG_EM:
      out_name = "em";
      return Action::Keep;
    case GUMBO_TAG_BLOCKQUOTE:
      out_name = "blockquote";
      return Action::Keep;
    case GUMBO_TAG_CODE:
      out_name = "code";
      return Action::Keep;
    case GUMBO_TAG_PRE:
      out_name = "pre";
      return Action::Keep;
    case GUMBO_TAG_A:
      out_name = "a";
      return Action::Keep;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
      out_name = "h3";
      return Action::Keep;
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
      out_name = "h4";
      return Action::Keep;
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_IMAGE:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_META:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_UNKNOWN:  // custom elements, <foo:bar>: unknown behaviour, drop
      return Action::Drop;
    default:
      return Action::Unwrap;
  }
}

// The href to keep, or "" when the link must lose it. Browsers skip leading whitespace and
// strip tabs and newlines anywhere in a URL, so "java\tscript:" and " javascript:" must
// not pass as something else; entities were already decoded by the parser.
std::string safe_href(const char* value) {
  std::string cleaned;
  for (const char* p = value; *p; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c <= 0x20 || c == 0x7f) continue;
    cleaned += static_cast<char>(c);
  }
  const std::string lower = text::to_lower_ascii(cleaned);
  for (std::string_view scheme : {"http://", "https://", "mailto:"})
    if (lower.rfind(scheme, 0) == 0 && lower.size() > scheme.size()) return cleaned;
  return "";
}

struct Frame {
  const GumboVector* children;
  unsigned int next = 0;
  const char* close = nullptr;  // the end tag to write after the children, if any
};

void write_fragment(const GumboNode* root, std::string& out) {
  std::vector<Frame> stack;
  stack.push_back({&root->v.element.children, 0, nullptr});
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next >= top.children->length) {
      if (top.close) {
        out += "</";
        out += top.close;
        out += '>';
      }
      stack.pop_back();
      continue;
    }
    const auto* node = static_cast<const GumboNode*>(top.children->data[top.next++]);
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        text::append_escaped_html(out, node->v.text.text, false);
        continue;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        break;
      default:
        continue;  // comments, the document
    }
    const GumboElement& el = node->v.element;
    const char* name = nullptr;
    const Action action = classify(el.tag, name);
    if (action == Action::Drop) continue;
    if (action == Action::Unwrap) {
      stack.push_back({&el.children, 0, nullptr});
      continue;
    }
    if (el.tag == GUMBO_TAG_BR) {
      out += "<br>";
      continue;
    }
    if (el.tag == GUMBO_TAG_A) {
      const GumboAttribute* href = gumbo_get_attribute(&el.attributes, "href");
      const std::string url = href ? safe_href(href->value) : "";
      if (url.empty()) {  // keep the words, lose the link
        stack.push_back({&el.children, 0, nullptr});
        continue;
      }
      out += "<a href=\"";
      text::append_escaped_html(out, url, true);
      out += "\" rel=\"noopener nofollow\">";
    } else {
      out += '<';
      out += name;
      out += '>';
    }
    stack.push_back({&el.children, 0, name});
  }
}

std::string plain_text_to_html(std::string_view text) {
  std::string out;
  std::string paragraph;
  auto flush = [&] {
    const auto trimmed = text::trim(paragraph);
    if (!trimmed.empty()) {
      out += "<p>";
      out += trimmed;
      out += "</p>";
    }
    paragraph.clear();
  };
  std::size_t pos = 0;
  bool last_blank = false;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    auto line = text::trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty()) {
      if (!last_blank) flush();
      last_blank = true;
      continue;
    }
    last_blank = false;
    if (!paragraph.empty()) paragraph += "<br>";
    text::append_escaped_html(paragraph, line, false);
  }
  flush();
  return out;
}

}  // namespace

std::string sanitize_html(std::string_view html) {
  if (html.find('<') == std::string_view::npos) {
    // Plain text may still carry entities ("Q&amp;A"): let the parser decode them, then
    // lay out the lines.
    const GumboPtr doc(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
    std::string decoded;
    std::vector<const GumboNode*> stack = {doc->root};
    // Collect the text in document order.
    while (!stack.empty()) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE) {
        decoded += n->v.text.text;
      } else if (n->type == GUMBO_NODE_ELEMENT) {
        const auto& ch = n->v.element.children;
        for (unsigned int i = ch.length; i-- > 0;)
          stack.push_back(static_cast<const GumboNode*>(ch.data[i]));
      }
    }
    return plain_text_to_html(decoded);
  }
  html = text::html_within_depth(html);
  const GumboPtr doc(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
  std::string out;
  // The parser always builds <html><head/><body/>; show notes live in the body.
  const GumboVector& top = doc->root->v.element.children;
  for (unsigned int i = 0; i < top.length; ++i) {
    const auto* node = static_cast<const GumboNode*>(top.data[i]);
    if (node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == GUMBO_TAG_BODY)
      write_fragment(node, out);
  }
  return out;
}

}  // namespace hark::server
