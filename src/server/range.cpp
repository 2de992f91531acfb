#include "server/range.hpp"

#include <charconv>
#include <optional>

#include "core/text.hpp"

namespace hark::server {
namespace {

std::optional<std::int64_t> parse_number(std::string_view s) {
  s = text::trim(s);
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

RangeRequest parse_range(std::string_view header, std::int64_t size) {
  using Kind = RangeRequest::Kind;
  RangeRequest full;
  header = text::trim(header);
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() <= kUnit.size() ||
      text::to_lower_ascii(header.substr(0, kUnit.size())) != kUnit)
    return full;
  const std::string_view spec = text::trim(header.substr(kUnit.size()));
  if (spec.find(',') != std::string_view::npos) return full;  // several ranges: send it all
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return full;
  const auto first_text = text::trim(spec.substr(0, dash));
  const auto last_text = text::trim(spec.substr(dash + 1));
  const RangeRequest unsatisfiable{Kind::Unsatisfiable, 0, 0};

  if (first_text.empty()) {  // suffix: the last N bytes
    const auto n = parse_number(last_text);
    if (!n) return full;
    if (*n == 0 || size == 0) return unsatisfiable;
    const std::int64_t len = std::min(*n, size);
    return {Kind::Partial, size - len, size - 1};
  }
  const auto first = parse_number(first_text);
  if (!first) return full;
  std::int64_t last = size - 1;
  if (!last_text.empty()) {
    const auto l = parse_number(last_text);
    if (!l || *l < *first) return full;  // syntactically invalid: ignore
    last = std::min(*l, size - 1);
  }
  if (*first >= size) return unsatisfiable;
  return {Kind::Partial, *first, last};
}

}  // namespace hark::server
