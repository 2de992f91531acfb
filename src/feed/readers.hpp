// Internal to hark_feed: the RSS (2.0, and 1.0/RDF) and Atom (1.0, 0.3) document readers.
#pragma once

#include <pugixml.hpp>

#include "core/result.hpp"
#include "feed/document.hpp"
#include "feed/feed.hpp"

namespace hark::feed::detail {

// `root` is <rss> or <rdf:RDF>. Fills podcast and episodes; items without an enclosure are
// skipped with a warning. Keys are not assigned here.
Result<Feed> read_rss(pugi::xml_node root, Context& ctx);

// `root` is <feed>.
Result<Feed> read_atom(pugi::xml_node root, Context& ctx);

}  // namespace hark::feed::detail
