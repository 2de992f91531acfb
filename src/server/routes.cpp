#include <array>

#include "server/artwork.hpp"
#include "server/handlers.hpp"
#include "server/router.hpp"

namespace hark::server {
namespace {

constexpr std::size_t kNoBody = 64 << 10;  // small JSON or nothing
constexpr std::size_t kJson = 1 << 20;     // JSON bodies: 1 MB
constexpr std::size_t kOpml = 5 << 20;     // OPML uploads: 5 MB

constexpr auto P = Access::Public;
constexpr auto U = Access::SignedIn;
constexpr auto A = Access::Admin;

// Literal segments come before {id} where both could match (export.opml, refresh,
// in-progress).
constexpr std::array kRoutes = {
    Route{"GET", "/api/session", P, kNoBody, handle_get_session},
    Route{"POST", "/api/login", P, kJson, handle_login},
    Route{"POST", "/api/logout", U, kNoBody, handle_logout},
    Route{"POST", "/api/setup", P, kJson, handle_setup},
    Route{"POST", "/api/account/password", U, kJson, handle_change_password},
    Route{"GET", "/api/tokens", U, kNoBody, handle_list_tokens},
    Route{"POST", "/api/tokens", U, kJson, handle_create_token},
    Route{"DELETE", "/api/tokens/{id}", U, kNoBody, handle_delete_token},
    Route{"GET", "/api/users", A, kNoBody, handle_list_users},

    Route{"GET", "/api/podcasts", U, kNoBody, handle_list_podcasts},
    Route{"POST", "/api/podcasts", U, kJson, handle_subscribe},
    Route{"POST", "/api/podcasts/import", U, kOpml, handle_import_opml},
    Route{"GET", "/api/podcasts/export.opml", U, kNoBody, handle_export_opml},
    Route{"POST", "/api/podcasts/refresh", U, kNoBody, handle_refresh_all},
    Route{"GET", "/api/podcasts/{id}", U, kNoBody, handle_get_podcast},
    Route{"DELETE", "/api/podcasts/{id}", U, kNoBody, handle_unsubscribe},
    Route{"POST", "/api/podcasts/{id}/refresh", U, kNoBody, handle_refresh_podcast},
    Route{"GET", "/api/podcasts/{id}/artwork", P, kNoBody, handle_get_podcast_artwork},
    Route{"GET", "/api/podcasts/{id}/episodes", U, kNoBody, handle_list_podcast_episodes},

    Route{"GET", "/api/episodes", U, kNoBody, handle_list_episodes},
    Route{"GET", "/api/episodes/in-progress", U, kNoBody, handle_list_in_progress},
    Route{"GET", "/api/episodes/{id}", U, kNoBody, handle_get_episode},
    Route{"GET", "/api/episodes/{id}/transcript", U, kNoBody, handle_get_transcript},
    Route{"GET", "/api/episodes/{id}/chapters", U, kNoBody, handle_get_chapters},
    Route{"GET", "/api/episodes/{id}/peaks", U, kNoBody, handle_get_peaks},
    Route{"GET", "/api/episodes/{id}/audio", U, kNoBody, handle_get_audio},
    Route{"GET", "/api/episodes/{id}/artwork", P, kNoBody, handle_get_episode_artwork},
    Route{"PUT", "/api/episodes/{id}/position", U, kJson, handle_put_position},
    Route{"POST", "/api/episodes/{id}/process", U, kNoBody, handle_process_episode},
    Route{"GET", "/api/episodes/{id}/highlights", U, kNoBody, handle_get_highlights},
    Route{"GET", "/api/episodes/{id}/summary", U, kNoBody, handle_get_summary},

    Route{"GET", "/api/snips", U, kNoBody, handle_list_snips},
    Route{"POST", "/api/snips", U, kJson, handle_create_snip},
    Route{"GET", "/api/snips/{id}", U, kNoBody, handle_get_snip},
    Route{"PATCH", "/api/snips/{id}", U, kJson, handle_update_snip},
    Route{"DELETE", "/api/snips/{id}", U, kNoBody, handle_delete_snip},
    Route{"POST", "/api/snips/{id}/share", U, kNoBody, handle_share_snip},
    Route{"DELETE", "/api/snips/{id}/share", U, kNoBody, handle_unshare_snip},
    Route{"GET", "/api/events", U, kNoBody, handle_events},

    Route{"GET", "/api/search", U, kNoBody, handle_search},
    Route{"GET", "/api/episodes/{id}/markdown", U, kNoBody, handle_episode_markdown},
    Route{"GET", "/api/episodes/{id}/soundbites", U, kNoBody, handle_episode_soundbites},
    Route{"GET", "/api/snips/{id}/share-intents", U, kNoBody, handle_snip_share_intents},
    Route{"GET", "/api/snips/{id}/clip", U, kNoBody, handle_snip_clip},
    Route{"GET", "/s/{share_id}/clip.m4a", P, kNoBody, handle_shared_clip_m4a},
    Route{"GET", "/s/{share_id}/clip.mp3", P, kNoBody, handle_shared_clip_mp3},
    Route{"GET", "/api/feeds/snips", U, kNoBody, handle_get_snips_feed_url},
    Route{"POST", "/api/feeds/snips/rotate", U, kNoBody, handle_rotate_snips_feed},
    Route{"GET", "/api/feeds/snips/{token}", P, kNoBody, handle_snips_feed},
    Route{"GET", "/api/settings/exports", U, kNoBody, handle_get_export_settings},
    Route{"PUT", "/api/settings/exports/{service}", U, kJson, handle_put_export_settings},
    Route{"DELETE", "/api/settings/exports/{service}", U, kNoBody, handle_delete_export_settings},
    Route{"POST", "/api/exports/{service}", U, kJson, handle_run_export},
    Route{"GET", "/api/exports/markdown", U, kNoBody, handle_export_all_markdown},
    Route{"GET", "/api/exports/json", U, kNoBody, handle_export_all_json},
    Route{"GET", "/api/snips/{id}/similar", U, kNoBody, handle_similar_to_snip},
    Route{"GET", "/api/episodes/{id}/similar", U, kNoBody, handle_similar_to_range},

    Route{"GET", "/api/jobs", U, kNoBody, handle_list_jobs},
    Route{"GET", "/api/settings/feeds", U, kNoBody, handle_feed_settings},
    Route{"GET", "/api/status", U, kNoBody, handle_status},
};

}  // namespace

std::span<const Route> api_routes() {
  return kRoutes;
}

}  // namespace hark::server
