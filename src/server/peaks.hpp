// Waveform peaks of downloaded episodes, computed once by a background job (decoding a
// whole episode takes seconds: not work for an HTTP thread) and cached as JSON on disk.
#pragma once

#include <filesystem>
#include <string_view>

#include "app/jobs.hpp"
#include "core/model.hpp"
#include "store/store.hpp"

namespace hark::server {

inline constexpr std::string_view kPeaksJob = "peaks";
inline constexpr std::size_t kPeakCount = 1000;

// Where the episode's peaks are cached: <dir>/<episode id>.json.
std::filesystem::path peaks_file(const std::filesystem::path& dir, Id episode_id);

// Whether the cache exists and is not older than the audio file it was made from.
bool peaks_fresh(const std::filesystem::path& cache, const std::filesystem::path& audio);

// Registers the "peaks" job (payload from app::episode_job): decodes the downloaded file,
// writes {"episode_id", "count", "peaks": [[min, max], ...]} atomically. An episode that
// is not downloaded (or whose file has no audio) fails the job at once.
void register_peaks_job(app::JobRegistry& registry, store::Store& store, std::filesystem::path dir);

}  // namespace hark::server
