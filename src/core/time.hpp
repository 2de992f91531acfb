// Parsing and formatting of the time notations that appear in feeds and on the CLI.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace hark {

// RFC 822/2822 dates as found in RSS (`Tue, 10 Jun 2003 04:00:00 GMT`, numeric zones,
// US zone names, missing weekday or seconds, two-digit years) and ISO 8601 / RFC 3339
// (`2003-12-13T18:30:02Z`, `+01:00` offsets, fractions, date only). Unix milliseconds.
std::optional<Millis> parse_date(std::string_view text);

// `2026-11-27T10:04:36Z` (UTC, second precision).
std::string format_iso8601(Millis unix_ms);

// Durations: plain seconds (`3600`, `3600.5`), `MM:SS`, `HH:MM:SS`, `H:MM:SS.mmm`.
std::optional<Millis> parse_duration(std::string_view text);

// `1:02:03` or `2:03` (hours only when needed).
std::string format_clock(Millis ms);

// Milliseconds since the Unix epoch, from the system clock.
Millis now_ms();

}  // namespace hark
