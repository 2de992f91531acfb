// Podcast feed parsing: a pure function from bytes to a Feed. RSS 2.0, Atom, the iTunes
// namespace, content:encoded and Podcasting 2.0 tags. No network, no disk.
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
  Podcast podcast;                // id 0, fetch state empty
  std::vector<Episode> episodes;  // in feed order, `key` assigned (see identity.hpp)
  // Things that were recovered from or skipped, in words a user understands
  // ("item 12 has no enclosure: skipped"). Empty for a clean feed.
  std::vector<std::string> warnings;
};

// Parses a feed document. `base_url` (the URL it was fetched from) resolves relative links.
// Fails with InvalidInput for: HTML pages (error/challenge pages), documents that are not
// RSS/Atom, and XML that cannot be recovered. Never expands DTD entities.
Result<Feed> parse(std::string_view bytes, std::string_view base_url = {});

}  // namespace hark::feed
