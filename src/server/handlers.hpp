// The API's handlers: plain functions from a request to a response. They never throw
// (the server's one wrapper turns a stray exception into a 500 and a log line) and report
// failures as error responses built by errors.hpp. Routes, access rules and body limits
// are in routes.cpp; shapes in views.hpp and docs/openapi.yaml.
#pragma once

#include "server/context.hpp"
#include "server/http.hpp"

namespace hark::server {

// session and accounts (api_session.cpp)
Response handle_get_session(const Request&, Context&);
Response handle_login(const Request&, Context&);
Response handle_logout(const Request&, Context&);
Response handle_setup(const Request&, Context&);
Response handle_change_password(const Request&, Context&);
Response handle_list_tokens(const Request&, Context&);
Response handle_create_token(const Request&, Context&);
Response handle_delete_token(const Request&, Context&);
Response handle_list_users(const Request&, Context&);

// podcasts (api_podcasts.cpp)
Response handle_list_podcasts(const Request&, Context&);
Response handle_subscribe(const Request&, Context&);
Response handle_import_opml(const Request&, Context&);
Response handle_export_opml(const Request&, Context&);
Response handle_refresh_all(const Request&, Context&);
Response handle_get_podcast(const Request&, Context&);
Response handle_unsubscribe(const Request&, Context&);
Response handle_refresh_podcast(const Request&, Context&);
Response handle_list_podcast_episodes(const Request&, Context&);

// episodes (api_episodes.cpp)
Response handle_list_episodes(const Request&, Context&);
Response handle_list_in_progress(const Request&, Context&);
Response handle_get_episode(const Request&, Context&);
Response handle_get_transcript(const Request&, Context&);
Response handle_get_chapters(const Request&, Context&);
Response handle_get_peaks(const Request&, Context&);
Response handle_get_audio(const Request&, Context&);
Response handle_put_position(const Request&, Context&);
Response handle_process_episode(const Request&, Context&);

// snips, highlights, episode summaries (api_snips.cpp)
Response handle_list_snips(const Request&, Context&);
Response handle_create_snip(const Request&, Context&);
Response handle_get_snip(const Request&, Context&);
Response handle_update_snip(const Request&, Context&);
Response handle_delete_snip(const Request&, Context&);
Response handle_share_snip(const Request&, Context&);
Response handle_unshare_snip(const Request&, Context&);
Response handle_get_highlights(const Request&, Context&);
Response handle_get_summary(const Request&, Context&);

// server-sent events about the user's snips (api_events.cpp)
Response handle_events(const Request&, Context&);

// search (api_search.cpp)
Response handle_search(const Request&, Context&);
Response handle_similar_to_snip(const Request&, Context&);
Response handle_similar_to_range(const Request&, Context&);

// sharing and exports (api_exports.cpp)
Response handle_snip_share_intents(const Request&, Context&);
Response handle_episode_markdown(const Request&, Context&);
Response handle_episode_soundbites(const Request&, Context&);
Response handle_get_snips_feed_url(const Request&, Context&);
Response handle_rotate_snips_feed(const Request&, Context&);
Response handle_snips_feed(const Request&, Context&);
Response handle_snip_clip(const Request&, Context&);
Response handle_shared_clip_m4a(const Request&, Context&);
Response handle_shared_clip_mp3(const Request&, Context&);

// sending snips to Readwise and Notion (api_export_settings.cpp)
Response handle_get_export_settings(const Request&, Context&);
Response handle_put_export_settings(const Request&, Context&);
Response handle_delete_export_settings(const Request&, Context&);
Response handle_run_export(const Request&, Context&);
Response handle_export_all_markdown(const Request&, Context&);  // api_exports.cpp
Response handle_export_all_json(const Request&, Context&);

// jobs, settings, status (api_system.cpp)
Response handle_list_jobs(const Request&, Context&);
Response handle_feed_settings(const Request&, Context&);
Response handle_status(const Request&, Context&);

}  // namespace hark::server
