#include "app/export_jobs.hpp"

#include <nlohmann/json.hpp>

#include "core/time.hpp"

namespace hark::app {
namespace {

using Json = nlohmann::json;

std::string service_name(std::string_view service) {
  return service == "notion" ? "Notion" : "Readwise";
}

// The settings with the web player's names for where each is set, for the senders' errors.
ExportConfig config_for(const ExportConfig& services, const store::ExportSettings& s) {
  ExportConfig c = services;
  c.readwise_token = s.service == "readwise" ? s.token : "";
  c.notion_token = s.service == "notion" ? s.token : "";
  c.notion_database_id = s.database_id;
  c.notion_page_per_episode = s.page_per_episode;
  c.readwise_token_setting = "the Readwise access token in hark's Settings → Send snips";
  c.notion_token_setting = "the Notion integration token in hark's Settings → Send snips";
  c.notion_database_setting = "the Notion database id in hark's Settings → Send snips";
  return c;
}

struct Payload {
  Id user_id = 0;
  std::string service;
  std::optional<Id> snip_id;
};

Result<Payload> payload_of(const store::Job& job) {
  const auto j = Json::parse(job.payload, nullptr, false);
  Payload p;
  if (j.is_object() && j.contains("user_id") && j["user_id"].is_number_integer() &&
      j.contains("service") && j["service"].is_string()) {
    p.user_id = j["user_id"].get<Id>();
    p.service = j["service"].get<std::string>();
    if (j.contains("snip_id") && j["snip_id"].is_number_integer())
      p.snip_id = j["snip_id"].get<Id>();
    if (check_export_service(p.service)) return p;
  }
  return invalid_input("the payload of export job " + std::to_string(job.id) +
                       " names no user and service: " + job.payload);
}

Result<std::vector<store::Job>> run_export(store::Store& store, net::HttpClient& http,
                                           const ExportJobOptions& options, JobContext& context) {
  auto p = payload_of(context.job);
  if (!p) return p.error();
  auto settings = store.export_settings().find(p->user_id, p->service);
  if (!settings) return settings.error();
  if (!*settings)
    return invalid_input("the " + service_name(p->service) +
                         " settings were removed before the export ran");
  const ExportConfig config = config_for(options.services, **settings);

  SyncOutcome so_far;
  std::optional<std::size_t> total;
  SenderOptions sender = options.sender;
  sender.snip_id = p->snip_id;
  sender.progress = [&](const SyncOutcome& done, std::size_t of) -> Status {
    so_far = done;
    total = of;
    const int n = done.created + done.updated + done.unchanged;
    return context.report(of == 0 ? 1.0 : static_cast<double>(n) / static_cast<double>(of),
                          std::to_string(n) + " of " + std::to_string(of) + " snips");
  };
  auto outcome = p->service == "notion" ? export_notion(store, http, p->user_id, config, sender)
                                        : export_readwise(store, http, p->user_id, config, sender);

  store::ExportRun run;
  run.at = now_ms();
  if (outcome) {
    run.sent = outcome->created;
    run.updated = outcome->updated;
    run.unchanged = outcome->unchanged;
  } else {
    run.sent = so_far.created;
    run.updated = so_far.updated;
    run.unchanged = so_far.unchanged;
    if (!total) {
      // Stopped before the first snip (the token, the database): none of them went.
      if (p->snip_id) {
        total = 1;
      } else {
        auto snips = store.snips().list(p->user_id);
        total = snips ? snips->size() : 0;
      }
    }
    run.failed = static_cast<int>(*total) - run.sent - run.updated - run.unchanged;
    run.error = outcome.error().message;
  }
  // NotFound: the settings were removed while it ran; nothing to record then.
  auto recorded = store.export_settings().record_run(p->user_id, p->service, run);
  if (!recorded && recorded.error().code != ErrorCode::NotFound) return recorded.error();
  if (!outcome) return outcome.error();
  return std::vector<store::Job>{};
}

}  // namespace

Status check_export_service(std::string_view service) {
  if (service == "readwise" || service == "notion") return ok();
  return invalid_input("unknown export service '" + std::string(service) +
                       "' (readwise or notion)");
}

bool export_configured(const store::ExportSettings& s) {
  if (s.token.empty()) return false;
  return s.service != "notion" || !s.database_id.empty();
}

Result<store::Job> request_export(store::Store& store, Id user_id, const std::string& service,
                                  std::optional<Id> snip_id) {
  HARK_TRY(check_export_service(service));
  auto settings = store.export_settings().find(user_id, service);
  if (!settings) return settings.error();
  const std::string name = service_name(service);
  if (!*settings || (*settings)->token.empty())
    return invalid_input("no " + name + " token yet: add it in Settings → Send snips");
  if (!export_configured(**settings))
    return invalid_input("no Notion database yet: add its id in Settings → Send snips");
  if (snip_id) {
    auto snip = store.snips().find(user_id, *snip_id);
    if (!snip) return snip.error();
  }
  store::Job job;
  job.kind = std::string(kExportJob);
  Json payload = {{"user_id", user_id}, {"service", service}};
  job.dedupe_key = "export:" + service + ":" + std::to_string(user_id);
  if (snip_id) {
    payload["snip_id"] = *snip_id;
    job.dedupe_key += ":" + std::to_string(*snip_id);
  }
  job.payload = payload.dump();
  // A failure is shown to the user with what to fix; asking again is their retry (what was
  // sent is remembered), so the queue does not repeat a refused token.
  job.max_attempts = 1;
  auto queued = store.jobs().enqueue(job);
  if (!queued) return queued.error();
  HARK_TRY(store.export_settings().set_job(user_id, service, queued->id));
  return queued;
}

void register_export_jobs(JobRegistry& registry, store::Store& store, net::HttpClient& http,
                          ExportJobOptions options) {
  registry.add(std::string(kExportJob),
               [&store, &http, options = std::move(options)](JobContext& context) {
                 return run_export(store, http, options, context);
               });
}

}  // namespace hark::app
