// Show notes from feeds are HTML written by strangers. Before the API hands them to the
// web player they are rebuilt from an allow-list, so nothing that can run script, load
// content, or restyle the page survives. Pure.
#pragma once

#include <string>
#include <string_view>

namespace hark::server {

// Parses `html` as an HTML5 parser does (gumbo: entities decoded, unclosed tags closed)
// and writes back only:
//   p, br, ul, ol, li, b, strong, i, em, blockquote, code, pre — without attributes;
//   h1–h3 as h3, h4–h6 as h4 (below the page's own headings);
//   a, with href only when it is http:, https: or mailto: (checked after entity decoding
//     and ignoring whitespace and control characters, as browsers do), always with
//     rel="noopener nofollow"; a link with no usable href keeps its text only.
// script, style, iframe, object, embed, svg, math, template, form controls, img and media
// are dropped with everything inside them; other elements (div, span, font, table ...)
// are unwrapped: their text stays, the element goes. Every attribute not named above is
// dropped (on*, style, class, src ...). Comments are dropped. Text is escaped.
// Input without any tag is treated as plain text: blank lines separate paragraphs and
// single line breaks become <br>. Very deeply nested input is cut off after a few
// thousand tags (gumbo is quadratic in depth).
std::string sanitize_html(std::string_view html);

}  // namespace hark::server
