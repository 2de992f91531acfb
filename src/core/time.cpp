#include "core/time.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/text.hpp"

namespace hark {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  void skip_spaces() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == ',')) ++i_;
  }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  // Reads up to max_digits digits; returns digit count (0 if none).
  int number(int max_digits, long& out) {
    out = 0;
    int n = 0;
    while (!done() && n < max_digits && s_[i_] >= '0' && s_[i_] <= '9') {
      out = out * 10 + (s_[i_] - '0');
      ++i_;
      ++n;
    }
    return n;
  }
  std::string_view word() {
    const auto b = i_;
    while (!done() && ((s_[i_] >= 'a' && s_[i_] <= 'z') || (s_[i_] >= 'A' && s_[i_] <= 'Z'))) ++i_;
    return s_.substr(b, i_ - b);
  }
  std::string_view rest() const { return s_.substr(std::min(i_, s_.size())); }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

int month_from_name(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (w.size() < 3) return 0;
  const auto l = text::to_lower_ascii(w.substr(0, 3));
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (l == kMonths[i]) return static_cast<int>(i) + 1;
  return 0;
}

// Zone offset in minutes, or nullopt when the zone is unrecognised.
std::optional<int> zone_offset(Cursor& c) {
  c.skip_spaces();
  if (c.done()) return 0;  // no zone: assume UTC, as feedparser does
  if (c.peek() == '+' || c.peek() == '-') {
    const int sign = c.peek() == '-' ? -1 : 1;
    c.eat(c.peek());
    long hh = 0, mm = 0;
    const int n = c.number(2, hh);
    if (n == 0) return std::nullopt;
    c.eat(':');
    c.number(2, mm);
    return sign * static_cast<int>(hh * 60 + mm);
  }
  if (c.eat('Z') || c.eat('z')) return 0;
  const auto w = text::to_lower_ascii(c.word());
  struct Zone {
    std::string_view name;
    int minutes;
  };
  // US zones from RFC 822, plus the European, Australian and Asian abbreviations that
  // podcast hosts in those regions write into pubDate. "ist" is India's, the common one in
  // feeds (Irish Summer Time is rarer there).
  static constexpr std::array<Zone, 32> kZones = {
      {{"gmt", 0},    {"ut", 0},     {"utc", 0},    {"z", 0},      {"est", -300},  {"edt", -240},
       {"cst", -360}, {"cdt", -300}, {"mst", -420}, {"mdt", -360}, {"pst", -480},  {"pdt", -420},
       {"bst", 60},   {"cet", 60},   {"cest", 120}, {"eet", 120},  {"eest", 180},  {"wet", 0},
       {"west", 60},  {"msk", 180},  {"ist", 330},  {"sgt", 480},  {"jst", 540},   {"aest", 600},
       {"aedt", 660}, {"nzst", 720}, {"nzdt", 780}, {"hst", -600}, {"akst", -540}, {"akdt", -480},
       {"ast", -240}, {"adt", -180}}};
  for (const auto& z : kZones)
    if (w == z.name) return z.minutes;
  return w.empty() ? std::optional<int>(0) : std::nullopt;
}

std::optional<Millis> make_time(long y, long mo, long d, long h, long mi, long s, long ms,
                                int offset_minutes) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return std::nullopt;
  const auto days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const auto secs = days * 86400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
  return secs * 1000 + ms;
}

std::optional<Millis> parse_iso(std::string_view t) {
  Cursor c(t);
  long y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, frac = 0;
  if (c.number(4, y) != 4 || !c.eat('-') || c.number(2, mo) != 2) return std::nullopt;
  if (!c.eat('-') || c.number(2, d) != 2) return std::nullopt;
  if (c.done()) return make_time(y, mo, d, 0, 0, 0, 0, 0);
  if (!c.eat('T') && !c.eat('t') && !c.eat(' ')) return std::nullopt;
  if (c.number(2, h) != 2 || !c.eat(':') || c.number(2, mi) != 2) return std::nullopt;
  if (c.eat(':') && c.number(2, s) != 2) return std::nullopt;
  long ms = 0;
  if (c.eat('.') || c.eat(',')) {
    const int n = c.number(9, frac);
    ms = frac;
    for (int k = n; k < 3; ++k) ms *= 10;
    for (int k = 3; k < n; ++k) ms /= 10;
  }
  const auto off = zone_offset(c);
  if (!off) return std::nullopt;
  return make_time(y, mo, d, h, mi, s, ms, *off);
}

