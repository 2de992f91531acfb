// Helpers shared by the API handlers: JSON in and out, ids from the path, and the
// ownership checks (a podcast or episode is visible only through the user's
// subscriptions; anything else is answered exactly like a missing object: 404).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.hpp"
#include "server/context.hpp"
#include "server/errors.hpp"
#include "server/http.hpp"
#include "server/views.hpp"

namespace hark::server {

Response json_response(int status, const nlohmann::json& body);
Response no_content();

// The body as a JSON object; InvalidInput (400) otherwise.
Result<nlohmann::json> json_body(const Request& request);
// Optional typed members; InvalidInput when present with the wrong type.
Result<std::optional<std::string>> string_member(const nlohmann::json& j, std::string_view key);
Result<std::optional<std::int64_t>> int_member(const nlohmann::json& j, std::string_view key);
Result<std::optional<bool>> bool_member(const nlohmann::json& j, std::string_view key);

// The {name} path parameter as an id; NotFound when it is not a positive number.
Result<Id> id_param(const Request& request, std::string_view name = "id");
// A non-negative integer query parameter, `fallback` when absent, clamped to `max`.
Result<int> int_query(const Request& request, std::string_view name, int fallback, int max);

// The podcast / episode named by {id} when the signed-in user may see it, else NotFound.
Result<Podcast> visible_podcast(Context& ctx, const Request& request);
Result<Episode> visible_episode(Context& ctx, const Request& request);

// Where people reach this server, without a trailing slash: [server] public_url, else
// (when it is set to "") http(s)://<Host header> (https when cookies are Secure or a proxy says so;
// a Host header with odd characters falls back to the listening address).
std::string public_base_url(const Context& ctx, const Request& request);

// The episode's downloaded audio with Range support (200, 206 or 416), a redirect to
// the publisher's https/http enclosure when it is not downloaded, else 404. No access
// check: callers decide who may hear it.
Response episode_audio(const Episode& episode, const Request& request);
// A file on disk as the body, with Range support (200, 206 or 416).
Response file_response(const std::filesystem::path& file, const std::string& content_type,
                       const Request& request);
// Content-Disposition for a download named `name` (may be UTF-8): an ASCII filename for
// old clients and the exact one in filename* (RFC 6266 / RFC 8187).
std::string attachment_disposition(std::string_view name);

// Position, transcript and chapter facts for one episode and user.
Result<EpisodeExtras> episode_extras(Context& ctx, Id user_id, const Episode& episode);
// The listing of a page of episodes as JSON array text, the user's state for all of them
// read at once.
Result<std::string> episode_list_text(Context& ctx, Id user_id,
                                      const std::vector<Episode>& episodes);
// A 200 reply {"episodes": <list>, ...the members of `rest`} (`rest` a JSON object).
Response episode_list_response(const std::string& list, const nlohmann::json& rest);

// Keyset paging. A cursor is opaque to clients: "<published_at>.<id>" ("n.<id>" when the
// episode is undated). ?cursor= absent or empty: nullopt; malformed: InvalidInput.
std::string cursor_text(const store::EpisodeCursor& cursor);
Result<std::optional<store::EpisodeCursor>> cursor_query(const Request& request);
// A page's next_cursor: the last episode's cursor when the page is full, else null (no more).
nlohmann::json next_cursor_json(const std::vector<Episode>& page, int limit);

}  // namespace hark::server
