// What handlers share: the application, accounts, the worker and the server's options.
// Handlers get it by reference; everything in it is thread-safe (see each class).
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "app/accounts.hpp"
#include "app/app.hpp"
#include "app/clips.hpp"
#include "app/refresh_schedule.hpp"
#include "app/worker.hpp"
#include "server/artwork.hpp"

namespace hark::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  std::filesystem::path web_dir;
  int http_threads = 256;  // connections served at once (keep-alive and SSE hold one each)
  int workers = 2;
  Millis refresh_interval_ms = 60 * 60'000;  // 0: no scheduled refresh
  int auto_process_recent = 3;
  std::size_t max_json_bytes = 1 << 20;
  std::size_t max_opml_bytes = 5 << 20;
  bool secure_cookies = false;  // also when a proxy says X-Forwarded-Proto: https
  // Where people reach hark ([server] public_url): player and share links start with it.
  std::string public_url = "http://127.0.0.1:8080";
  std::filesystem::path peaks_dir;  // cached waveform peaks; "" : <data>/cache/peaks
  std::filesystem::path clips_dir;  // cached snip clips for download; "" : <data>/cache/clips
  int clip_encoders = 1;            // clips cut at once (each keeps a core busy)
  // Where snips are sent from the web player ([export.readwise] / [export.notion] base_url);
  // each user's token and database are their own settings.
  std::string readwise_base_url = "https://readwise.io";
  std::string notion_base_url = "https://api.notion.com";
  app::AccountOptions accounts;
  app::WorkerOptions worker;  // threads is taken from `workers`
};

// The one-time code that lets the first administrator be created from the browser while
// no account can log in. Thread-safe.
class SetupCode {
 public:
  std::string issue();
  [[nodiscard]] bool active() const;
  // True (and the code is used up) when `code` is the current one.
  bool consume(std::string_view code);

 private:
  mutable std::mutex mutex_;
  std::string code_;  // guarded by mutex_
};

struct Context {
  app::App& app;
  app::Accounts& accounts;
  app::Worker& worker;
  app::RefreshSchedule& schedule;
  const ServerOptions& options;
  SetupCode& setup;
  Millis started_at = 0;
  // Event streams (GET /api/events) open now; shared so a stream can outlive a request.
  std::shared_ptr<std::atomic<int>> open_streams = std::make_shared<std::atomic<int>>(0);
  // Images fetched for browsers that cannot load them (server/artwork.hpp).
  std::shared_ptr<ArtworkCache> artwork = std::make_shared<ArtworkCache>();
  // Snip clips for download (app/clips.hpp); made by Server::create.
  std::shared_ptr<app::ClipCache> clips{};
};

}  // namespace hark::server
