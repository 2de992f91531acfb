// Small text utilities shared by every module. UTF-8 in, UTF-8 out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hark::text {

std::string_view trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool starts_with_icase(std::string_view s, std::string_view prefix);
std::vector<std::string> split(std::string_view s, char sep);
// Collapses runs of ASCII whitespace into one space and trims the ends.
std::string collapse_whitespace(std::string_view s);
// Replaces invalid UTF-8 sequences with U+FFFD so that output is always valid UTF-8.
std::string sanitize_utf8(std::string_view s);
bool is_valid_utf8(std::string_view s);
// Length in bytes of the valid UTF-8 sequence starting at s[i] (1–4), or 0 when the bytes
// there are not valid UTF-8 (overlong forms, surrogates and truncated sequences included).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);
// Escapes text for HTML/XML: & < > always, " too when `attribute` (the text goes inside a
// double-quoted attribute value). NUL characters are dropped.
void append_escaped_html(std::string& out, std::string_view s, bool attribute = false);
std::string escape_html(std::string_view s, bool attribute = false);
// The prefix of an HTML document that opens at most `max_depth` nested elements. HTML parsers
// (gumbo among them) take time quadratic in nesting depth: 200,000 unclosed <b> cost minutes
// and gigabytes, so every document from a stranger goes through this before it is parsed.
// The depth is estimated from the tags alone: void elements (<br>, <img> …), self-closing tags
// and the elements a sibling start tag closes (<p>, <li>, <td> …) add nothing; an end tag takes
// one away. Real documents (a few dozen levels) are never cut, however long.
std::string_view html_within_depth(std::string_view html, std::size_t max_depth = 512);
// Truncates to at most `max_bytes` without splitting a UTF-8 sequence; appends "…" if cut.
std::string truncate_utf8(std::string_view s, std::size_t max_bytes);

}  // namespace hark::text
