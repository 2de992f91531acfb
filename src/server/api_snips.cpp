// Snips (a user's saved moments): create at a tap time or from a selection, list (all or
// one episode's), read, retitle / annotate, delete, share; an episode's highlights and
// summary. Every snip belongs to one user: another user's snip is answered like a missing
// one (404). Creating needs an episode the user can see.
#include <map>

#include "app/snips.hpp"
#include "server/api_support.hpp"
#include "server/artwork.hpp"
#include "server/handlers.hpp"

namespace hark::server {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxTitle = 300;
constexpr std::size_t kMaxNote = 20'000;

Result<Id> snip_id(const Request& request) {
  return id_param(request);
}

// Episode and podcast facts a snip card shows, looked up once per episode.
class EpisodeCards {
 public:
  explicit EpisodeCards(store::Store& store) : store_(store) {}
  json operator()(Id episode_id) {
    auto it = cache_.find(episode_id);
    if (it != cache_.end()) return it->second;
    json card = nullptr;
    if (auto e = store_.episodes().find(episode_id)) {
      card = {{"id", e->id},
              {"title", e->title},
              {"podcast_id", e->podcast_id},
              {"image_url", episode_image_src(*e, nullptr)},
              {"podcast_title", ""}};
      if (auto p = store_.podcasts().find(e->podcast_id)) {
        card["podcast_title"] = p->title;
        card["image_url"] = episode_image_src(*e, &*p);
      }
    }
    cache_.emplace(episode_id, card);
    return card;
  }

 private:
  store::Store& store_;
  std::map<Id, json> cache_;
};

json snip_with_episode(const store::Snip& snip, EpisodeCards& cards) {
  auto j = snip_json(snip);
  j["episode"] = cards(snip.episode_id);
  return j;
}

}  // namespace

Response handle_list_snips(const Request& request, Context& ctx) {
  std::optional<Id> episode;
  if (const auto v = request.query_value("episode_id"); v && !v->empty()) {
    Request probe;
    probe.params.emplace("id", *v);
    auto id = id_param(probe);
    if (!id) return error_response(invalid_input("'episode_id' must be an episode id"));
    episode = *id;
  }
  auto snips = ctx.app.store().snips().list(request.user_id(), episode);
  if (!snips) return error_response(snips.error());
  EpisodeCards cards(ctx.app.store());
  json list = json::array();
  for (const auto& s : *snips) list.push_back(snip_with_episode(s, cards));
  return json_response(200, {{"snips", list}});
}

Response handle_create_snip(const Request& request, Context& ctx) {
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto episode_id = int_member(*body, "episode_id");
  if (!episode_id) return error_response(episode_id.error());
  auto at = int_member(*body, "at_ms");
  if (!at) return error_response(at.error());
  auto start = int_member(*body, "start_ms");
  if (!start) return error_response(start.error());
  auto end = int_member(*body, "end_ms");
  if (!end) return error_response(end.error());
  auto note = string_member(*body, "note");
  if (!note) return error_response(note.error());
  if (!*episode_id)
    return error_response(invalid_input(
        R"(send {"episode_id": N, "at_ms": T} or {"episode_id": N, "start_ms": A, "end_ms": B})"));
  const bool tap = at->has_value();
  const bool range = start->has_value() || end->has_value();
  if (tap == range)
    return error_response(
        invalid_input("give either 'at_ms' (a tap) or both 'start_ms' and 'end_ms' (a selection)"));
  if (range && !(start->has_value() && end->has_value()))
    return error_response(invalid_input("a selection needs both 'start_ms' and 'end_ms'"));
  if (*note && (*note)->size() > kMaxNote)
    return error_response(invalid_input("a note can be at most 20,000 bytes"));

  auto& store = ctx.app.store();
  auto visible = store.subscriptions().can_see_episode(request.user_id(), **episode_id);
  if (!visible) return error_response(visible.error());
  if (!*visible)
    return error_response(not_found("no episode with id " + std::to_string(**episode_id)));

  // With a language model the snip is stored extractive now and rewritten by a job.
  app::SnipService service(store, ctx.app.snip_writing(/*background=*/true));
  auto snip = tap ? service.snip_at(request.user_id(), **episode_id, **at)
                  : service.snip_range(request.user_id(), **episode_id, **start, **end);
  if (!snip) return error_response(snip.error());
  ctx.worker.notify();  // a queued model rewrite starts now rather than at the next poll
  if (*note && !(*note)->empty()) {
    auto annotated = store.snips().update_text(request.user_id(), snip->id, std::nullopt, **note);
    if (!annotated) return error_response(annotated.error());
    snip = std::move(*annotated);
  }
  EpisodeCards cards(store);
  auto r = json_response(201, snip_with_episode(*snip, cards));
  r.set_header("Location", "/api/snips/" + std::to_string(snip->id));
  return r;
}

