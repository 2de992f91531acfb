// The one JSON shape of a search result, shared by `hark search --json` and GET /api/search,
// and the renderings of a snippet's marks. Pure functions: thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/search.hpp"

namespace hark::search {

std::string_view to_string(HitKind kind);  // "passage", "snip", "episode"

// The snippet with its marks removed.
std::string snippet_text(std::string_view marked);
// The snippet HTML-escaped, matched words in <mark>...</mark>: safe to insert as HTML.
std::string snippet_html(std::string_view marked);
// The snippet with matched words between `open` and `close` (a terminal's bold, brackets).
std::string snippet_with(std::string_view marked, std::string_view open, std::string_view close);

// {kind, id, episode_id, podcast_id, start_ms, end_ms, podcast_title, episode_title,
//  published_at (ISO 8601 or null), speaker, snippet, snippet_html, score}; `id` is the
// snip's id for snips, the passage's or episode's otherwise.
nlohmann::json hit_json(const SearchHit& hit);

}  // namespace hark::search
