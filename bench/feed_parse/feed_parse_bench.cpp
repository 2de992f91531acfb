// Feed parsing throughput: parses one feed file N times and reports MB/s and episodes/s
// (best and median run). Plain main so that run.sh can read one result line.
//
// Usage: hark_bench_feed_parse FEED.xml [ITERATIONS=20]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "feed/feed.hpp"

namespace {

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FEED.xml [ITERATIONS]\n", argv[0]);
    return 2;
  }
  const int iterations = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20;
  const auto bytes = read_file(argv[1]);
  if (bytes.empty()) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }

  std::size_t episodes = 0;
  std::vector<double> seconds;
  for (int i = 0; i < iterations; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto feed = hark::feed::parse(bytes, "https://bench.example.com/feed.xml");
    const auto t1 = std::chrono::steady_clock::now();
    if (!feed) {
      std::fprintf(stderr, "parse failed: %s\n", feed.error().message.c_str());
      return 1;
    }
    episodes = feed->episodes.size();
    seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
  }
  std::sort(seconds.begin(), seconds.end());
  const double best = seconds.front(), median = seconds[seconds.size() / 2];
  const double mb = static_cast<double>(bytes.size()) / 1e6;
  std::printf("hark feed::parse: %.1f MB, %zu episodes, %d runs\n", mb, episodes, iterations);
  std::printf("  best   %8.1f ms  %8.1f MB/s  %10.0f episodes/s\n", best * 1e3, mb / best,
              static_cast<double>(episodes) / best);
  std::printf("  median %8.1f ms  %8.1f MB/s  %10.0f episodes/s\n", median * 1e3, mb / median,
              static_cast<double>(episodes) / median);
  // One machine-readable line for run.sh: median MB/s.
  std::printf("RESULT mbps=%.3f episodes=%zu\n", mb / median, episodes);
  return 0;
}
