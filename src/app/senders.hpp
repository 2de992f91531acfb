// Sending snips to Readwise and Notion, remembering what was sent (store export_state), so
// a re-run sends only new snips and updates for changed ones, and a run that stops midway
// (a 500, the network) resumes where it stopped without duplicating anything.
//
// Errors name what to fix (a missing token, a database that is gone). Thread-safety: one
// export per user at a time (two concurrent runs could both create an item).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "app/export_config.hpp"
#include "core/result.hpp"
#include "export/http_retry.hpp"
#include "export/readwise.hpp"
#include "net/http_client.hpp"
#include "store/store.hpp"

namespace hark::app {

struct SyncOutcome {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

struct SenderOptions {
  std::string public_url = "http://127.0.0.1:8080";
  exports::RetryPolicy retry{};
  // Only this snip (with Notion's page per episode: the page of its episode, whole).
  std::optional<Id> snip_id{};
  // Told after each item what was done so far of `total`; an error (Cancelled: the job is
  // stopping) stops the export there, as a failed request would.
  std::function<Status(const SyncOutcome& so_far, std::size_t total)> progress{};
};

inline constexpr std::string_view kReadwiseTarget = "readwise";

// The user's snips (of one episode, when given) with their episode and podcast, oldest
// first: what every sender and feed formats.
Result<std::vector<exports::SnipContext>> load_snip_contexts(
    store::Store& store, Id user_id, const std::string& public_url,
    std::optional<Id> episode_id = std::nullopt);

Result<SyncOutcome> export_readwise(store::Store& store, net::HttpClient& http, Id user_id,
                                    const ExportConfig& config, const SenderOptions& options);

// The target name for a Notion database: "notion:<database id>".
std::string notion_target(const std::string& database_id);

Result<SyncOutcome> export_notion(store::Store& store, net::HttpClient& http, Id user_id,
                                  const ExportConfig& config, const SenderOptions& options);

}  // namespace hark::app
