#include "core/text.hpp"

#include <cctype>
#include <cstdint>

namespace hark::text {
namespace {
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else
    return 0;
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  // Reject overlong forms, surrogates and out-of-range code points.
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char c : s) {
    if (is_space(c)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c);
    }
  }
  return out;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

namespace {

bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Elements that never hold children, or that the next sibling of the same kind closes: they
// cannot build depth on their own.
bool adds_no_depth(std::string_view name) {
  static constexpr std::string_view kFlat[] = {
      "area", "base",  "br",     "col",   "embed",  "hr",       "img", "input", "link",
      "meta", "param", "source", "track", "wbr",    "keygen",   "p",   "li",    "dt",
      "dd",   "tr",    "td",     "th",    "option", "optgroup", "rb",  "rt",    "rp"};
  for (auto flat : kFlat)
    if (name == flat) return true;
  return false;
}

}  // namespace

std::string_view html_within_depth(std::string_view html, std::size_t max_depth) {
  std::size_t depth = 0;
  std::size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    const std::size_t start = pos++;
    if (pos >= html.size()) break;
    const bool closing = html[pos] == '/';
    if (closing) ++pos;
    if (pos >= html.size() || !is_ascii_alpha(html[pos])) continue;  // "a < b", comments
    const std::size_t name_start = pos;
    while (pos < html.size() && (std::isalnum(static_cast<unsigned char>(html[pos])) != 0)) ++pos;
    const std::string name = to_lower_ascii(html.substr(name_start, pos - name_start));
    const std::size_t end = html.find('>', pos);
    if (end == std::string_view::npos) break;
    const bool self_closing = html[end - 1] == '/';
    pos = end + 1;
    if (adds_no_depth(name) || self_closing) continue;
    if (closing) {
      if (depth > 0) --depth;
    } else if (++depth > max_depth) {
      return html.substr(0, start);
    }
  }
  return html;
}

void append_escaped_html(std::string& out, std::string_view s, bool attribute) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        if (attribute)
          out += "&quot;";
        else
          out += c;
        break;
      case '\0':
        break;
      default:
        out += c;
    }
  }
}

std::string escape_html(std::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size());
  append_escaped_html(out, s, attribute);
  return out;
}

std::string truncate_utf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  const std::string_view ellipsis = "\xE2\x80\xA6";
  std::size_t cut = max_bytes >= ellipsis.size() ? max_bytes - ellipsis.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(trim(s.substr(0, cut))) + std::string(ellipsis);
}

}  // namespace hark::text
