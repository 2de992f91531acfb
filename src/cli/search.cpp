#include "cli/search.hpp"

#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/output.hpp"
#include "core/time.hpp"
#include "search/hit_json.hpp"

namespace hark::cli {
namespace {

void print_hit(const SearchHit& hit, bool tty) {
  const auto snippet = tty ? search::snippet_with(hit.snippet, "\x1b[1m", "\x1b[0m")
                           : search::snippet_with(hit.snippet, "[", "]");
  std::cout << hit.podcast_title << " — " << hit.episode_title << "\n";
  std::cout << "  episode " << hit.episode_id;
  switch (hit.kind) {
    case HitKind::Passage:
      std::cout << " at " << format_clock(hit.start_ms) << "–" << format_clock(hit.end_ms);
      if (!hit.speaker.empty()) std::cout << " (" << hit.speaker << ")";
      break;
    case HitKind::Snip:
      std::cout << " at " << format_clock(hit.start_ms) << "–" << format_clock(hit.end_ms)
                << ", your snip " << hit.ref_id;
      break;
    case HitKind::Episode:
      std::cout << ", title or show notes";
      break;
  }
  std::cout << "\n  " << snippet << "\n\n";
}

// Prints results (JSON with --json; else one block per hit).
void print_response(const app::SearchResponse& response, const nlohmann::json& head,
                    const Options& o, const std::string& nothing) {
  if (o.json) {
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& hit : response.hits) hits.push_back(search::hit_json(hit));
    nlohmann::json out = head;
    out["mode"] = app::to_string(response.mode);
    out["results"] = hits;
    if (!response.notice.empty()) out["notice"] = response.notice;
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (!response.notice.empty()) std::cerr << "note: " << response.notice << "\n";
  if (response.hits.empty()) {
    std::cout << nothing << "\n";
    return;
  }
  const bool tty = isatty(STDOUT_FILENO) != 0;
  for (const auto& hit : response.hits) print_hit(hit, tty);
}

}  // namespace

Status cmd_search(app::App& app, const SearchFlags& flags, const Options& o) {
  app::SearchRequest request;
  request.query = flags.query;
  auto mode = app::parse_search_mode(flags.mode);
  if (!mode) return mode.error();
  request.mode = *mode;
  request.limit = flags.limit;
  request.scope.user_id = app.local_user().id;
  request.scope.podcast_id = flags.podcast;
  request.scope.speaker = flags.speaker;
  if (!flags.since.empty()) {
    auto since = parse_date(flags.since);
    if (!since)
      return invalid_input("--since '" + flags.since +
                           "' is not a date; use YYYY-MM-DD (or an ISO 8601 date-time)");
    request.scope.since = *since;
  }
  auto response = app.search().search(request);
  if (!response) return response.error();
  print_response(*response, {{"query", flags.query}}, o,
                 "Nothing found for \"" + flags.query + "\".");
  return ok();
}

Status cmd_similar(app::App& app, Id snip_id, int limit, const Options& o) {
  auto response = app.search().similar_to_snip(app.local_user().id, snip_id, limit);
  if (!response) return response.error();
  print_response(*response, {{"snip_id", snip_id}}, o, "No similar moments in other episodes yet.");
  return ok();
}

Status cmd_reindex(app::App& app, const Options& o) {
  ProgressBar bar("Indexing");
  auto stats = app.search().reindex([&](int done, int total) { bar.update(done, total); });
  bar.finish();
  if (!stats) return stats.error();
  if (o.json) {
    std::cout << nlohmann::json{{"episodes", stats->episodes},
                                {"passages", stats->passages},
                                {"embedded", stats->embedded}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "Indexed " << stats->episodes << " episode" << (stats->episodes == 1 ? "" : "s")
              << ": " << stats->passages << " passages";
    if (stats->embedded > 0) std::cout << ", " << stats->embedded << " embedded";
    std::cout << "\n";
  }
  return ok();
}

}  // namespace hark::cli
