// Turning transcript bytes into UTF-8 lines. Internal to hark_transcript.
// Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace hark::transcript::detail {

// Decodes a transcript file to UTF-8: strips a UTF-8 BOM, converts UTF-16 with a BOM,
// and decodes text that is not valid UTF-8 as Windows-1252 (old subtitle files), noting
// that in `warnings`. Fails for empty input and for binary data (NUL or control bytes),
// which are "not a transcript at all".
Result<std::string> decode_text(std::string_view bytes, std::vector<std::string>& warnings);

struct Line {
  std::string_view text;  // without the line terminator
  int number = 0;         // 1-based, as an editor shows it
};

// Splits on "\r\n", "\r" and "\n". A final terminator does not add an empty line.
std::vector<Line> split_lines(std::string_view text);

bool is_blank(std::string_view line);

// "transcript line 14: <what>" — every line-level message has this shape.
std::string at_line(int number, std::string_view what);

// The line quoted for an error message, shortened so junk cannot flood a log.
std::string quote_line(std::string_view line);

}  // namespace hark::transcript::detail
