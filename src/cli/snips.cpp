#include "cli/snips.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "app/snip_json.hpp"
#include "app/snips.hpp"
#include "core/time.hpp"

namespace hark::cli {
namespace {

std::string clock(Millis ms) {
  return format_clock(ms);
}

// The app's shape with times as ISO 8601, for people and scripts reading the output.
nlohmann::json snip_json(const store::Snip& s) {
  auto j = app::snip_json(s);
  j["created_at"] = format_iso8601(s.created_at);
  j["updated_at"] = format_iso8601(s.updated_at);
  return j;
}

void print_bullets(const std::vector<std::string>& items) {
  for (const auto& item : items) std::cout << "  • " << item << "\n";
}

void print_snip(const store::Snip& s) {
  std::cout << s.title << "\n";
  std::cout << "Episode " << s.episode_id << ", " << clock(s.start_ms) << "–" << clock(s.end_ms)
            << "  (snip " << s.id << ")\n";
  if (!s.summary.empty()) std::cout << "\n" << s.summary << "\n";
  if (!s.takeaways.empty()) {
    std::cout << "\nTakeaways:\n";
    print_bullets(s.takeaways);
  }
  if (!s.quote.empty()) {
    std::cout << "\n“" << s.quote << "”";
    if (!s.quote_speaker.empty()) std::cout << " — " << s.quote_speaker;
    std::cout << "\n";
  }
  if (s.engine != "extractive" && !s.engine.empty())
    std::cout << "\nWritten by " << s.engine << "\n";
  if (!s.fallback_reason.empty()) std::cout << "\nNote: " << s.fallback_reason << "\n";
}

// Runs the insights now when the step has not stored them yet (and a transcript exists).
Status ensure_insights(app::App& app, Id episode_id, bool missing) {
  if (!missing) return ok();
  auto outcome = app::compute_insights(app.store(), episode_id,
                                       app.llm_config().highlights ? app.chat_model() : nullptr);
  if (!outcome) return outcome.error();
  if (!outcome->had_transcript) {
    const auto id = std::to_string(episode_id);
    return not_found("episode " + id + " has no transcript yet (run: hark process " + id + ")");
  }
  return ok();
}

}  // namespace

Result<Millis> parse_cli_time(const std::string& text) {
  auto parsed = text.empty() || text.front() == '-' ? std::nullopt : parse_duration(text);
  if (!parsed || *parsed < 0)
    return invalid_input("'" + text +
                         "' is not a time; use seconds (754 or 754.5), mm:ss (12:34) or h:mm:ss "
                         "(1:02:03)");
  return *parsed;
}

Status cmd_snip(app::App& app, const SnipRequest& request, const Options& o) {
  const bool at = !request.at.empty();
  const bool range = !request.from.empty() || !request.to.empty();
  if (at == range) return invalid_input("give either --at TIME, or --from TIME and --to TIME");
  if (range && (request.from.empty() || request.to.empty()))
    return invalid_input("a selection needs both --from and --to");
  auto user = app.store().users().default_user();
  if (!user) return user.error();
  if (!request.llm_url.empty()) HARK_TRY(app.use_llm(request.llm_url, "--llm"));
  app::SnipService service(app.store(), app.snip_writing(/*background=*/false));
  Result<store::Snip> snip = invalid_input("no snip");
  if (at) {
    auto tap = parse_cli_time(request.at);
    if (!tap) return tap.error();
    snip = service.snip_at(user->id, request.episode, *tap);
  } else {
    auto from = parse_cli_time(request.from);
    if (!from) return from.error();
    auto to = parse_cli_time(request.to);
    if (!to) return to.error();
    snip = service.snip_range(user->id, request.episode, *from, *to);
  }
  if (!snip) return snip.error();
  if (o.json) {
    std::cout << snip_json(*snip).dump(2) << "\n";
  } else {
    print_snip(*snip);
  }
  return ok();
}

Status cmd_snips(app::App& app, std::optional<Id> episode, const Options& o) {
  auto user = app.store().users().default_user();
  if (!user) return user.error();
  auto snips = app.store().snips().list(user->id, episode);
  if (!snips) return snips.error();
  if (o.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& s : *snips) j.push_back(snip_json(s));
    std::cout << j.dump(2) << "\n";
    return ok();
  }
  if (snips->empty()) {
    std::cout << "No snips yet (make one: hark snip EPISODE --at 12:34)\n";
    return ok();
  }
  for (const auto& s : *snips) {
    std::cout << s.id << "  episode " << s.episode_id << "  " << clock(s.start_ms) << "–"
              << clock(s.end_ms) << "  " << s.title << "\n";
  }
  return ok();
}

Status cmd_highlights(app::App& app, Id episode_id, const Options& o) {
  auto episode = app.store().episodes().find(episode_id);
  if (!episode) return episode.error();
  auto highlights = app.store().highlights().list(episode_id);
  if (!highlights) return highlights.error();
  if (highlights->empty()) {
    auto summary = app.store().summaries().find(episode_id);
    if (!summary) return summary.error();
    HARK_TRY(ensure_insights(app, episode_id, !summary->has_value()));
    highlights = app.store().highlights().list(episode_id);
    if (!highlights) return highlights.error();
  }
  if (o.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& h : *highlights) {
      j.push_back({{"start_ms", h.start_ms},
                   {"end_ms", h.end_ms},
                   {"title", h.title},
                   {"summary", h.summary},
                   {"score", h.score},
                   {"engine", h.engine}});
    }
    std::cout << j.dump(2) << "\n";
    return ok();
  }
  if (highlights->empty()) {
    std::cout << "Episode " << episode_id
              << " has no highlights (its transcript has no timings or is too short)\n";
    return ok();
  }
  for (const auto& h : *highlights) {
    std::cout << clock(h.start_ms) << "–" << clock(h.end_ms) << "  " << h.title << "\n";
    if (!h.summary.empty()) std::cout << "    " << h.summary << "\n";
  }
  return ok();
}

Status cmd_summary(app::App& app, Id episode_id, const Options& o) {
  auto episode = app.store().episodes().find(episode_id);
  if (!episode) return episode.error();
  auto summary = app.store().summaries().find(episode_id);
  if (!summary) return summary.error();
  if (!*summary) {
    HARK_TRY(ensure_insights(app, episode_id, true));
    summary = app.store().summaries().find(episode_id);
    if (!summary) return summary.error();
    if (!*summary) {
      return not_found("episode " + std::to_string(episode_id) +
                       " has no transcript text to summarise");
    }
  }
  const auto& s = **summary;
  if (o.json) {
    nlohmann::json j = {{"episode_id", s.episode_id},
                        {"abstract", s.abstract},
                        {"takeaways", s.takeaways},
                        {"engine", s.engine},
                        {"created_at", format_iso8601(s.created_at)}};
    std::cout << j.dump(2) << "\n";
    return ok();
  }
  std::cout << episode->title << "\n\n" << s.abstract << "\n";
  if (!s.takeaways.empty()) {
    std::cout << "\nTakeaways:\n";
    print_bullets(s.takeaways);
  }
  return ok();
}

}  // namespace hark::cli
