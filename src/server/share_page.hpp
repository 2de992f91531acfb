// The public share page of a snip, /s/<share_id>: server-rendered HTML that needs no
// account and no JavaScript (title, summary, takeaways, quote, a player for just the
// snip's range, "listen to the full episode", the episode's sanitised description and its
// chapters), with OpenGraph and Twitter card tags carrying absolute URLs so links unfurl.
// /s/<share_id>/audio serves the episode's audio (Range supported) for that player.
// An unknown or withdrawn share id is a plain 404 page; nothing else is revealed.
#pragma once

#include "server/context.hpp"
#include "server/http.hpp"

namespace hark::server {

// True for paths this module answers (/s/...).
bool is_share_path(std::string_view path);
Response serve_share(Context& ctx, const Request& request);

}  // namespace hark::server
