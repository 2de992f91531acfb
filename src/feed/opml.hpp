// OPML subscription lists, in and out. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace hark::feed {

struct OpmlEntry {
  std::string title;
  std::string xml_url;
  std::string html_url;
};

// Every outline with an xmlUrl (any letter case: `xmlUrl`, `xmlurl`, `XMLURL`), at any depth
// (nested folders are flattened), in document order, de-duplicated by feed URL (scheme and
// host compared case-insensitively; the first entry wins). Title is `title`, else `text`.
// HTML entities and stray '&' are tolerated. Fails with InvalidInput when the document is not
// OPML (naming what it is instead) or is not XML at all.
Result<std::vector<OpmlEntry>> parse_opml(std::string_view bytes);

// A valid OPML 2.0 document with one `type="rss"` outline per entry; text is escaped and
// invalid UTF-8 replaced, so any entries produce well-formed XML.
std::string write_opml(const std::vector<OpmlEntry>& entries,
                       std::string_view title = "hark subscriptions");

}  // namespace hark::feed
