// Where to cut a long episode into chunks a speech-to-text service can take one at a time.
//
// Cuts go in the quietest place near the target length, never inside speech: the audio is
// measured as RMS energy over short frames (30 ms), and within the search window
// [start + min, start + max] the planner looks for runs of quiet frames ("silences": frames at
// most 2x the window's 10th-percentile energy, and at least 12 dB below its 90th percentile,
// lasting min_silence_ms or more). It prefers longer pauses (up to one second; a pause that
// long is a sentence or turn boundary) and, among equals, the one nearest the target, and cuts
// in the middle of it. When the window holds no silence at all (music, constant noise) it cuts
// at the quietest frame. The last chunk takes what remains; when that would leave a short
// tail, the remainder is split into two pieces no longer than max.
//
// Balancing for parallel endpoints: with `parallel` > 1 workers, a run whose chunk count is not
// a multiple of the workers ends with some of them idle while the others finish (13 chunks on
// 2 endpoints cap the speed-up at 13/7 = 1.86x). When the planner is told the expected length
// (expect_total, before the first cut), it instead aims at n equal chunks, n a multiple of
// `parallel` (chunks no shorter than balance_min_ms), cutting at the best pause within
// balance_window_ms of each planned boundary.
//
// Pure; a ChunkPlanner is a value (not thread-safe; one per episode).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/model.hpp"

namespace hark::asr {

struct ChunkingOptions {
  Millis target_ms = 150'000;
  Millis min_ms = 120'000;
  Millis max_ms = 180'000;
  Millis frame_ms = 30;
  Millis min_silence_ms = 150;
  int sample_rate = 16000;
  int parallel = 1;                   // chunks transcribed at once (all endpoints together)
  Millis balance_min_ms = 60'000;     // balanced chunks are at least this long
  Millis balance_window_ms = 15'000;  // how far a balanced cut may move to find a pause
};

// Samples [begin, end) of the whole audio: a chunk carries its absolute position.
struct ChunkSpan {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  int sample_rate = 16000;
  Millis start_ms() const { return begin * 1000 / sample_rate; }
  Millis end_ms() const { return end * 1000 / sample_rate; }
  Millis duration_ms() const { return end_ms() - start_ms(); }
  bool operator==(const ChunkSpan&) const = default;
};

// Plans chunks while the audio streams in, so the first chunks can be sent before the whole
// episode is decoded: a cut is decided once min + max of audio past the previous cut is known.
class ChunkPlanner {
 public:
  // Options are made consistent: frame >= 1 ms, min >= frame, max >= min, target in [min, max].
  explicit ChunkPlanner(ChunkingOptions options = {});

  // The audio is expected to be about `total_ms` long (e.g. the container's duration). With
  // options().parallel > 1 and before the first cut, plans equal chunks in a multiple of
  // `parallel`; otherwise (or when called again) it does nothing. The real length may differ:
  // planned cuts past the end are dropped and the usual rules cut what the plan did not cover.
  void expect_total(Millis total_ms);

  // Appends consecutive mono samples.
  void add(std::span<const float> samples);
  // Chunks decided since the last call, in order.
  std::vector<ChunkSpan> take_ready();
  // After the last add(): every chunk not yet taken, the last one ending at the last sample.
  // No chunks for empty audio.
  std::vector<ChunkSpan> finish();

  std::int64_t samples_seen() const { return samples_; }
  const ChunkingOptions& options() const { return options_; }

 private:
  std::int64_t choose_cut(std::int64_t lo, std::int64_t hi, std::int64_t target) const;
  void cut_at(std::int64_t frame);
  // Makes the planned cuts whose search window has been fully seen (`all`: every one that
  // still fits before the end of the audio).
  void cut_planned(bool all);

  ChunkingOptions options_;
  std::int64_t frame_samples_;
  std::int64_t min_frames_, max_frames_, target_frames_, min_silence_frames_;
  std::vector<float> rms_;  // one per complete frame
  double partial_sum_ = 0;  // of squares, for the frame being filled
  std::int64_t partial_count_ = 0;
  std::int64_t samples_ = 0;
  std::int64_t start_frame_ = 0;  // where the next chunk begins
  std::vector<ChunkSpan> ready_;
  std::vector<std::int64_t> planned_;  // balanced cut targets (frames), ascending
  std::size_t next_planned_ = 0;
  std::int64_t window_frames_ = 0;  // how far a planned cut may move
  bool expected_ = false;           // expect_total was called
};

// The whole plan for audio held in memory.
std::vector<ChunkSpan> plan_chunks(std::span<const float> samples,
                                   const ChunkingOptions& options = {});

}  // namespace hark::asr
