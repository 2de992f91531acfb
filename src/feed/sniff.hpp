// Internal to hark_feed: telling what a body is before parsing it as XML. Servers answer a
// feed URL with all sorts of things — a Cloudflare challenge, a 404 page served with status
// 200, JSON, nothing at all — and each deserves a message that says what happened.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hark::feed::detail {

enum class BodyKind { Empty, Json, Html, Xml, NotXml };

struct Sniffed {
  BodyKind kind = BodyKind::NotXml;
  std::size_t xml_start = 0;     // Xml: where the XML begins (after a BOM and any junk)
  bool junk_before_xml = false;  // non-whitespace bytes were found before the XML
  std::string html_title;        // Html: the page's <title>, decoded and shortened
  bool bot_challenge = false;    // Html: a Cloudflare (or similar) browser check
};

// Classifies UTF-8 `body`. Looks only at the prolog and, for junk/HTML, the first 64 kB.
Sniffed sniff_body(std::string_view body);

// The error for a body that is not a feed (kind != Xml), written for the user.
Error not_a_feed_error(const Sniffed& s, std::string_view body);

}  // namespace hark::feed::detail
