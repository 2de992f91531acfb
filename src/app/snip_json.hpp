// One JSON shape for a snip, shared by the API, the CLI's --json output and the JSON backup,
// so a field added to store::Snip shows up everywhere at once. Times are the store's (Unix
// milliseconds); a caller that prints for people (the CLI) formats them itself.
#pragma once

#include <nlohmann/json.hpp>

#include "store/store.hpp"

namespace hark::app {

// id, episode_id, start_ms, end_ms, tap_ms, title, summary, takeaways, quote, quote_speaker,
// speakers, engine, fallback_reason, note, share_id, share_url (the share page's path, "/s/<id>",
// or null when the snip is private), created_at, updated_at.
nlohmann::json snip_json(const store::Snip& snip);

}  // namespace hark::app
