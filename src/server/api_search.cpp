// Search: GET /api/search over the signed-in user's podcasts and snips.
#include "core/time.hpp"
#include "search/hit_json.hpp"
#include "server/api_support.hpp"
#include "server/handlers.hpp"

namespace hark::server {

using nlohmann::json;

namespace {

Result<std::optional<Millis>> date_query(const Request& request, std::string_view name) {
  auto text = request.query_value(name);
  if (!text || text->empty()) return std::optional<Millis>();
  auto at = parse_date(*text);
  if (!at)
    return invalid_input("'" + std::string(name) + "' must be a date (YYYY-MM-DD) or an ISO 8601 " +
                         "date-time, not '" + *text + "'");
  return std::optional<Millis>(*at);
}

json results_json(const app::SearchResponse& response) {
  json results = json::array();
  for (const auto& hit : response.hits) results.push_back(search::hit_json(hit));
  return results;
}

}  // namespace

Response handle_search(const Request& request, Context& ctx) {
  app::SearchRequest search;
  search.query = request.query_value("q").value_or("");
  auto mode = app::parse_search_mode(request.query_value("mode").value_or("hybrid"));
  if (!mode) return error_response(mode.error());
  search.mode = *mode;
  auto limit = int_query(request, "limit", app::kDefaultSearchLimit, app::kMaxSearchLimit);
  if (!limit) return error_response(limit.error());
  search.limit = std::max(*limit, 1);
  search.scope.user_id = request.user_id();
  if (auto podcast = request.query_value("podcast"); podcast && !podcast->empty()) {
    auto id = int_query(request, "podcast", 0, 2'000'000'000);
    if (!id) return error_response(id.error());
    search.scope.podcast_id = *id;
  }
  auto since = date_query(request, "since");
  if (!since) return error_response(since.error());
  search.scope.since = *since;
  auto until = date_query(request, "until");
  if (!until) return error_response(until.error());
  search.scope.until = *until;
  search.scope.speaker = request.query_value("speaker").value_or("");
  auto response = ctx.app.search().search(search);
  if (!response) return error_response(response.error());
  json body = {{"query", search.query},
               {"mode", app::to_string(response->mode)},
               {"results", results_json(*response)},
               {"notice", response->notice.empty() ? json(nullptr) : json(response->notice)},
               // Whether meaning-based search is set up at all (an embedding service is
               // configured; it may still be unreachable): the web page picks its default mode.
               {"semantic_configured", ctx.app.search().semantic_enabled()}};
  return json_response(200, body);
}

Response handle_similar_to_snip(const Request& request, Context& ctx) {
  auto id = id_param(request);
  if (!id) return error_response(id.error());
  auto limit = int_query(request, "limit", 10, app::kMaxSearchLimit);
  if (!limit) return error_response(limit.error());
  auto response = ctx.app.search().similar_to_snip(request.user_id(), *id, std::max(*limit, 1));
  if (!response) return error_response(response.error());
  return json_response(200, {{"results", results_json(*response)}});
}

Response handle_similar_to_range(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  auto start = int_query(request, "start_ms", -1, 2'000'000'000);
  if (!start) return error_response(start.error());
  auto end = int_query(request, "end_ms", -1, 2'000'000'000);
  if (!end) return error_response(end.error());
  if (*start < 0 || *end < *start)
    return error_response(invalid_input("give start_ms and end_ms (end_ms ≥ start_ms)"));
  auto limit = int_query(request, "limit", 10, app::kMaxSearchLimit);
  if (!limit) return error_response(limit.error());
  SearchScope scope;
  scope.user_id = request.user_id();
  auto response =
      ctx.app.search().similar_to_range(scope, episode->id, *start, *end, std::max(*limit, 1));
  if (!response) return error_response(response.error());
  return json_response(200, {{"results", results_json(*response)}});
}

}  // namespace hark::server
