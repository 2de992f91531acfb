// Chapters from timestamps written in show notes (content:encoded HTML or a plain
// description): "[00:00] Intro", "00:00 - Intro", "(1:02:03) Topic", "* [12:30] Topic",
// "1. 00:00 Intro", "12:30: Topic", "Topic - 12:30", "Topic (12:30)", a timestamp inside a
// link, and "(00:00) Intro (02:15) News" on one line. HTML is read with gumbo into lines of
// text; only those lines are scanned. Pure functions, no shared state: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace hark::feed {

// The lines of text a reader sees. HTML (anything with a tag) is parsed with gumbo: <p>, <div>,
// <li>, headings, table rows and other blocks, and <br>, end a line; inline elements run on;
// entities are decoded; whitespace (and &nbsp;) collapses as a browser would, except in <pre>.
// Plain text is split on newlines, with HTML entities decoded. Lines are trimmed; empty lines
// are dropped.
std::vector<std::string> show_notes_lines(std::string_view html_or_text);

// One line read as "timestamp + title".
struct TimestampedLine {
  Millis at_ms = 0;
  std::string title;
  bool trailing = false;  // "Topic - 12:30" rather than "12:30 - Topic"
  bool operator==(const TimestampedLine&) const = default;
};

// Reads a timestamp (H:MM:SS, HH:MM:SS, M:SS or MM:SS; minutes and seconds below 60 where a
// larger unit precedes them) at the start of `line` — after bullets, numbering, emoji and an
// opening bracket — or at its end. The title is the rest, trimmed of separators
// (- – — : | • ·), bullets and the timestamp's brackets; a range ("00:00 - 05:00 Intro") keeps
// its start. Not a match: no timestamp, a timestamp mid-sentence ("the 1:30 train"), a time of
// day ("12:30pm"), an empty title.
std::optional<TimestampedLine> parse_timestamped_line(std::string_view line);

// The chapters written in show notes, with source "shownotes", finalized (see
// finalize_chapters) against `episode_duration`. Timestamped lines are grouped into runs of
// strictly increasing times in one style (leading or trailing); the longest run wins (ties:
// the one starting nearest 0:00, then the first). It counts as a chapter list only when it has
// at least two chapters inside the duration and holds more than half of all timestamped lines —
// so a stray "at 12:30" or a page of times in no order gives no chapters. Empty when there is
// no such list.
std::vector<Chapter> chapters_from_show_notes(std::string_view html_or_text,
                                              std::optional<Millis> episode_duration);

}  // namespace hark::feed
