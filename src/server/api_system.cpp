// Jobs, feed health and the server's status.
#include "core/time.hpp"
#include "server/api_support.hpp"
#include "server/handlers.hpp"

namespace hark::server {

using nlohmann::json;

Response handle_list_jobs(const Request& request, Context& ctx) {
  auto limit = int_query(request, "limit", 100, 1000);
  if (!limit) return error_response(limit.error());
  // Who sees which job (shared jobs by subscription, a user's own jobs to them alone) is
  // the store's rule, applied in SQL: see JobRepo::list_visible_to.
  auto jobs = ctx.app.store().jobs().list_visible_to(request.user_id(),
                                                     request.principal->user.is_admin, *limit);
  if (!jobs) return error_response(jobs.error());
  json list = json::array();
  for (const auto& job : *jobs) list.push_back(job_json(job));
  return json_response(200, {{"jobs", list}});
}

Response handle_feed_settings(const Request& request, Context& ctx) {
  auto podcasts = ctx.app.store().podcasts().list(request.user_id());
  if (!podcasts) return error_response(podcasts.error());
  json feeds = json::array();
  for (const auto& p : *podcasts) {
    feeds.push_back(
        {{"podcast_id", p.id},
         {"title", p.title},
         {"feed_url", p.feed_url},
         {"last_fetched_at", p.last_fetched_at ? json(*p.last_fetched_at) : json(nullptr)},
         {"last_success_at", p.last_success_at ? json(*p.last_success_at) : json(nullptr)},
         {"last_error", p.last_error},
         {"ok", p.last_error.empty()}});
  }
  return json_response(200, {{"feeds", feeds}});
}

Response handle_status(const Request&, Context& ctx) {
  const auto totals = ctx.worker.totals();
  const auto& schedule = ctx.schedule;
  json last = nullptr;
  if (auto round = schedule.last_round()) {
    last = {{"started_at", round->started_at},
            {"finished_at", round->finished_at},
            {"feeds", round->feeds},
            {"failed", round->failed},
            {"new_episodes", round->new_episodes},
            {"queued", round->queued},
            {"error", round->error}};
  }
  const Millis next = schedule.next_round_at();
  json j = {
      {"version", "0.1.0"},
      {"schema_version", ctx.app.store().schema_version()},
      {"started_at", ctx.started_at},
      {"uptime_ms", now_ms() - ctx.started_at},
      {"worker",
       {{"threads", ctx.options.workers},
        {"done", totals.done},
        {"retrying", totals.retrying},
        {"failed", totals.failed},
        {"released", totals.released}}},
      {"refresh",
       {{"interval_minutes", ctx.options.refresh_interval_ms / 60'000},
        {"auto_process_recent", ctx.options.auto_process_recent},
        {"next_round_at", next > 0 ? json(next) : json(nullptr)},
        {"last_round", last}}},
      {"network",
       {{"allow_private_networks", ctx.app.config().allow_private_networks.value_or(false)}}},
      // Speech and language model services appear here once hark's configuration knows
      // them ([asr], [llm]); until then the built-in engines do all the work.
      {"services", json::array()},
  };
  return json_response(200, j);
}

}  // namespace hark::server
