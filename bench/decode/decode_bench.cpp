// Decodes an audio file to 16 kHz mono float with media::decode, discarding the samples, and
// reports the speed (× real time) and the process's peak RSS.
//
//   hark_bench_decode FILE [RUNS]
//
// Prints one line per run and a final "RESULT speed=<median ×rt> wall_s=<median> rss_mb=...".
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "media/decode.hpp"

namespace {

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [RUNS]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  std::vector<double> walls;
  double audio_s = 0;
  for (int run = 0; run < runs; ++run) {
    double checksum = 0;  // keeps the work observable
    const auto start = std::chrono::steady_clock::now();
    auto report = hark::media::decode(argv[1], {}, [&](std::span<const float> block) {
      checksum += static_cast<double>(block.front());
    });
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!report) {
      std::fprintf(stderr, "%s\n", report.error().message.c_str());
      return 1;
    }
    audio_s = static_cast<double>(report->decoded_ms) / 1000.0;
    walls.push_back(wall);
    std::printf("run %d: %.0f s of audio in %.2f s = %.1fx real time (checksum %.3g)\n", run + 1,
                audio_s, wall, audio_s / wall, checksum);
  }
  std::sort(walls.begin(), walls.end());
  const double median = walls[walls.size() / 2];
  std::printf("RESULT speed=%.1f wall_s=%.3f audio_s=%.0f rss_mb=%.1f\n", audio_s / median, median,
              audio_s, peak_rss_mb());
  return 0;
}
