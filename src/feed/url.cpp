#include "feed/url.hpp"

#include "core/text.hpp"

namespace hark::feed {
namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_scheme_char(char c) {
  return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// Length of the scheme (excluding ':') when `s` starts with one, else 0.
std::size_t scheme_length(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == ':') return i;
    if (!is_scheme_char(s[i])) return 0;
  }
  return 0;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../") || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      const auto slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const auto next = in.find('/', in[0] == '/' ? 1 : 0);
      const auto seg = in.substr(0, next);
      out.append(seg);
      in.remove_prefix(seg.size());
    }
  }
  return out;
}

std::string encode_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == ' ')
      out += "%20";
    else if (c != '\n' && c != '\r' && c != '\t')
      out.push_back(c);
  }
  return out;
}

void append_query_fragment(std::string& out, const UrlParts& r) {
  if (r.has_query) out.append("?").append(r.query);
  if (r.has_fragment) out.append("#").append(r.fragment);
}

}  // namespace

UrlParts split_url(std::string_view url) {
  UrlParts p;
  if (const auto n = scheme_length(url); n > 0) {
    p.scheme = url.substr(0, n);
    url.remove_prefix(n + 1);
  }
  if (const auto hash = url.find('#'); hash != std::string_view::npos) {
    p.fragment = url.substr(hash + 1);
    p.has_fragment = true;
    url = url.substr(0, hash);
  }
  if (const auto q = url.find('?'); q != std::string_view::npos) {
    p.query = url.substr(q + 1);
    p.has_query = true;
    url = url.substr(0, q);
  }
  if (url.starts_with("//")) {
    url.remove_prefix(2);
    const auto slash = url.find('/');
    p.authority = url.substr(0, slash);
    p.has_authority = true;
    url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  }
  p.path = url;
  return p;
}

std::string resolve_url(std::string_view base, std::string_view ref) {
  const std::string r_str = encode_spaces(text::trim(ref));
  const std::string_view r_view = r_str;
  if (r_view.empty() || scheme_length(r_view) > 0) return r_str;
  const auto b = split_url(text::trim(base));
  if (b.scheme.empty() || !b.has_authority) return r_str;

  const auto r = split_url(r_view);
  std::string out;
  out.reserve(base.size() + r_view.size());
  out.append(b.scheme).append(":");
  if (r.has_authority) {  // network-path reference: "//cdn.example.com/a.mp3"
    out.append("//").append(r.authority).append(remove_dot_segments(r.path));
    append_query_fragment(out, r);
    return out;
  }
  out.append("//").append(b.authority);
  if (r.path.empty()) {
    out.append(b.path.empty() ? "/" : b.path);
    if (r.has_query)
      out.append("?").append(r.query);
    else if (b.has_query)
      out.append("?").append(b.query);
    if (r.has_fragment) out.append("#").append(r.fragment);
    return out;
  }
  if (r.path[0] == '/') {
    out.append(remove_dot_segments(r.path));
  } else {
    // Merge: everything up to the base path's last '/', then the reference.
    std::string merged;
    const auto slash = b.path.rfind('/');
    merged.append(slash == std::string_view::npos ? "/" : b.path.substr(0, slash + 1));
    merged.append(r.path);
    out.append(remove_dot_segments(merged));
  }
  append_query_fragment(out, r);
  return out;
}

}  // namespace hark::feed
