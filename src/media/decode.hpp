// Streaming audio decoding with FFmpeg's libraries: any format FFmpeg reads (MP3, AAC/M4A,
// Opus, Vorbis, WAV, FLAC, ...) to float PCM at the rate and channel count the caller asks
// for (16 kHz mono for speech models by default), in blocks, so a 3-hour episode needs no
// more memory than a 3-minute one. Also waveform peaks for the player.
//
// Damaged input: truncated and partly corrupt files are common among podcast downloads, and
// a player should play what is there. So a file that yields at least some audio decodes
// successfully, with DecodeReport::truncated / corrupt_packets and a warning saying what was
// wrong; only a file with no decodable audio at all is an error.
//
// Thread-safety: reentrant; calls share no state and may run on any thread concurrently. The
// sink and progress callbacks run on the calling thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace hark::media {

struct DecodeOptions {
  int sample_rate = 16000;
  int channels = 1;     // 1: a mix-down of all channels; 2: stereo (interleaved L R L R ...)
  Millis start_ms = 0;  // the first sample is the one at start_ms (sample-accurate, not a frame)
  std::optional<Millis> end_ms{};  // exclusive; unset: to the end of the file
  // Called now and then (about every 10 s of audio and at the end) with the position reached
  // and the container's duration, if known.
  std::function<void(Millis position, std::optional<Millis> duration)> progress{};
  // Checked between packets; when it becomes true, decode stops with ErrorCode::Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

struct DecodeReport {
  std::int64_t frames = 0;  // sample frames delivered (samples / channels)
  Millis decoded_ms = 0;    // frames as time at the output rate
  bool truncated = false;   // the file ended (or became unreadable) well before its stated end
  int corrupt_packets = 0;  // packets the decoder rejected and skipped
  std::vector<std::string> warnings{};  // sentences for a log or the user, one per problem
};

// Receives consecutive blocks of interleaved float samples in [-1, 1]. A block's size is
// always a multiple of the channel count; the span is valid only during the call.
using SampleSink = std::function<void(std::span<const float> samples)>;

// Decodes `path` from options.start_ms to options.end_ms into `sink`, resampling and mixing
// with libswresample. Memory use is bounded by one decoded frame and its resampled copy.
// Errors: those of probe(); InvalidInput for bad options (rate outside 1 kHz..384 kHz,
// channels not 1 or 2, end before start) and for a file with no decodable audio in the range
// asked for; Cancelled.
Result<DecodeReport> decode(const std::filesystem::path& path, const DecodeOptions& options,
                            const SampleSink& sink);

struct DecodedAudio {
  std::vector<float> samples{};  // interleaved
  DecodeReport report{};
};

// decode() into one vector: for short clips. A whole episode at 16 kHz mono is ~230 MB per
// hour; stream it with decode() instead.
Result<DecodedAudio> decode_all(const std::filesystem::path& path, const DecodeOptions& options);

// A min/max pair per bucket over the whole file, `count` equal-length buckets in time order,
// from one streaming pass of a mono mix-down at 8 kHz: the outline a player draws. Every pair
// spans 0 (min <= 0 <= max), so a bucket of silence is (0, 0). Errors: those of decode();
// InvalidInput when count is 0.
Result<std::vector<std::pair<float, float>>> waveform_peaks(
    const std::filesystem::path& path, std::size_t count = 1000,
    const std::atomic<bool>* cancel = nullptr);

}  // namespace hark::media
