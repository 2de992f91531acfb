// Sending a user's snips to Readwise or Notion from the web player: the settings each user
// saves (store ExportSettingsRepo), an `export` job that runs the same senders as
// `hark export readwise|notion` (senders.hpp) for that user, and what the latest run did
// (counts and the error naming what to fix), recorded on the user's settings.
//
// Thread-safety: stateless apart from the references given; the job's dedupe key keeps
// one export per user and service queued or running at a time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/export_config.hpp"
#include "app/jobs.hpp"
#include "app/senders.hpp"
#include "core/result.hpp"
#include "net/http_client.hpp"
#include "store/store.hpp"

namespace hark::app {

inline constexpr std::string_view kExportJob = "export";

// "readwise" or "notion"; InvalidInput for anything else.
Status check_export_service(std::string_view service);

// Whether the user's settings hold what a run needs (a token; for Notion a database too).
bool export_configured(const store::ExportSettings& settings);

// Queues an export of the user's snips (only `snip_id`'s, when given) to `service` and
// records the job on the settings. A request while one is queued or running for the same
// user, service and snip returns that job. InvalidInput, naming what to fill in, when the
// settings are missing or incomplete; NotFound for a snip that is not the user's.
Result<store::Job> request_export(store::Store& store, Id user_id, const std::string& service,
                                  std::optional<Id> snip_id = std::nullopt);

struct ExportJobOptions {
  // The service addresses ([export.readwise] / [export.notion] base_url in hark.toml);
  // tokens and the database come from each user's settings instead.
  ExportConfig services{};
  SenderOptions sender{};  // public_url and retry; snip_id and progress are set per job
};

// Registers the `export` job kind: it runs the user's export, reports progress and records
// the outcome (also when it fails) with ExportSettingsRepo::record_run.
void register_export_jobs(JobRegistry& registry, store::Store& store, net::HttpClient& http,
                          ExportJobOptions options);

}  // namespace hark::app
