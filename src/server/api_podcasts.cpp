// Subscriptions: list, subscribe, OPML in and out, refresh, unsubscribe, episodes.
#include <utility>

#include "app/refresh_schedule.hpp"
#include "server/api_support.hpp"
#include "server/handlers.hpp"

namespace hark::server {

using nlohmann::json;

namespace {

// Queues the newest of `added` for processing and wakes the worker; how many were queued.
int queue_new_episodes(Context& ctx, Id podcast_id, const std::vector<Id>& added) {
  auto jobs =
      app::enqueue_recent(ctx.app.store(), podcast_id, added, ctx.options.auto_process_recent);
  if (!jobs || jobs->empty()) return 0;
  ctx.worker.notify();
  return static_cast<int>(jobs->size());
}

}  // namespace

Response handle_list_podcasts(const Request& request, Context& ctx) {
  auto podcasts = ctx.app.store().podcasts().list(request.user_id());
  if (!podcasts) return error_response(podcasts.error());
  Response r;
  r.body.reserve(podcasts->size() * 1024 + 16);
  r.body += "{\"podcasts\":[";
  for (std::size_t i = 0; i < podcasts->size(); ++i) {
    if (i > 0) r.body += ',';
    write_podcast_json(r.body, (*podcasts)[i]);
  }
  r.body += "]}";
  return r;
}

Response handle_subscribe(const Request& request, Context& ctx) {
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto url = string_member(*body, "url");
  if (!url) return error_response(url.error());
  if (!*url || (*url)->empty())
    return error_response(invalid_input("send {\"url\": \"https://...\"}"));
  auto result = ctx.app.library().subscribe(**url, request.user_id());
  if (!result) return error_response(result.error());
  const int queued = queue_new_episodes(ctx, result->podcast.id, result->episodes.added_ids);
  auto podcast = ctx.app.store().podcasts().find(result->podcast.id);
  return json_response(201, {{"podcast", podcast_json(podcast ? *podcast : result->podcast)},
                             {"already_known", result->already_known},
                             {"added", result->episodes.added},
                             {"queued", queued},
                             {"warnings", result->warnings}});
}

Response handle_import_opml(const Request& request, Context& ctx) {
  auto result = ctx.app.library().import_opml(request.body, request.user_id());
  if (!result) return error_response(result.error());
  json added = json::array();
  int queued = 0;
  for (const auto& a : result->added) {
    added.push_back(podcast_json(a.podcast));
    queued += queue_new_episodes(ctx, a.podcast.id, a.episodes.added_ids);
  }
  json failed = json::array();
  for (const auto& [url, error] : result->failed)
    failed.push_back({{"feed_url", url}, {"error", error}});
  return json_response(200, {{"added", added}, {"failed", failed}, {"queued", queued}});
}

Response handle_export_opml(const Request& request, Context& ctx) {
  auto opml = ctx.app.library().export_opml(request.user_id());
  if (!opml) return error_response(opml.error());
  Response r;
  r.content_type = "text/x-opml; charset=utf-8";
  r.body = std::move(*opml);
  r.set_header("Content-Disposition", "attachment; filename=\"hark-subscriptions.opml\"");
  return r;
}

Response handle_refresh_all(const Request& request, Context& ctx) {
  auto results = ctx.app.library().refresh_all(request.user_id());
  if (!results) return error_response(results.error());
  json list = json::array();
  int queued = 0;
  for (const auto& r : *results) {
    auto j = refresh_json(r);
    const int q = queue_new_episodes(ctx, r.podcast_id, r.episodes.added_ids);
    j["queued"] = q;
    queued += q;
    list.push_back(j);
  }
  return json_response(200, {{"results", list}, {"queued", queued}});
}

Response handle_get_podcast(const Request& request, Context& ctx) {
  auto podcast = visible_podcast(ctx, request);
  if (!podcast) return error_response(podcast.error());
  return json_response(200, podcast_json(*podcast));
}

Response handle_unsubscribe(const Request& request, Context& ctx) {
  auto podcast = visible_podcast(ctx, request);
  if (!podcast) return error_response(podcast.error());
  if (auto s = ctx.app.store().subscriptions().unsubscribe(request.user_id(), podcast->id); !s)
    return error_response(s.error());
  return no_content();
}

Response handle_refresh_podcast(const Request& request, Context& ctx) {
  auto podcast = visible_podcast(ctx, request);
  if (!podcast) return error_response(podcast.error());
  const auto result = ctx.app.library().refresh(podcast->id);
  auto j = refresh_json(result);
  j["queued"] = queue_new_episodes(ctx, podcast->id, result.episodes.added_ids);
  auto now = ctx.app.store().podcasts().find(podcast->id);
  if (now) j["podcast"] = podcast_json(*now);
  return json_response(200, j);
}

Response handle_list_podcast_episodes(const Request& request, Context& ctx) {
  auto podcast = visible_podcast(ctx, request);
  if (!podcast) return error_response(podcast.error());
  auto limit = int_query(request, "limit", 50, 500);
  if (!limit) return error_response(limit.error());
  auto offset = int_query(request, "offset", 0, 1'000'000'000);
  if (!offset) return error_response(offset.error());
  auto cursor = cursor_query(request);
  if (!cursor) return error_response(cursor.error());
  if (*cursor && *offset > 0)
    return error_response(invalid_input("send either 'cursor' or 'offset', not both"));
  auto& repo = ctx.app.store().episodes();
  auto episodes = *cursor ? repo.page_after(podcast->id, *limit, **cursor)
                          : repo.page(podcast->id, *limit, *offset);
  if (!episodes) return error_response(episodes.error());
  auto list = episode_list_text(ctx, request.user_id(), *episodes);
  if (!list) return error_response(list.error());
  return episode_list_response(*list, {{"total", podcast->episode_count},
                                       {"limit", *limit},
                                       {"offset", *offset},
                                       {"next_cursor", next_cursor_json(*episodes, *limit)}});
}

}  // namespace hark::server
