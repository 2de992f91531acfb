// What the server publishes of a user's snips to other apps: the snips RSS feed (behind a
// per-user token in its URL, since a feed reader cannot log in), an episode's shared snips
// as Podcasting 2.0 soundbites, and an episode's note as Markdown (the web player's "Copy
// as Markdown" / download).
//
// Thread-safety: stateless apart from the Store; safe from any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::app {

// The user's feed token: made on first use; `rotate` replaces it (the old URL stops
// working).
Result<std::string> snips_feed_token(store::Store& store, Id user_id, bool rotate);
// <public_url>/api/feeds/snips/<token>
std::string snips_feed_url(const std::string& public_url, const std::string& token);
// The feed for a token (its user's newest 200 snips), or nullopt for an unknown token.
Result<std::optional<std::string>> snips_feed_xml(store::Store& store, const std::string& token,
                                                  const std::string& public_url);
// The user's shared snips of the episode as soundbites (export/feeds.hpp).
Result<nlohmann::json> episode_soundbites(store::Store& store, Id user_id, Id episode_id,
                                          const std::string& public_url);
// The episode's note as `hark export markdown` writes it (new note, built-in template).
Result<std::string> episode_note_markdown(store::Store& store, Id user_id, Id episode_id,
                                          const std::string& public_url);
// All the user's snips as one Markdown document for download: each snipped episode's note
// (as in its hark block), episodes with the newest snips first, between rules.
Result<std::string> library_markdown(store::Store& store, Id user_id,
                                     const std::string& public_url);

}  // namespace hark::app
