// Snips for other apps: an RSS 2.0 feed of a user's snips ("an RSS feed of my bookmarks",
// newest first, each item linking to the snip's share page or the player at its time), and
// an episode's shared snips as Podcasting 2.0 soundbites (the <podcast:soundbite> tag of
// podcastindex.org's namespace: startTime and duration in seconds, the title as text),
// as JSON and as the tags a publisher can paste into their feed.
//
// Pure; safe from any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "export/readwise.hpp"  // SnipContext

namespace hark::exports {

struct SnipsFeed {
  std::string title;               // "Ada's snips"
  std::string self_url;            // the feed's own URL (atom:link rel="self")
  std::string home_url;            // the web player
  std::vector<SnipContext> snips;  // newest first
};

// RSS 2.0 (UTF-8) with one item per snip: title, link, a guid that never changes
// ("hark-snip-<id>", not a permalink), pubDate (RFC 822) and an HTML description
// (summary, takeaways, quote, note, episode and podcast).
std::string snips_rss(const SnipsFeed& feed);

// {"soundbites": [{"startTime": 65.0, "duration": 20.0, "title": "…", "snip_id": 5,
// "url": "…"}], "tags": "<podcast:soundbite …>…</podcast:soundbite>\n…"}; only snips that
// have been shared (a share id), by start time. A title over 128 characters is cut (the
// namespace recommends at most 128).
nlohmann::json soundbites_json(const std::vector<SnipContext>& snips);

}  // namespace hark::exports
