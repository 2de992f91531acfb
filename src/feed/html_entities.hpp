// HTML named character references (the HTML 4 set: &nbsp; &eacute; &mdash; &rsquo; ...).
// XML knows only five named entities; feeds written by HTML-minded tools use the rest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hark::feed {

// The code point for an HTML entity name (case-sensitive, without '&' and ';'), if known.
std::optional<std::uint32_t> html_entity_codepoint(std::string_view name);

// Appends `cp` to `out` as UTF-8. Invalid code points (surrogates, > U+10FFFF) become U+FFFD.
void append_utf8(std::string& out, std::uint32_t cp);

// Decodes &amp; &lt; &#39; &eacute; ... in a short HTML snippet (an HTML <title>, an attribute
// value). Unknown references are kept as written.
std::string decode_html_entities(std::string_view s);

}  // namespace hark::feed
