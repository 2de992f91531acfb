#include "feed/sniff.hpp"

#include <array>

#include "core/text.hpp"
#include "feed/html_entities.hpp"

namespace hark::feed::detail {
namespace {

constexpr std::size_t kScanLimit = 64 * 1024;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

std::size_t find_icase(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (text::iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

// The element name at `<name` (s[i] == '<'), lower-cased; empty when not a start tag.
std::string tag_name_at(std::string_view s, std::size_t i) {
  std::string name;
  for (++i; i < s.size(); ++i) {
    const char c = s[i];
    if (is_space(c) || c == '>' || c == '/') break;
    name.push_back(c);
  }
  return text::to_lower_ascii(name);
}

// Skips an XML prolog construct at `i` (`<?...?>`, `<!--...-->`, `<!DOCTYPE ...>` with an
// internal subset); returns the index after it, or npos when `i` does not start one.
std::size_t skip_prolog_item(std::string_view s, std::size_t i) {
  auto after = [&](std::string_view end) {
    const auto p = s.find(end, i);
    return p == std::string_view::npos ? s.size() : p + end.size();
  };
  if (s.substr(i).starts_with("<?")) return after("?>");
  if (s.substr(i).starts_with("<!--")) return after("-->");
  if (text::starts_with_icase(s.substr(i), "<!doctype")) {
    int depth = 0;
    for (std::size_t k = i; k < s.size(); ++k) {
      if (s[k] == '[')
        ++depth;
      else if (s[k] == ']')
        --depth;
      else if (s[k] == '>' && depth <= 0)
        return k + 1;
    }
    return s.size();
  }
  return std::string_view::npos;
}

bool is_html_root(std::string_view name) {
  return name == "html" || name == "head" || name == "body";
}

std::string html_title(std::string_view s) {
  const auto open = find_icase(s, "<title");
  if (open == std::string_view::npos) return {};
  const auto gt = s.find('>', open);
  if (gt == std::string_view::npos) return {};
  const auto close = find_icase(s, "</title", gt);
  if (close == std::string_view::npos) return {};
  auto title = text::collapse_whitespace(decode_html_entities(s.substr(gt + 1, close - gt - 1)));
  return text::truncate_utf8(text::sanitize_utf8(title), 100);
}

bool looks_like_bot_challenge(std::string_view s, std::string_view title) {
  static constexpr std::array<std::string_view, 7> kMarkers = {"cf-browser-verification",
                                                               "challenge-platform",
                                                               "cf_chl_",
                                                               "cf-challenge",
                                                               "Checking your browser",
                                                               "ddos-guard",
                                                               "_Incapsula_Resource"};
  if (title == "Just a moment..." || title.starts_with("Attention Required!") ||
      title == "DDoS-Guard" || title.starts_with("Access denied | "))
    return true;
  for (const auto m : kMarkers)
    if (find_icase(s, m) != std::string_view::npos) return true;
  return false;
}

Sniffed of_kind(BodyKind kind, std::size_t xml_start = 0, bool junk = false) {
  Sniffed r;
  r.kind = kind;
  r.xml_start = xml_start;
  r.junk_before_xml = junk;
  return r;
}

Sniffed html(std::string_view body) {
  Sniffed r;
  r.kind = BodyKind::Html;
  const auto head = body.substr(0, kScanLimit);
  r.html_title = html_title(head);
  r.bot_challenge = looks_like_bot_challenge(head, r.html_title);
  return r;
}

bool is_feed_root(std::string_view name) {
  return name == "rss" || name == "feed" || name == "rdf:rdf" || name == "opml" ||
         name.ends_with(":feed");
}

// Where the XML starts when the body begins with something else (PHP warnings, stray
// output from a CMS plugin): the first `<?xml`, `<rss`, `<feed`, `<rdf:RDF` or `<opml` at or
// after `from` that is a whole tag name (not `<feedburner:info>`).
std::size_t find_xml_after_junk(std::string_view s, std::size_t from = 0) {
  s = s.substr(0, kScanLimit);
  std::size_t best = std::string_view::npos;
  for (const std::string_view marker : {"<?xml", "<rss", "<feed", "<rdf:RDF", "<opml"}) {
    for (auto p = s.find(marker, from); p != std::string_view::npos && p < best;
         p = s.find(marker, p + 1)) {
      const auto end = p + marker.size();
      if (end < s.size() && (is_space(s[end]) || s[end] == '>' || s[end] == '/')) {
        best = p;
        break;
      }
    }
  }
  return best;
}

}  // namespace

Sniffed sniff_body(std::string_view body) {
  Sniffed r;
  std::size_t i = 0;
  if (body.starts_with("\xEF\xBB\xBF")) i = 3;
  i = skip_spaces(body, i);
  if (i == body.size()) return of_kind(BodyKind::Empty);
  if (body[i] == '{' || body[i] == '[') return of_kind(BodyKind::Json);
  if (body[i] != '<') {
    const auto start = find_xml_after_junk(body);
    if (start != std::string_view::npos) return of_kind(BodyKind::Xml, start, true);
    if (find_icase(body.substr(0, kScanLimit), "<html") != std::string_view::npos)
      return html(body);
    return of_kind(BodyKind::NotXml);
  }
  r.xml_start = i;
  // Walk the prolog to the first element: is it a document type or root that says HTML?
  std::size_t k = i;
  while (k < body.size()) {
    k = skip_spaces(body, k);
    if (k >= body.size() || body[k] != '<') break;
    if (text::starts_with_icase(body.substr(k), "<!doctype")) {
      const auto rest = text::trim(body.substr(k + 9, 16));
      if (text::starts_with_icase(rest, "html")) return html(body);
    }
    const auto next = skip_prolog_item(body, k);
    if (next == std::string_view::npos) {
      const auto root = tag_name_at(body, k);
      if (is_html_root(root)) return html(body);
      // "<br />\n<b>Warning</b>: ..." from a PHP plugin, then the feed.
      if (!is_feed_root(root))
        if (const auto start = find_xml_after_junk(body, k); start != std::string_view::npos)
          return of_kind(BodyKind::Xml, start, true);
      break;
    }
    k = next;
  }
  r.kind = BodyKind::Xml;
  return r;
}

Error not_a_feed_error(const Sniffed& s, std::string_view body) {
  switch (s.kind) {
    case BodyKind::Empty:
      return invalid_input(
          "the feed is empty: the server returned no content — check the feed address");
    case BodyKind::Json:
      return invalid_input(
          "the URL returned JSON, not an RSS or Atom podcast feed (JSON Feed is not supported) — "
          "check the feed address");
    case BodyKind::Html: {
      std::string m = "the URL returned a web page";
      if (!s.html_title.empty()) m += " (title: '" + s.html_title + "')";
      m += ", not a podcast feed";
      if (s.bot_challenge)
        m += ": the site shows a bot check (such as Cloudflare's) that hark cannot pass — ask the "
             "publisher for a feed address that is not behind it";
      else
        m += " — check the feed address";
      return invalid_input(m);
    }
    case BodyKind::NotXml: {
      const auto start = text::collapse_whitespace(text::sanitize_utf8(body.substr(0, 200)));
      return invalid_input("the document is not XML, so not an RSS or Atom feed (it starts with '" +
                           text::truncate_utf8(start, 60) + "') — check the feed address");
    }
    case BodyKind::Xml:
      break;
  }
  return internal_error("not_a_feed_error called for an XML body");
}

}  // namespace hark::feed::detail
