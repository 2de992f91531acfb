#include "asr/chunking.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

namespace hark::asr {
namespace {

// Pauses longer than this are all equally good places to cut.
constexpr Millis kLongPauseMs = 1000;
// Silences are at least this much quieter than the loud (90th percentile) frames: 12 dB.
constexpr float kLoudToSilenceRatio = 0.25f;
// ...and at most this much louder than the quiet (10th percentile) frames.
constexpr float kQuietFloorFactor = 2.0f;

float percentile(std::vector<float> values, double p) {
  if (values.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

}  // namespace

ChunkPlanner::ChunkPlanner(ChunkingOptions options) : options_(options) {
  auto& o = options_;
  if (o.sample_rate <= 0) o.sample_rate = 16000;
  o.frame_ms = std::max<Millis>(o.frame_ms, 1);
  o.parallel = std::max(o.parallel, 1);
  o.balance_min_ms = std::max(o.balance_min_ms, o.frame_ms);
  o.balance_window_ms = std::max(o.balance_window_ms, o.frame_ms);
  o.min_ms = std::max(o.min_ms, o.frame_ms);
  o.max_ms = std::max(o.max_ms, o.min_ms);
  o.target_ms = std::clamp(o.target_ms, o.min_ms, o.max_ms);
  frame_samples_ = std::max<std::int64_t>(1, o.frame_ms * o.sample_rate / 1000);
  min_frames_ = (o.min_ms + o.frame_ms - 1) / o.frame_ms;      // chunks are at least min long
  max_frames_ = std::max(min_frames_, o.max_ms / o.frame_ms);  // ...and at most max
  target_frames_ = o.target_ms / o.frame_ms;
  min_silence_frames_ = std::max<std::int64_t>(1, o.min_silence_ms / o.frame_ms);
}

void ChunkPlanner::add(std::span<const float> samples) {
  for (const float x : samples) {
    partial_sum_ += static_cast<double>(x) * x;
    if (++partial_count_ == frame_samples_) {
      rms_.push_back(
          static_cast<float>(std::sqrt(partial_sum_ / static_cast<double>(frame_samples_))));
      partial_sum_ = 0;
      partial_count_ = 0;
    }
  }
  samples_ += static_cast<std::int64_t>(samples.size());
  cut_planned(false);
  const auto frames = static_cast<std::int64_t>(rms_.size());
  if (next_planned_ < planned_.size()) return;  // the plan decides until its last cut
  while (frames - start_frame_ >= max_frames_ + min_frames_) {
    cut_at(choose_cut(start_frame_ + min_frames_, start_frame_ + max_frames_,
                      start_frame_ + target_frames_));
  }
}

void ChunkPlanner::expect_total(Millis total_ms) {
  if (expected_) return;
  expected_ = true;
  const auto& o = options_;
  if (o.parallel <= 1 || total_ms <= 0 || start_frame_ > 0 || !ready_.empty()) return;
  const std::int64_t total = total_ms / o.frame_ms;
  if (total <= max_frames_ && total < 2 * std::max<Millis>(1, o.balance_min_ms) / o.frame_ms) {
    return;  // one chunk, too short to split for the workers
  }
  std::int64_t n = std::max<std::int64_t>(1, (total + target_frames_ - 1) / target_frames_);
  const std::int64_t rounded = (n + o.parallel - 1) / o.parallel * o.parallel;
  const std::int64_t floor_frames = std::max<Millis>(o.frame_ms, o.balance_min_ms) / o.frame_ms;
  if (total / rounded >= floor_frames) n = rounded;
  if (n <= 1) return;
  const std::int64_t length = total / n;
  window_frames_ = std::clamp<std::int64_t>(o.balance_window_ms / o.frame_ms, 1,
                                            std::max<std::int64_t>(1, length / 4));
  // Each cut may move by the window, so a chunk can be length + 2 windows long: keep that
  // within max.
  window_frames_ = std::min(window_frames_, std::max<std::int64_t>(1, (max_frames_ - length) / 2));
  for (std::int64_t k = 1; k < n; ++k) planned_.push_back(total * k / n);
}

void ChunkPlanner::cut_planned(bool all) {
  const auto frames = static_cast<std::int64_t>(rms_.size());
  while (next_planned_ < planned_.size()) {
    const std::int64_t target = planned_[next_planned_];
    const std::int64_t lo = std::max(target - window_frames_, start_frame_ + 1);
    std::int64_t hi = std::min(target + window_frames_, start_frame_ + max_frames_);
    if (!all && frames < hi) return;  // the window is not complete yet
    hi = std::min(hi, frames - 1);
    ++next_planned_;
    // Past the real end (the expected length was too long), or too close to it to leave
    // a chunk worth sending: the usual rules take over.
    if (hi <= lo || frames - target < window_frames_) continue;
    cut_at(choose_cut(lo, hi, target));
  }
}

std::vector<ChunkSpan> ChunkPlanner::take_ready() {
  return std::exchange(ready_, {});
}

std::vector<ChunkSpan> ChunkPlanner::finish() {
  if (partial_count_ > 0) {  // the last, short frame counts as a frame of its own
    rms_.push_back(
        static_cast<float>(std::sqrt(partial_sum_ / static_cast<double>(partial_count_))));
    partial_sum_ = 0;
    partial_count_ = 0;
  }
  cut_planned(true);
  const auto frames = static_cast<std::int64_t>(rms_.size());
  while (frames - start_frame_ > max_frames_) {
    const std::int64_t left = frames - start_frame_;
    if (left >= max_frames_ + min_frames_) {
      cut_at(choose_cut(start_frame_ + min_frames_, start_frame_ + max_frames_,
                        start_frame_ + target_frames_));
    } else {
      // Two pieces, each at most max long (left < max + min <= 2 max).
      cut_at(choose_cut(frames - max_frames_, start_frame_ + max_frames_, start_frame_ + left / 2));
    }
  }
  const std::int64_t begin = start_frame_ * frame_samples_;
  if (samples_ > begin) ready_.push_back({begin, samples_, options_.sample_rate});
  start_frame_ = frames;
  return take_ready();
}

void ChunkPlanner::cut_at(std::int64_t frame) {
  ready_.push_back({start_frame_ * frame_samples_, frame * frame_samples_, options_.sample_rate});
  start_frame_ = frame;
}

// A cut at frame boundary c in [lo, hi]: the chunk ends before frame c.
std::int64_t ChunkPlanner::choose_cut(std::int64_t lo, std::int64_t hi, std::int64_t target) const {
  const auto first = rms_.begin() + lo;
  const auto last = rms_.begin() + hi;
  if (hi <= lo) return lo;
  const std::vector<float> window(first, last);
  const float loud = percentile(window, 0.9);
  const float quiet = percentile(window, 0.1);
  const float threshold =
      std::min(std::max(quiet * kQuietFloorFactor, 1e-4f), loud * kLoudToSilenceRatio);

  const std::int64_t long_pause = std::max<std::int64_t>(1, kLongPauseMs / options_.frame_ms);
  std::int64_t best_cut = -1;
  std::int64_t best_len = 0;
  std::int64_t best_distance = 0;
  for (std::int64_t f = lo; f < hi;) {
    if (rms_[static_cast<std::size_t>(f)] > threshold) {
      ++f;
      continue;
    }
    std::int64_t g = f;
    while (g < hi && rms_[static_cast<std::size_t>(g)] <= threshold) ++g;
    const std::int64_t len = g - f;
    if (len >= min_silence_frames_) {
      const std::int64_t cut = f + len / 2;
      const std::int64_t score = std::min(len, long_pause);
      const std::int64_t distance = std::abs(cut - target);
      if (best_cut < 0 || score > best_len || (score == best_len && distance < best_distance)) {
        best_cut = cut;
        best_len = score;
        best_distance = distance;
      }
    }
    f = g;
  }
  if (best_cut >= 0) return best_cut;

  // No silence: the quietest frame, the one nearest the target among equals.
  std::int64_t quietest = lo;
  for (std::int64_t f = lo; f < hi; ++f) {
    const float e = rms_[static_cast<std::size_t>(f)];
    const float q = rms_[static_cast<std::size_t>(quietest)];
    if (e < q || (e == q && std::abs(f - target) < std::abs(quietest - target))) quietest = f;
  }
  return quietest;
}

std::vector<ChunkSpan> plan_chunks(std::span<const float> samples, const ChunkingOptions& options) {
  ChunkPlanner planner(options);
  planner.expect_total(static_cast<Millis>(samples.size()) * 1000 / planner.options().sample_rate);
  planner.add(samples);
  std::vector<ChunkSpan> chunks = planner.take_ready();
  for (ChunkSpan& c : planner.finish()) chunks.push_back(c);
  return chunks;
}

}  // namespace hark::asr
