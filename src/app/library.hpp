// Library use cases: subscribe, refresh, OPML import/export, episode downloads.
// The only place where fetching (net), parsing (feed) and saving (store) meet.
//
// Thread-safety: a Library may be used from several threads at once (the store and the
// HTTP client are thread-safe; the Library holds no mutable state of its own).
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "feed/opml.hpp"
#include "net/http_client.hpp"
#include "store/store.hpp"

namespace hark::app {

struct LibraryOptions {
  std::filesystem::path media_dir;  // downloads go to <media_dir>/<podcast id>/
  int refresh_concurrency = 16;
  int refresh_per_host = 4;
  bool allow_local_files = false;  // plain paths as feed addresses (CLI only)
};

struct SubscribeResult {
  Podcast podcast;
  store::UpsertCounts episodes;
  bool already_known = false;  // the feed was in the library already (now subscribed)
  std::vector<std::string> warnings;
};

enum class RefreshOutcome { Updated, NotModified, Failed };

struct RefreshResult {
  Id podcast_id = 0;
  std::string feed_url;
  RefreshOutcome outcome = RefreshOutcome::Failed;
  store::UpsertCounts episodes;
  std::string error;     // when Failed: what went wrong, in words a person understands
  std::string moved_to;  // set when the feed announced itunes:new-feed-url and we followed
  std::vector<std::string> warnings;
};

struct ImportResult {
  std::vector<SubscribeResult> added;
  std::vector<std::pair<std::string, std::string>> failed;  // url, error
};

// Progress: items done, items total, the item just finished (feed URL or title).
using ProgressCallback = std::function<void(int done, int total, const std::string& item)>;

class Library {
 public:
  Library(store::Store& store, net::HttpClient& http, LibraryOptions options);

  // Fetches and parses the feed, then stores the podcast and its episodes and subscribes
  // `user_id`. Nothing is stored when fetching or parsing fails.
  Result<SubscribeResult> subscribe(const std::string& url_or_path, Id user_id);

  // Conditional GET; records the outcome (and any error) on the podcast either way.
  RefreshResult refresh(Id podcast_id);
  // Refreshes every podcast (or `user_id`'s subscriptions) in parallel with a per-host limit.
  Result<std::vector<RefreshResult>> refresh_all(std::optional<Id> user_id,
                                                 const ProgressCallback& progress = {});

  Result<ImportResult> import_opml(std::string_view opml, Id user_id,
                                   const ProgressCallback& progress = {});
  Result<std::string> export_opml(std::optional<Id> user_id);

  // Downloads the episode's enclosure into the media directory (resuming a partial one).
  Result<Episode> download(Id episode_id, const net::ProgressFn& progress = {});

  // Turns what a user typed into a feed URL: a URL stays as is (scheme added when missing);
  // an existing local path becomes a file:// URL when local files are allowed.
  Result<std::string> resolve_feed_address(const std::string& url_or_path) const;

 private:
  struct Fetched;
  Result<Fetched> fetch_once(const std::string& url, const Podcast* known);
  Result<Fetched> fetch_feed(const std::string& url, const Podcast* known);
  RefreshResult refresh_podcast(Podcast podcast);

  store::Store& store_;
  net::HttpClient& http_;
  LibraryOptions options_;
};

}  // namespace hark::app
