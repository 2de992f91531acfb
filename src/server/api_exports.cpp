// Sharing and exporting snips through the API (the web player's share menu): share
// intents, an episode's note as Markdown, its shared snips as Podcasting 2.0 soundbites,
// the snips RSS feed behind a per-user token, and snips' audio clips as downloads (the
// owner's through the API, a shared one's from its share page).
#include "app/portability.hpp"
#include "app/publishing.hpp"
#include "export/links.hpp"
#include "export/share.hpp"
#include "server/api_support.hpp"
#include "server/handlers.hpp"

namespace hark::server {

using json = nlohmann::json;

Response handle_snip_share_intents(const Request& request, Context& ctx) {
  auto id = id_param(request);
  if (!id) return error_response(id.error());
  auto snip = ctx.app.store().snips().find(request.user_id(), *id);
  if (!snip) return error_response(snip.error());
  const bool shared = snip->share_id.has_value();
  const std::string& base = ctx.options.public_url;
  const std::string link = shared ? exports::share_url(base, *snip->share_id)
                                  : exports::player_url(base, snip->episode_id, snip->start_ms);
  const auto intents = exports::share_intents({snip->title, snip->summary, link});
  return json_response(200, {{"snip_id", snip->id},
                             {"link", link},
                             {"shared", shared},
                             {"tweet_text", intents.tweet_text},
                             {"twitter_url", intents.twitter_url},
                             {"whatsapp_text", intents.whatsapp_text},
                             {"whatsapp_url", intents.whatsapp_url}});
}

Response handle_episode_markdown(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  auto note = app::episode_note_markdown(ctx.app.store(), request.user_id(), episode->id,
                                         ctx.options.public_url);
  if (!note) return error_response(note.error());
  Response r;
  r.content_type = "text/markdown; charset=utf-8";
  r.body = std::move(*note);
  r.set_header("Content-Disposition",
               "attachment; filename=\"episode-" + std::to_string(episode->id) + ".md\"");
  return r;
}

Response handle_episode_soundbites(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  auto bites = app::episode_soundbites(ctx.app.store(), request.user_id(), episode->id,
                                       ctx.options.public_url);
  if (!bites) return error_response(bites.error());
  return json_response(200, *bites);
}

Response handle_export_all_markdown(const Request& request, Context& ctx) {
  auto doc = app::library_markdown(ctx.app.store(), request.user_id(), ctx.options.public_url);
  if (!doc) return error_response(doc.error());
  Response r;
  r.content_type = "text/markdown; charset=utf-8";
  r.body = std::move(*doc);
  r.set_header("Content-Disposition", "attachment; filename=\"hark-snips.md\"");
  r.set_header("Cache-Control", "private, no-store");
  return r;
}

Response handle_export_all_json(const Request& request, Context& ctx) {
  auto doc = app::export_library_json(ctx.app.store(), request.user_id());
  if (!doc) return error_response(doc.error());
  Response r;
  r.content_type = "application/json";
  r.body = doc->dump(2) + "\n";
  r.set_header("Content-Disposition", "attachment; filename=\"hark-library.json\"");
  r.set_header("Cache-Control", "private, no-store");
  return r;
}

namespace {

Response feed_url_response(Context& ctx, Id user_id, bool rotate) {
  auto token = app::snips_feed_token(ctx.app.store(), user_id, rotate);
  if (!token) return error_response(token.error());
  return json_response(200, {{"url", app::snips_feed_url(ctx.options.public_url, *token)}});
}

}  // namespace

Response handle_get_snips_feed_url(const Request& request, Context& ctx) {
  return feed_url_response(ctx, request.user_id(), false);
}

Response handle_rotate_snips_feed(const Request& request, Context& ctx) {
  return feed_url_response(ctx, request.user_id(), true);
}

Response handle_snips_feed(const Request& request, Context& ctx) {
  const auto it = request.params.find("token");
  const std::string token = it == request.params.end() ? std::string() : it->second;
  auto feed = app::snips_feed_xml(ctx.app.store(), token, ctx.options.public_url);
  if (!feed) return error_response(feed.error());
  // Unknown and revoked tokens look the same: a feed that does not exist.
  if (!*feed)
    return error_response(
        not_found("no snips feed at this address (it may have been replaced; "
                  "copy the new address from hark's settings)"));
  Response r;
  r.content_type = "application/rss+xml; charset=utf-8";
  r.body = std::move(**feed);
  r.set_header("Cache-Control", "private, max-age=300");
  return r;
}

namespace {

// The clip as a download: from the cache on disk, cut first when needed.
Response clip_response(Context& ctx, const Request& request, const store::Snip& snip,
                       std::string_view format, const char* cache_control) {
  auto clip = ctx.clips->get(snip, format);
  if (!clip) {
    auto r = error_response(clip.error());
    if (clip.error().code == ErrorCode::Unavailable) r.set_header("Retry-After", "10");
    return r;
  }
  auto r = file_response(clip->path, clip->content_type, request);
  if (r.status != 200 && r.status != 206) return r;
  r.set_header("Content-Disposition", attachment_disposition(clip->download_name));
  r.set_header("Cache-Control", cache_control);
  r.set_header("X-Hark-Clip-Cache", clip->cached ? "hit" : "miss");
  return r;
}

Response shared_clip(const Request& request, Context& ctx, std::string_view format) {
  const auto it = request.params.find("share_id");
  const std::string share_id = it == request.params.end() ? std::string() : it->second;
  auto snip = ctx.app.store().snips().find_shared(share_id);
  if (!snip) return error_response(snip.error());
  // Unknown ids and deleted snips look the same.
  if (!*snip) return error_response(not_found("this snip is not shared (or no longer exists)"));
  return clip_response(ctx, request, **snip, format, "public, max-age=300");
}

}  // namespace

Response handle_snip_clip(const Request& request, Context& ctx) {
  auto id = id_param(request);
  if (!id) return error_response(id.error());
  auto snip = ctx.app.store().snips().find(request.user_id(), *id);
  if (!snip) return error_response(snip.error());
  const std::string format = request.query_value("format").value_or("m4a");
  return clip_response(ctx, request, *snip, format, "private, max-age=300");
}

Response handle_shared_clip_m4a(const Request& request, Context& ctx) {
  return shared_clip(request, ctx, "m4a");
}

Response handle_shared_clip_mp3(const Request& request, Context& ctx) {
  return shared_clip(request, ctx, "mp3");
}

}  // namespace hark::server
