#include "cli/output.hpp"

#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/jobs.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

namespace hark::cli {

nlohmann::json podcast_json(const Podcast& p) {
  return {{"id", p.id},
          {"title", p.title},
          {"feed_url", p.feed_url},
          {"episodes", p.episode_count},
          {"last_error",
           p.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.last_error)}};
}

nlohmann::json episode_json(const Episode& e) {
  nlohmann::json transcripts = nlohmann::json::array();
  for (const auto& t : e.transcripts)
    transcripts.push_back({{"url", t.url}, {"type", t.type}, {"language", t.language}});
  return {{"id", e.id},
          {"podcast_id", e.podcast_id},
          {"guid", e.guid},
          {"title", e.title},
          {"published", e.published_at ? nlohmann::json(format_iso8601(*e.published_at))
                                       : nlohmann::json(nullptr)},
          {"duration_ms", e.duration_ms ? nlohmann::json(*e.duration_ms) : nlohmann::json(nullptr)},
          {"enclosure_url", e.enclosure_url},
          {"transcripts", transcripts},
          {"chapters_url",
           e.chapters_url.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.chapters_url)},
          {"downloaded", !e.download_path.empty()}};
}

namespace {
std::string pad(std::string s, std::size_t width) {
  // Pads by display columns, counting UTF-8 lead bytes only.
  std::size_t cols = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++cols;
  if (cols < width) s.append(width - cols, ' ');
  return s;
}
}  // namespace

std::string podcasts_table(const std::vector<Podcast>& podcasts) {
  std::ostringstream out;
  out << pad("ID", 6) << pad("EPISODES", 10) << "TITLE\n";
  for (const auto& p : podcasts) {
    out << pad(std::to_string(p.id), 6) << pad(std::to_string(p.episode_count), 10)
        << text::truncate_utf8(p.title, 70) << "\n";
    if (!p.last_error.empty())
      out << pad("", 16) << "last refresh failed: " << p.last_error << "\n";
  }
  return out.str();
}

std::string episodes_table(const std::vector<Episode>& episodes) {
  std::ostringstream out;
  out << pad("ID", 7) << pad("PUBLISHED", 12) << pad("LENGTH", 9) << "TITLE\n";
  for (const auto& e : episodes) {
    const auto date = e.published_at ? format_iso8601(*e.published_at).substr(0, 10) : "-";
    const auto len = e.duration_ms ? format_clock(*e.duration_ms) : "-";
    std::string flags;
    if (!e.transcripts.empty()) flags += " [transcript]";
    if (!e.download_path.empty()) flags += " [downloaded]";
    out << pad(std::to_string(e.id), 7) << pad(date, 12) << pad(len, 9)
        << text::truncate_utf8(e.title, 64) << flags << "\n";
  }
  return out.str();
}

nlohmann::json chapter_json(const Chapter& c) {
  return {{"start_ms", c.start_ms},
          {"end_ms", c.end_ms ? nlohmann::json(*c.end_ms) : nlohmann::json(nullptr)},
          {"title", c.title},
          {"source", c.source},
          {"url", c.url.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.url)}};
}

std::string chapters_table(const std::vector<Chapter>& chapters) {
  std::ostringstream out;
  out << pad("START", 10) << pad("END", 10) << pad("SOURCE", 11) << "TITLE\n";
  for (const auto& c : chapters) {
    if (!c.toc) continue;
    out << pad(format_clock(c.start_ms), 10) << pad(c.end_ms ? format_clock(*c.end_ms) : "-", 10)
        << pad(c.source, 11) << text::truncate_utf8(c.title, 60) << "\n";
  }
  return out.str();
}

std::string jobs_table(const std::vector<store::Job>& jobs) {
  std::ostringstream out;
  out << pad("ID", 7) << pad("KIND", 12) << pad("STATE", 9) << pad("TRIES", 7) << pad("EPISODE", 9)
      << "MESSAGE\n";
  for (const auto& job : jobs) {
    auto episode = app::episode_id_of(job);
    const auto& note = job.last_error.empty() ? job.progress_message : job.last_error;
    out << pad(std::to_string(job.id), 7) << pad(job.kind, 12)
        << pad(std::string(store::to_string(job.state)), 9) << pad(std::to_string(job.attempts), 7)
        << pad(episode ? std::to_string(*episode) : "-", 9) << text::truncate_utf8(note, 80)
        << "\n";
  }
  return out.str();
}

std::string human_bytes(std::int64_t bytes) {
  char buf[32];
  if (bytes >= (1 << 20))
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  else if (bytes >= 1024)
    std::snprintf(buf, sizeof buf, "%.0f kB", static_cast<double>(bytes) / 1024);
  else
    std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
  return buf;
}

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(std::int64_t done, std::int64_t total, const std::string& item) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  constexpr int kWidth = 24;
  std::string bar;
  std::string count;
  if (total > 0) {
    const auto filled = static_cast<int>(kWidth * std::min<std::int64_t>(done, total) / total);
    bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
          std::string(static_cast<std::size_t>(kWidth - filled), ' ') + "]";
    count = std::to_string(done) + "/" + std::to_string(total);
  } else {
    count = std::to_string(done);
  }
  std::fprintf(stderr, "\r\033[K%s %s %s %s", label_.c_str(), bar.c_str(), count.c_str(),
               text::truncate_utf8(item, 40).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  drawn_ = false;
}

}  // namespace hark::cli
