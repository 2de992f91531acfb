// Podcast feed parsing: a pure function from bytes to a Feed. RSS 2.0 (and 1.0/RDF), Atom 1.0
// (and 0.3), the iTunes namespace, content:encoded and Podcasting 2.0 tags. No network, no
// disk. Thread-safe: no shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace hark::feed {

enum class Format { Rss, Atom };

struct Feed {
  Format format = Format::Rss;
  // id 0, fetch state empty; feed_url = the base_url given to parse(); new_feed_url as
  // published (itunes:new-feed-url) — following it is the caller's decision.
  Podcast podcast;
  // In feed order, `key` assigned and exact duplicates removed (see identity.hpp). Only
  // playable items: an item without an enclosure is skipped with a warning. An item without
  // podcast:person inherits the channel's persons; without itunes:explicit, the channel's flag.
  std::vector<Episode> episodes;
  // Things that were recovered from or skipped, in words a user understands
  // ("item 12 ('Title') has no enclosure (no audio or video): skipped"). Empty for a clean
  // feed. Per-item warnings of one kind are capped, with a final "... and N more" line.
  std::vector<std::string> warnings;
};

// Parses a feed document. `base_url` (the URL it was fetched from) resolves relative links
// (after any xml:base). Output strings are valid UTF-8 whatever the input encoding.
// Recovers, with a warning each: junk before the XML, unescaped '&' and '<', HTML entities
// (&nbsp; &eacute; ...), control characters, invalid UTF-8, a wrong encoding label.
// Fails with InvalidInput for: an empty body, HTML pages (error and bot-challenge pages,
// naming the page title), JSON, OPML (pointing to `hark import`), XML that is not RSS/Atom,
// and XML that cannot be recovered (naming line, column and the problem).
// Never expands DTD entities and never loads external ones.
Result<Feed> parse(std::string_view bytes, std::string_view base_url = {});

}  // namespace hark::feed