std::optional<Millis> parse_rfc822(std::string_view t) {
  Cursor c(t);
  c.skip_spaces();
  // Optional weekday name ("Tue," / "Tuesday,").
  if (std::isalpha(static_cast<unsigned char>(c.peek()))) {
    const auto w = c.word();
    if (month_from_name(w) != 0 && w.size() <= 9) {
      // Some feeds write "Jun 10 2003": month first.
      long d = 0, y = 0, h = 0, mi = 0, s = 0;
      c.skip_spaces();
      if (c.number(2, d) == 0) return std::nullopt;
      c.skip_spaces();
      if (c.number(4, y) != 4) return std::nullopt;
      c.skip_spaces();
      if (c.number(2, h) > 0 && c.eat(':')) {
        c.number(2, mi);
        if (c.eat(':')) c.number(2, s);
      }
      const auto off = zone_offset(c);
      return make_time(y, month_from_name(w), d, h, mi, s, 0, off.value_or(0));
    }
    c.skip_spaces();
  }
  long d = 0, y = 0, h = 0, mi = 0, s = 0;
  if (c.number(2, d) == 0) return std::nullopt;
  c.skip_spaces();
  c.eat('-');
  const int mo = month_from_name(c.word());
  if (mo == 0) return std::nullopt;
  c.eat('-');
  c.skip_spaces();
  const int ydigits = c.number(4, y);
  if (ydigits == 2)
    y += y < 50 ? 2000 : 1900;
  else if (ydigits != 4)
    return std::nullopt;
  c.skip_spaces();
  if (c.number(2, h) > 0) {
    if (!c.eat(':') || c.number(2, mi) == 0) return std::nullopt;
    if (c.eat(':')) c.number(2, s);
  }
  const auto off = zone_offset(c);
  if (!off) return std::nullopt;
  return make_time(y, mo, d, h, mi, s, 0, *off);
}

}  // namespace

std::optional<Millis> parse_date(std::string_view text) {
  const auto t = text::trim(text);
  if (t.empty()) return std::nullopt;
  if (t.size() >= 10 && t[4] == '-' && t[7] == '-') return parse_iso(t);
  return parse_rfc822(t);
}

std::string format_iso8601(Millis unix_ms) {
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  if (unix_ms < 0 && unix_ms % 1000 != 0) --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::optional<Millis> parse_duration(std::string_view text) {
  const auto t = text::trim(text);
  if (t.empty()) return std::nullopt;
  // Split on ':' into at most three fields; the last may carry a fraction.
  const auto parts = text::split(t, ':');
  if (parts.size() > 3) return std::nullopt;
  double total = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto p = text::trim(parts[i]);
    if (p.empty()) return std::nullopt;
    const bool last = i + 1 == parts.size();
    double v = 0;
    const auto* end = p.data() + p.size();
    auto [ptr, ec] = std::from_chars(p.data(), end, v);
    if (ec != std::errc() || ptr != end || v < 0) return std::nullopt;
    if (!last && v != static_cast<double>(static_cast<long>(v))) return std::nullopt;
    total = total * 60 + v;
  }
  return static_cast<Millis>(total * 1000.0 + 0.5);
}

std::string format_clock(Millis ms) {
  if (ms < 0) ms = 0;
  const auto total = ms / 1000;
  const auto h = total / 3600, m = (total / 60) % 60, s = total % 60;
  char buf[32];
  if (h > 0)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(s));
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(m),
                  static_cast<long long>(s));
  return buf;
}

Millis now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace hark
