// Episode identity within a podcast. Pure.
//
// A key must survive refreshes: the same episode read from tomorrow's copy of the feed gets
// the same key, whatever its position in the feed, so the store can tell new episodes from
// known ones. Keys are deterministic functions of an item's content.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace hark::feed {

// Removes volatile query parameters from an enclosure URL — cache busters and trackers:
// `updated`, `update`, `_`, `ts`, `t` (only when numeric), `timestamp`, `cachebuster`, `cb`,
// `nocache`, `rand`, `random`, `utm_*`, `fbclid`, `gclid` (names compared case-insensitively)
// — and keeps every other parameter in its original order (private-feed tokens such as
// `auth`, `token`, `key`, `sig` must stay). Lower-cases scheme and host, drops a default
// port and the fragment. Input that is not an absolute URL is only trimmed.
std::string normalize_enclosure_url(std::string_view url);

// Assigns Episode::key for every episode of one feed and removes exact duplicates:
// - guid present and unique in the feed: key = guid.
// - guid repeated: items with the same normalised enclosure URL are one episode published
//   twice; only the first is kept. Items with the same guid but different enclosures are
//   different episodes: the one published earliest (ties: smallest normalised enclosure URL)
//   keeps key = guid — it is the one a previous refresh stored under that key — and each
//   other gets key = guid + "#" + a hash of its normalised enclosure URL.
// - no guid: key = "enclosure:" + normalised enclosure URL + "#" + title. Items with no guid
//   and the same normalised enclosure URL and title are duplicates; the first is kept.
// Each removal or disambiguation is described in `warnings` when it is not null.
void assign_keys(std::vector<Episode>& episodes, std::vector<std::string>* warnings = nullptr);

}  // namespace hark::feed