Response handle_get_snip(const Request& request, Context& ctx) {
  auto id = snip_id(request);
  if (!id) return error_response(id.error());
  auto snip = ctx.app.store().snips().find(request.user_id(), *id);
  if (!snip) return error_response(snip.error());
  EpisodeCards cards(ctx.app.store());
  return json_response(200, snip_with_episode(*snip, cards));
}

Response handle_update_snip(const Request& request, Context& ctx) {
  auto id = snip_id(request);
  if (!id) return error_response(id.error());
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto title = string_member(*body, "title");
  if (!title) return error_response(title.error());
  auto note = string_member(*body, "note");
  if (!note) return error_response(note.error());
  if (!*title && !*note) return error_response(invalid_input("send 'title' and/or 'note'"));
  if (*title) {
    if ((*title)->find_first_not_of(" \t\r\n") == std::string::npos)
      return error_response(invalid_input("a snip's title cannot be empty"));
    if ((*title)->size() > kMaxTitle)
      return error_response(invalid_input("a title can be at most 300 bytes"));
  }
  if (*note && (*note)->size() > kMaxNote)
    return error_response(invalid_input("a note can be at most 20,000 bytes"));
  auto snip = ctx.app.store().snips().update_text(request.user_id(), *id, *title, *note);
  if (!snip) return error_response(snip.error());
  EpisodeCards cards(ctx.app.store());
  return json_response(200, snip_with_episode(*snip, cards));
}

Response handle_delete_snip(const Request& request, Context& ctx) {
  auto id = snip_id(request);
  if (!id) return error_response(id.error());
  auto removed = app::SnipService(ctx.app.store()).remove(request.user_id(), *id);
  if (!removed) return error_response(removed.error());
  if (ctx.clips) ctx.clips->forget(*id);  // its cached audio clips go with it
  return no_content();
}

Response handle_share_snip(const Request& request, Context& ctx) {
  auto id = snip_id(request);
  if (!id) return error_response(id.error());
  app::SnipService service(ctx.app.store());
  auto snip = service.share(request.user_id(), *id);
  if (!snip) return error_response(snip.error());
  EpisodeCards cards(ctx.app.store());
  auto j = snip_with_episode(*snip, cards);
  j["share_url_absolute"] = public_base_url(ctx, request) + "/s/" + *snip->share_id;
  return json_response(200, j);
}

Response handle_unshare_snip(const Request& request, Context& ctx) {
  auto id = snip_id(request);
  if (!id) return error_response(id.error());
  auto snip = ctx.app.store().snips().clear_share_id(request.user_id(), *id);
  if (!snip) return error_response(snip.error());
  EpisodeCards cards(ctx.app.store());
  return json_response(200, snip_with_episode(*snip, cards));
}

Response handle_get_highlights(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  auto highlights = ctx.app.store().highlights().list(episode->id);
  if (!highlights) return error_response(highlights.error());
  json list = json::array();
  for (const auto& h : *highlights) list.push_back(highlight_json(h));
  return json_response(200, {{"episode_id", episode->id}, {"highlights", list}});
}

Response handle_get_summary(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  auto summary = ctx.app.store().summaries().find(episode->id);
  if (!summary) return error_response(summary.error());
  if (!*summary)
    return error_response(not_found("episode " + std::to_string(episode->id) +
                                    " has no summary yet (it is made after the transcript)"));
  return json_response(200, summary_json(**summary));
}

}  // namespace hark::server
