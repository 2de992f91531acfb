// The JSON shapes of the API (documented in docs/openapi.yaml). Plain functions from
// domain values to nlohmann::json; no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "app/accounts.hpp"
#include "app/library.hpp"
#include "app/snip_json.hpp"
#include "core/model.hpp"
#include "core/transcript.hpp"
#include "store/store.hpp"

namespace hark::server {

nlohmann::json user_json(const store::User& user);
nlohmann::json podcast_json(const Podcast& podcast);
// The same object appended to `out` as JSON text (the podcast list writes 100 of them).
void write_podcast_json(std::string& out, const Podcast& podcast);

// What the episode list and page show besides the feed's fields.
struct EpisodeExtras {
  std::optional<store::Position> position;
  bool transcript_ready = false;
  int chapter_count = 0;
  bool downloaded = false;
};
// "played", "in_progress" or "new".
std::string episode_state(const std::optional<store::Position>& position);
// `show_notes_html` is the sanitised HTML (only the single-episode view carries it).
nlohmann::json episode_json(const Episode& episode, const EpisodeExtras& extras,
                            const std::optional<std::string>& show_notes_html = std::nullopt);
// The same object (without show notes) appended to `out` as JSON text, for the lists.
void write_episode_json(std::string& out, const Episode& episode, const EpisodeExtras& extras);
// `text` as a JSON string, appended to `out`: quoted and escaped; bytes that are not
// well-formed UTF-8 become U+FFFD (as json::dump with error_handler_t::replace does).
void write_json_string(std::string& out, std::string_view text);
nlohmann::json position_json(const store::Position& position);
nlohmann::json job_json(const store::Job& job);
nlohmann::json chapter_json(const Chapter& chapter);
nlohmann::json transcript_json(Id episode_id, const Transcript& transcript,
                               const std::optional<store::TranscriptInfo>& info, bool words);
nlohmann::json refresh_json(const app::RefreshResult& result);
nlohmann::json token_json(const store::ApiToken& token);
// A snip as its owner sees it: the app's one shape (share_url is "/s/<share_id>" once shared).
using app::snip_json;
nlohmann::json highlight_json(const store::StoredHighlight& highlight);
nlohmann::json summary_json(const store::StoredSummary& summary);

}  // namespace hark::server
