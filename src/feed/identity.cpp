#include "feed/identity.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>

#include "core/text.hpp"
#include "feed/url.hpp"

namespace hark::feed {
namespace {

bool is_all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_volatile_param(std::string_view name, std::string_view value) {
  const auto n = text::to_lower_ascii(name);
  static constexpr std::string_view kVolatile[] = {"updated",   "update",      "_",      "ts",
                                                   "timestamp", "cachebuster", "cb",     "nocache",
                                                   "rand",      "random",      "fbclid", "gclid"};
  if (std::find(std::begin(kVolatile), std::end(kVolatile), n) != std::end(kVolatile)) return true;
  if (n.starts_with("utm_")) return true;
  return n == "t" && is_all_digits(value);  // `t=` is a timestamp when numeric, else maybe a token
}

std::string filter_query(std::string_view query) {
  std::string out;
  for (const auto& param : text::split(query, '&')) {
    if (param.empty()) continue;
    const auto eq = param.find('=');
    const std::string_view name = std::string_view(param).substr(0, eq);
    const std::string_view value =
        eq == std::string::npos ? std::string_view() : std::string_view(param).substr(eq + 1);
    if (is_volatile_param(name, value)) continue;
    if (!out.empty()) out.push_back('&');
    out.append(param);
  }
  return out;
}

std::string normalize_authority(std::string_view authority, std::string_view scheme) {
  const auto at = authority.rfind('@');
  const std::string_view userinfo =
      at == std::string_view::npos ? std::string_view() : authority.substr(0, at + 1);
  std::string host =
      text::to_lower_ascii(at == std::string_view::npos ? authority : authority.substr(at + 1));
  if ((scheme == "http" && host.ends_with(":80")) || (scheme == "https" && host.ends_with(":443")))
    host.erase(host.rfind(':'));
  return std::string(userinfo) + host;
}

std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string describe(const Episode& e) {
  return "'" + text::truncate_utf8(e.title, 80) + "'";
}

// Among episodes sharing a guid (and with distinct enclosures), the one that keeps the bare
// guid: earliest published, then smallest normalised enclosure URL. Position-independent.
bool keeps_guid_before(const Episode& a, const std::string& a_url, const Episode& b,
                       const std::string& b_url) {
  const auto pa = a.published_at.value_or(INT64_MAX), pb = b.published_at.value_or(INT64_MAX);
  if (pa != pb) return pa < pb;
  return a_url < b_url;
}

}  // namespace

std::string normalize_enclosure_url(std::string_view url) {
  const auto trimmed = text::trim(url);
  const auto p = split_url(trimmed);
  if (p.scheme.empty() || !p.has_authority) return std::string(trimmed);
  const auto scheme = text::to_lower_ascii(p.scheme);
  std::string out = scheme + "://" + normalize_authority(p.authority, scheme);
  out.append(p.path);
  if (p.has_query) {
    const auto q = filter_query(p.query);
    if (!q.empty()) out.append("?").append(q);
  }
  return out;
}

void assign_keys(std::vector<Episode>& episodes, std::vector<std::string>* warnings) {
  const auto warn = [&](std::string w) {
    if (warnings) warnings->push_back(std::move(w));
  };
  std::vector<std::string> urls;
  urls.reserve(episodes.size());
  for (const auto& e : episodes) urls.push_back(normalize_enclosure_url(e.enclosure_url));

  // First pass: drop exact duplicates and group the remaining items by guid.
  std::vector<bool> keep(episodes.size(), true);
  std::map<std::string_view, std::vector<std::size_t>> by_guid;
  std::set<std::pair<std::string_view, std::string_view>> seen_without_guid;
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    const auto& e = episodes[i];
    if (e.guid.empty()) {
      if (!seen_without_guid.emplace(urls[i], e.title).second) {
        keep[i] = false;
        warn("item " + describe(e) + " appears twice in the feed: kept the first copy");
      }
      continue;
    }
    auto& group = by_guid[e.guid];
    const bool duplicate =
        std::any_of(group.begin(), group.end(), [&](std::size_t j) { return urls[j] == urls[i]; });
    if (duplicate) {
      keep[i] = false;
      warn("item " + describe(e) + " repeats guid '" + e.guid +
           "' with the same audio file: kept the first copy");
      continue;
    }
    group.push_back(i);
  }

  // Second pass: keys.
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    if (!keep[i]) continue;
    auto& e = episodes[i];
    if (e.guid.empty()) {
      e.key = "enclosure:" + urls[i] + "#" + e.title;
      continue;
    }
    const auto& group = by_guid[e.guid];
    if (group.size() == 1) {
      e.key = e.guid;
      continue;
    }
    const auto owner =
        *std::min_element(group.begin(), group.end(), [&](std::size_t a, std::size_t b) {
          return keeps_guid_before(episodes[a], urls[a], episodes[b], urls[b]);
        });
    if (owner == i) {
      e.key = e.guid;
    } else {
      e.key = e.guid + "#" + hex16(fnv1a64(urls[i]));
      warn("item " + describe(e) + " reuses guid '" + e.guid +
           "' of a different episode: told apart by its audio URL");
    }
  }

  std::size_t out = 0;
  for (std::size_t i = 0; i < episodes.size(); ++i)
    if (keep[i]) {
      if (out != i) episodes[out] = std::move(episodes[i]);
      ++out;
    }
  episodes.resize(out);
}

}  // namespace hark::feed
