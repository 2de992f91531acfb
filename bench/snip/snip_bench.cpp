// Snip latency on a 3-hour transcript: builds one long episode from the insight fixture
// transcripts (repeated with shifted times and varied speaker names), analyses it once,
// then times N extractive snips (boundaries + title + summary + takeaways + quote) at
// random tap times and reports p50/p95/p99. Also times highlights, generated chapters
// and the episode summary once each.
//
// Usage: hark_bench_snip [SNIPS=1000] [HOURS=3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "fixtures.hpp"
#include "insight/episode.hpp"
#include "insight/snip.hpp"
#include "transcript/parse.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

hark::Transcript long_transcript(double hours) {
  const auto fx = hark::insight::eval::load_fixtures(std::filesystem::path(HARK_SOURCE_DIR) /
                                                     "tests/fixtures/insight");
  std::vector<hark::Transcript> parts;
  for (const auto& [name, bytes] : fx.transcripts)
    if (auto p = hark::transcript::parse_transcript(bytes, "text/vtt"))
      parts.push_back(p->transcript);
  hark::Transcript out;
  out.language = "en";
  const auto target = static_cast<hark::Millis>(hours * 3600000);
  hark::Millis offset = 0;
  for (int round = 0; offset < target; ++round) {
    for (const auto& part : parts) {
      for (auto seg : part.segments) {
        seg.start_ms += offset;
        seg.end_ms += offset;
        seg.speaker += " " + std::to_string(round);  // new guests each round
        out.segments.push_back(std::move(seg));
      }
      offset = out.segments.back().end_ms + 2000;
      if (offset >= target) break;
    }
  }
  return out;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  const int snips = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;
  const double hours = argc > 2 ? std::atof(argv[2]) : 3.0;
  const auto t = long_transcript(hours);
  if (t.segments.empty()) {
    std::fprintf(stderr, "no fixture transcripts found\n");
    return 1;
  }
  std::size_t words = 0;
  for (const auto& s : t.segments) words += hark::insight::tokenize(s.text).size();

  auto t0 = Clock::now();
  auto analysis = hark::insight::EpisodeAnalysis::build(t);
  const double analysis_ms = ms_since(t0);
  if (!analysis) {
    std::fprintf(stderr, "analysis failed: %s\n", analysis.error().message.c_str());
    return 1;
  }
  const auto& a = *analysis;

  std::mt19937_64 rng(42);
  std::uniform_int_distribution<hark::Millis> tap(0, a.duration_ms());
  std::vector<double> times;
  times.reserve(static_cast<std::size_t>(snips));
  std::size_t title_bytes = 0;
  for (int i = 0; i < snips; ++i) {
    const auto at = tap(rng);
    t0 = Clock::now();
    auto d = hark::insight::make_snip(a, at);
    times.push_back(ms_since(t0));
    if (!d || d->title.empty()) {
      std::fprintf(stderr, "snip at %lld failed\n", static_cast<long long>(at));
      return 1;
    }
    title_bytes += d->title.size();
  }

  t0 = Clock::now();
  const auto h = hark::insight::highlights(a, {});
  const double highlights_ms = ms_since(t0);
  t0 = Clock::now();
  const auto chapters = hark::insight::generated_chapters(a);
  const double chapters_ms = ms_since(t0);
  t0 = Clock::now();
  const auto summary = hark::insight::episode_summary(a);
  const double summary_ms = ms_since(t0);

  std::printf("transcript: %.2f h, %zu segments, %zu sentences, %zu words\n",
              static_cast<double>(a.duration_ms()) / 3.6e6, t.segments.size(), a.size(), words);
  std::printf("analysis (once): %.1f ms\n", analysis_ms);
  std::printf(
      "snip x %d: p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  (mean title %zu bytes)\n",
      snips, percentile(times, 0.5), percentile(times, 0.95), percentile(times, 0.99),
      *std::max_element(times.begin(), times.end()), title_bytes / times.size());
  std::printf("highlights: %.1f ms (%zu)  chapters: %.1f ms (%zu)  episode summary: %.1f ms\n",
              highlights_ms, h ? h->size() : 0, chapters_ms, chapters ? chapters->size() : 0,
              summary_ms);
  std::printf("RESULT p95_ms=%.3f analysis_ms=%.1f\n", percentile(times, 0.95), analysis_ms);
  return 0;
}
