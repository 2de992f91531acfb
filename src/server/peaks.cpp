#include "server/peaks.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "media/decode.hpp"

namespace hark::server {
namespace fs = std::filesystem;

fs::path peaks_file(const fs::path& dir, Id episode_id) {
  return dir / (std::to_string(episode_id) + ".json");
}

bool peaks_fresh(const fs::path& cache, const fs::path& audio) {
  std::error_code ec;
  const auto cached = fs::last_write_time(cache, ec);
  if (ec) return false;
  const auto source = fs::last_write_time(audio, ec);
  return !ec && cached >= source;
}

namespace {

double round3(float v) {
  return std::round(static_cast<double>(v) * 1000.0) / 1000.0;
}

Result<std::vector<store::Job>> run_peaks(store::Store& store, const fs::path& dir,
                                          app::JobContext& context) {
  auto id = app::episode_id_of(context.job);
  if (!id) return id.error();
  auto episode = store.episodes().find(*id);
  if (!episode) {
    if (episode.error().code == ErrorCode::NotFound) return invalid_input(episode.error().message);
    return episode.error();
  }
  if (episode->download_path.empty())
    return invalid_input("episode " + std::to_string(*id) + " is not downloaded");
  const fs::path audio = episode->download_path;
  const fs::path out = peaks_file(dir, *id);
  if (peaks_fresh(out, audio)) return std::vector<store::Job>{};
  auto peaks = media::waveform_peaks(audio, kPeakCount, &context.cancel);
  if (!peaks) return peaks.error();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [lo, hi] : *peaks) list.push_back({round3(lo), round3(hi)});
  const nlohmann::json doc = {{"episode_id", *id}, {"count", peaks->size()}, {"peaks", list}};
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return internal_error("cannot create " + dir.string() + ": " + ec.message());
  const fs::path tmp = out.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << doc.dump();
    if (!f.flush()) return internal_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, out, ec);
  if (ec) return internal_error("cannot write " + out.string() + ": " + ec.message());
  (void)context.report(1.0, "waveform ready");
  return std::vector<store::Job>{};
}

}  // namespace

void register_peaks_job(app::JobRegistry& registry, store::Store& store, fs::path dir) {
  registry.add(std::string(kPeaksJob), [&store, dir = std::move(dir)](app::JobContext& context) {
    return run_peaks(store, dir, context);
  });
}

}  // namespace hark::server
