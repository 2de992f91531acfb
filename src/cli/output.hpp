// How the CLI shows things: JSON for scripts (--json), aligned text for people, and a
// progress bar that only appears on a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "store/store.hpp"

namespace hark::cli {

nlohmann::json podcast_json(const Podcast& p);
nlohmann::json episode_json(const Episode& e);

std::string podcasts_table(const std::vector<Podcast>& podcasts);
std::string episodes_table(const std::vector<Episode>& episodes);
// {start_ms, end_ms (null when unknown), title, source, url (null when none)}.
nlohmann::json chapter_json(const Chapter& c);
std::string chapters_table(const std::vector<Chapter>& chapters);
std::string jobs_table(const std::vector<store::Job>& jobs);

// A one-line progress bar on stderr, redrawn at most ~10 times a second. Silent when stderr
// is not a terminal, so logs and pipes stay clean. Not thread-safe: call from one thread.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  void update(std::int64_t done, std::int64_t total, const std::string& item = {});
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

std::string human_bytes(std::int64_t bytes);

}  // namespace hark::cli
