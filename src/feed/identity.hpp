// Episode identity within a podcast. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace hark::feed {

// Removes volatile query parameters (cache busters, tracking: `updated`, `utm_*`, ...) from
// an enclosure URL, keeps everything else (private-feed tokens such as `auth`), lower-cases
// scheme and host, drops the fragment.
std::string normalize_enclosure_url(std::string_view url);

// Assigns Episode::key for every episode of one feed: the guid when present and unique;
// for a guid repeated on a different episode (different enclosure and title), a key derived
// from guid + enclosure so neither is lost; exact duplicates collapse into one (the first).
// Without a guid: normalised enclosure URL + title.
void assign_keys(std::vector<Episode>& episodes);

}  // namespace hark::feed
