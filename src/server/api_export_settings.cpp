// Sending snips to Readwise and Notion from the web player: each user's settings (tokens
// are write-only: the API says whether one is set and shows its last four characters), a
// route that queues the export job (app/export_jobs.hpp; the same senders as the CLI), and
// how the latest run went.
#include <cctype>

#include "app/export_jobs.hpp"
#include "core/text.hpp"
#include "server/api_support.hpp"
#include "server/handlers.hpp"

namespace hark::server {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxToken = 500;

Result<std::string> service_param(const Request& request) {
  const auto it = request.params.find("service");
  const std::string service = it == request.params.end() ? std::string() : it->second;
  HARK_TRY(app::check_export_service(service));
  return service;
}

// Readwise and Notion show their tokens once; the last four characters let a user tell
// which one is saved without showing it (only for tokens long enough to keep a secret).
json token_json(const std::string& token) {
  if (token.empty()) return nullptr;
  json t = {{"set", true}};
  if (token.size() >= 16) t["last4"] = token.substr(token.size() - 4);
  return t;
}

json job_json(Context& ctx, Id job_id) {
  if (job_id == 0) return nullptr;
  auto job = ctx.app.store().jobs().find(job_id);
  if (!job) return nullptr;  // pruned
  return {{"id", job->id},
          {"state", std::string(store::to_string(job->state))},
          {"progress", job->progress},
          {"message", job->progress_message}};
}

json settings_json(Context& ctx, Id user_id, const std::string& service) {
  json out = {{"service", service}, {"configured", false}, {"token", nullptr}};
  if (service == "notion") {
    out["database_id"] = "";
    out["page_per"] = "snip";
  }
  auto found = ctx.app.store().export_settings().find(user_id, service);
  if (!found || !*found) {
    out["job"] = nullptr;
    out["last_run"] = nullptr;
    return out;
  }
  const auto& s = **found;
  out["configured"] = app::export_configured(s);
  out["token"] = token_json(s.token);
  if (service == "notion") {
    out["database_id"] = s.database_id;
    out["page_per"] = s.page_per_episode ? "episode" : "snip";
  }
  out["job"] = job_json(ctx, s.job_id);
  const auto& run = s.last_run;
  if (run.at == 0) {
    out["last_run"] = nullptr;
  } else {
    out["last_run"] = {{"at", run.at},           {"sent", run.sent},
                       {"updated", run.updated}, {"unchanged", run.unchanged},
                       {"failed", run.failed},   {"error", run.error}};
  }
  return out;
}

std::string token_name(const std::string& service) {
  return service == "notion" ? "Notion integration token" : "Readwise token";
}

Result<std::string> clean_token(const std::string& raw, const std::string& service) {
  std::string token(text::trim(raw));
  const std::string name = token_name(service);
  if (token.empty())
    return invalid_input("the " + name +
                         " is empty; paste it, or remove the settings to forget the old one");
  if (token.size() > kMaxToken) return invalid_input("the " + name + " is too long to be one");
  for (const unsigned char c : token)
    if (c <= ' ' || c == 0x7f)
      return invalid_input("the " + name +
                           " has spaces or control characters in it; paste "
                           "only the token");
  return token;
}

// A database id as Notion shows it: 32 hexadecimal digits, with or without dashes, alone
// or at the end of the database's link (before any "?v=...").
Result<std::string> clean_database_id(const std::string& raw) {
  std::string text = raw.substr(0, raw.find('?'));
  std::string run, last;
  for (const char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      run += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (run.size() == 32) last = run;
    } else if (c != '-') {
      run.clear();
    }
  }
  if (last.empty() || run.size() != 32)
    return invalid_input(
        "that is not a Notion database id: paste the database's link, or the 32 letters and "
        "digits in it (0-9, a-f)");
  return last;
}

}  // namespace

Response handle_get_export_settings(const Request& request, Context& ctx) {
  return json_response(200, {{"readwise", settings_json(ctx, request.user_id(), "readwise")},
                             {"notion", settings_json(ctx, request.user_id(), "notion")}});
}

Response handle_put_export_settings(const Request& request, Context& ctx) {
  auto service = service_param(request);
  if (!service) return error_response(service.error());
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto token = string_member(*body, "token");
  if (!token) return error_response(token.error());
  auto database = string_member(*body, "database_id");
  if (!database) return error_response(database.error());
  auto page_per = string_member(*body, "page_per");
  if (!page_per) return error_response(page_per.error());
  if (*service == "readwise" && (*database || *page_per))
    return error_response(invalid_input("Readwise takes only a 'token'"));

  auto& repo = ctx.app.store().export_settings();
  auto found = repo.find(request.user_id(), *service);
  if (!found) return error_response(found.error());
  store::ExportSettings s = found->value_or(store::ExportSettings{});
  s.user_id = request.user_id();
  s.service = *service;
  if (*token) {
    auto clean = clean_token(**token, *service);
    if (!clean) return error_response(clean.error());
    s.token = std::move(*clean);
  } else if (s.token.empty()) {
    return error_response(invalid_input("paste the " + token_name(*service) + " first"));
  }
  if (*database) {
    auto clean = clean_database_id(**database);
    if (!clean) return error_response(clean.error());
    s.database_id = std::move(*clean);
  }
  if (*page_per) {
    if (**page_per != "snip" && **page_per != "episode")
      return error_response(invalid_input("'page_per' must be \"snip\" or \"episode\""));
    s.page_per_episode = **page_per == "episode";
  }
  if (auto saved = repo.save(s); !saved) return error_response(saved.error());
  return json_response(200, settings_json(ctx, request.user_id(), *service));
}

Response handle_delete_export_settings(const Request& request, Context& ctx) {
  auto service = service_param(request);
  if (!service) return error_response(service.error());
  auto removed = ctx.app.store().export_settings().remove(request.user_id(), *service);
  if (!removed) return error_response(removed.error());
  return no_content();
}

Response handle_run_export(const Request& request, Context& ctx) {
  auto service = service_param(request);
  if (!service) return error_response(service.error());
  std::optional<Id> snip_id;
  if (!request.body.empty()) {
    auto body = json_body(request);
    if (!body) return error_response(body.error());
    auto id = int_member(*body, "snip_id");
    if (!id) return error_response(id.error());
    if (*id) snip_id = **id;
  }
  auto job = app::request_export(ctx.app.store(), request.user_id(), *service, snip_id);
  if (!job) return error_response(job.error());
  ctx.worker.notify();
  return json_response(202, settings_json(ctx, request.user_id(), *service));
}

}  // namespace hark::server
