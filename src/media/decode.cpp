#include "media/decode.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <new>

#include "media/audio_file.hpp"
#include "media/ffmpeg_util.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace hark::media {
namespace {

using detail::CodecPtr;
using detail::FramePtr;
using detail::InputPtr;
using detail::PacketPtr;
using detail::SwrPtr;

constexpr Millis kProgressEveryMs = 10'000;
constexpr Millis kSeekPrerollMs = 500;
// A file that stops this much (or 2 %) short of its stated duration is reported truncated;
// less is within what container estimates and encoder padding account for.
constexpr Millis kTruncationSlackMs = 2'000;

std::string clock_text(Millis ms) {
  const Millis s = ms / 1000;
  char text[32];
  std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return text;
}

Status check_options(const DecodeOptions& options) {
  if (options.sample_rate < 1000 || options.sample_rate > 384000) {
    return invalid_input("decode: sample rate must be between 1000 and 384000 Hz");
  }
  if (options.channels != 1 && options.channels != 2) {
    return invalid_input("decode: channels must be 1 or 2");
  }
  if (options.start_ms < 0 || (options.end_ms && *options.end_ms <= options.start_ms)) {
    return invalid_input("decode: the range must start at 0 or later and end after its start");
  }
  return ok();
}

// libswresample for a stream whose input format may change mid-stream (it happens in joined
// MP3s and in ad-inserted episodes): the converter is rebuilt, after draining, on a change.
class Resampler {
 public:
  Resampler(int out_rate, int out_channels) : out_rate_(out_rate) {
    av_channel_layout_default(&out_layout_, out_channels);
  }
  ~Resampler() {
    av_channel_layout_uninit(&out_layout_);
    av_channel_layout_uninit(&in_layout_);
  }
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  // Converts `frame` (null: flush what the resampler holds) and calls emit(span of frames)
  // for the output, which may come in two pieces when the input format changed.
  template <typename Emit>
  Status convert(const AVFrame* frame, Emit&& emit) {
    if (frame != nullptr && !matches(*frame)) {
      if (swr_) HARK_TRY(run(nullptr, emit));
      HARK_TRY(configure(*frame));
    }
    if (!swr_) return ok();
    return run(frame, emit);
  }

 private:
  bool matches(const AVFrame& frame) const {
    return swr_ && frame.format == in_format_ && frame.sample_rate == in_rate_ &&
           av_channel_layout_compare(&frame.ch_layout, &in_layout_) == 0;
  }

  Status configure(const AVFrame& frame) {
    // in_layout_ is kept as the frame has it, for matches(); swr needs a concrete layout.
    av_channel_layout_uninit(&in_layout_);
    if (av_channel_layout_copy(&in_layout_, &frame.ch_layout) < 0) throw std::bad_alloc();
    AVChannelLayout layout{};
    if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
      av_channel_layout_default(&layout, frame.ch_layout.nb_channels);  // guess the layout
    } else if (av_channel_layout_copy(&layout, &frame.ch_layout) < 0) {
      throw std::bad_alloc();
    }
    in_format_ = frame.format;
    in_rate_ = frame.sample_rate;
    SwrContext* raw = nullptr;
    int rc = swr_alloc_set_opts2(&raw, &out_layout_, AV_SAMPLE_FMT_FLT, out_rate_, &layout,
                                 static_cast<AVSampleFormat>(in_format_), in_rate_, 0, nullptr);
    av_channel_layout_uninit(&layout);
    swr_.reset(raw);
    if (rc >= 0) rc = swr_init(swr_.get());
    if (rc < 0) {
      swr_.reset();
      return invalid_input("cannot resample " + std::to_string(in_rate_) + " Hz audio with " +
                           std::to_string(frame.ch_layout.nb_channels) +
                           " channels: " + detail::av_error_text(rc));
    }
    return ok();
  }

  template <typename Emit>
  Status run(const AVFrame* frame, Emit& emit) {
    const int in_samples = frame != nullptr ? frame->nb_samples : 0;
    const int capacity = swr_get_out_samples(swr_.get(), in_samples);
    if (capacity <= 0) return ok();
    buffer_.resize(static_cast<std::size_t>(capacity) * out_layout_.nb_channels);
    auto* out = reinterpret_cast<std::uint8_t*>(buffer_.data());
    const std::uint8_t** in =
        frame != nullptr ? const_cast<const std::uint8_t**>(frame->extended_data) : nullptr;
    const int got = swr_convert(swr_.get(), &out, capacity, in, in_samples);
    if (got < 0) return internal_error("resampling failed: " + detail::av_error_text(got));
    if (got > 0) {
      emit(std::span<const float>(buffer_.data(),
                                  static_cast<std::size_t>(got) * out_layout_.nb_channels));
    }
    return ok();
  }

  int out_rate_;
  AVChannelLayout out_layout_{};
  AVChannelLayout in_layout_{};
  int in_format_ = -1;
  int in_rate_ = 0;
  SwrPtr swr_;
  std::vector<float> buffer_;  // reused: its size follows the largest frame, not the file
};

// One decode() call: the demuxer, decoder and resampler, and where in the output we are.
class Decoder {
 public:
  Decoder(const std::filesystem::path& path, const DecodeOptions& options, const SampleSink& sink)
      : path_(path),
        options_(options),
        sink_(sink),
        resampler_(options.sample_rate, options.channels),
        start_frame_(frames_at(options.start_ms)),
        end_frame_(options.end_ms ? frames_at(*options.end_ms)
                                  : std::numeric_limits<std::int64_t>::max()) {}

  Result<DecodeReport> run() {
    HARK_TRY(open());
    HARK_TRY(seek());
    HARK_TRY(read_packets());
    if (!done()) {
      HARK_TRY(decode_packet(nullptr));  // drain the decoder's delayed frames
      HARK_TRY(resampler_.convert(nullptr, [this](auto block) { emit(block); }));  // its tail
    }
    return finish();
  }

 private:
  std::int64_t frames_at(Millis ms) const { return ms * options_.sample_rate / 1000; }
  Millis millis_at(std::int64_t frames) const { return frames * 1000 / options_.sample_rate; }
  bool done() const { return position_ >= end_frame_; }

  Status open() {
    auto input = detail::open_input(path_, /*read_streams=*/true);
    if (!input) return input.error();
    input_ = std::move(*input);
    auto index = detail::find_audio_stream(*input_, path_);
    if (!index) return index.error();
    stream_ = input_->streams[*index];
    // Skip other streams' packets in the demuxer (cover art, video) instead of reading them.
    for (unsigned i = 0; i < input_->nb_streams; ++i) {
      if (static_cast<int>(i) != *index) input_->streams[i]->discard = AVDISCARD_ALL;
    }
    auto decoder = detail::open_decoder(*stream_, path_);
    if (!decoder) return decoder.error();
    decoder_ = std::move(*decoder);
    if (input_->duration != AV_NOPTS_VALUE && input_->duration > 0) {
      duration_ms_ = av_rescale_q(input_->duration, AV_TIME_BASE_Q, AVRational{1, 1000});
    }
    return ok();
  }

  // Seeks to a point before start_ms; the samples before it are dropped in emit(), which
  // makes the start sample-accurate whatever the seek's granularity. The margin is decoder
  // pre-roll: an MP3 frame's data may begin in earlier frames (the bit reservoir), and AAC
  // and Opus need earlier frames to converge, so the first frames after a seek are unusable.
  Status seek() {
    if (options_.start_ms == 0) return ok();
    const Millis from = std::max<Millis>(0, options_.start_ms - kSeekPrerollMs);
    const std::int64_t target = av_rescale(from, AV_TIME_BASE, 1000);
    if (avformat_seek_file(input_.get(), -1, std::numeric_limits<std::int64_t>::min(), target,
                           target, 0) < 0) {
      // Unseekable (rare for files): decode from the beginning and drop what comes before.
      avformat_seek_file(input_.get(), -1, std::numeric_limits<std::int64_t>::min(), 0, 0, 0);
    }
    seeked_ = true;
    return ok();
  }

  Status read_packets() {
    PacketPtr packet = detail::make_packet();
    while (!done()) {
      if (options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed)) {
        return cancelled("decoding " + path_.filename().string() + " was cancelled");
      }
      const int rc = av_read_frame(input_.get(), packet.get());
      if (rc == AVERROR_EOF) break;
      if (rc < 0) {
        read_error_ = rc;  // a damaged or vanished tail: keep what was decoded
        break;
      }
      if (packet->stream_index == stream_->index) HARK_TRY(decode_packet(packet.get()));
      av_packet_unref(packet.get());
    }
    return ok();
  }

  Status decode_packet(const AVPacket* packet) {
    int rc = avcodec_send_packet(decoder_.get(), packet);
    if (rc == AVERROR(ENOMEM)) throw std::bad_alloc();
    if (rc < 0 && rc != AVERROR_EOF) note_corrupt(rc);
    while (!done()) {
      rc = avcodec_receive_frame(decoder_.get(), frame_.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) break;
      if (rc == AVERROR(ENOMEM)) throw std::bad_alloc();
      if (rc < 0) {
        note_corrupt(rc);
        continue;
      }
      if (!positioned_) place(*frame_);
      decoded_any_ = true;
      const Status status = resampler_.convert(frame_.get(), [this](auto block) { emit(block); });
      av_frame_unref(frame_.get());
      HARK_TRY(status);
    }
    return ok();
  }

  // Output positions count from the stream's start. After a seek the first frame's timestamp
  // says where decoding resumed; without one, counting from the start is exact.
  void place(const AVFrame& frame) {
    positioned_ = true;
    if (!seeked_ || frame.best_effort_timestamp == AV_NOPTS_VALUE) return;
    const std::int64_t origin = stream_->start_time != AV_NOPTS_VALUE ? stream_->start_time : 0;
    position_ = std::max<std::int64_t>(
        0, av_rescale_q(frame.best_effort_timestamp - origin, stream_->time_base,
                        AVRational{1, options_.sample_rate}));
  }

  void note_corrupt(int code) {
    ++report_.corrupt_packets;
    last_error_ = code;
  }

  // Passes on the part of `block` inside [start, end) and advances the position.
  void emit(std::span<const float> block) {
    const auto channels = static_cast<std::int64_t>(options_.channels);
    const std::int64_t count = static_cast<std::int64_t>(block.size()) / channels;
    const std::int64_t from = std::clamp<std::int64_t>(start_frame_ - position_, 0, count);
    const std::int64_t to = std::clamp<std::int64_t>(end_frame_ - position_, 0, count);
    position_ += count;
    if (to > from) {
      sink_(block.subspan(static_cast<std::size_t>(from * channels),
                          static_cast<std::size_t>((to - from) * channels)));
      report_.frames += to - from;
    }
    if (options_.progress && millis_at(position_) >= next_progress_ms_) {
      next_progress_ms_ = millis_at(position_) + kProgressEveryMs;
      options_.progress(millis_at(position_), duration_ms_);
    }
  }

  Result<DecodeReport> finish() {
    const bool errors = last_error_ != 0 || read_error_ != 0;
    if (!decoded_any_ && (errors || !seeked_)) {
      if (last_error_ != 0) return detail::decode_error(path_, last_error_);
      if (read_error_ != 0) return detail::decode_error(path_, read_error_);
      return invalid_input("cannot decode " + path_.filename().string() +
                           ": it contains no audio (the file may be corrupt or not audio)");
    }
    if (report_.frames == 0) {  // a seek past the end, or a range after what the file holds
      const auto end = decoded_any_ ? std::optional<Millis>(millis_at(position_)) : duration_ms_;
      return invalid_input("cannot decode " + path_.filename().string() +
                           ": nothing to decode from " + clock_text(options_.start_ms) +
                           (end ? ", the audio ends at " + clock_text(*end) : std::string()));
    }
    report_.decoded_ms = millis_at(report_.frames);
    const Millis reached = millis_at(position_);
    const bool to_the_end = !options_.end_ms || (duration_ms_ && *options_.end_ms > *duration_ms_);
    if (read_error_ != 0) {
      report_.truncated = true;
      report_.warnings.push_back("reading stopped at " + clock_text(reached) + ": " +
                                 detail::av_error_text(read_error_));
    } else if (to_the_end && duration_ms_ &&
               reached + std::max(kTruncationSlackMs, *duration_ms_ / 50) < *duration_ms_) {
      report_.truncated = true;
      report_.warnings.push_back("the audio ends at " + clock_text(reached) + " of a stated " +
                                 clock_text(*duration_ms_) + "; the file is probably truncated");
    }
    if (report_.corrupt_packets > 0) {
      report_.warnings.push_back(
          std::to_string(report_.corrupt_packets) +
          " damaged packet(s) were skipped: " + detail::av_error_text(last_error_));
    }
    if (options_.progress) options_.progress(reached, duration_ms_);
    return std::move(report_);
  }

  const std::filesystem::path& path_;
  const DecodeOptions& options_;
  const SampleSink& sink_;
  InputPtr input_;
  AVStream* stream_ = nullptr;  // owned by input_
  CodecPtr decoder_;
  FramePtr frame_ = detail::make_frame();
  Resampler resampler_;
  std::int64_t start_frame_;
  std::int64_t end_frame_;
  std::int64_t position_ = 0;  // output frame index of the next resampled sample
  bool seeked_ = false;
  bool positioned_ = false;
  bool decoded_any_ = false;
  int last_error_ = 0;
  int read_error_ = 0;
  std::optional<Millis> duration_ms_;
  Millis next_progress_ms_ = 0;
  DecodeReport report_;
};

}  // namespace

Result<DecodeReport> decode(const std::filesystem::path& path, const DecodeOptions& options,
                            const SampleSink& sink) {
  HARK_TRY(check_options(options));
  return Decoder(path, options, sink).run();
}

Result<DecodedAudio> decode_all(const std::filesystem::path& path, const DecodeOptions& options) {
  DecodedAudio audio;
  auto report = decode(path, options, [&](std::span<const float> block) {
    audio.samples.insert(audio.samples.end(), block.begin(), block.end());
  });
  if (!report) return report.error();
  audio.report = std::move(*report);
  return audio;
}

Result<std::vector<std::pair<float, float>>> waveform_peaks(const std::filesystem::path& path,
                                                            std::size_t count,
                                                            const std::atomic<bool>* cancel) {
  if (count == 0) return invalid_input("waveform_peaks: count must be at least 1");
  constexpr int kRate = 8000;
  // First pass into fine chunks of a size chosen from the container's duration, about eight
  // per bucket; then the chunks are merged into `count` buckets by the length actually
  // decoded. That keeps memory at ~8×count pairs and stays right when the stated duration is
  // wrong or unknown (then 10 ms chunks: 2.9 MB of pairs for a 3-hour episode).
  std::int64_t chunk = kRate / 100;
  if (auto info = probe(path); info && info->duration_ms) {
    chunk = std::max<std::int64_t>(
        1, *info->duration_ms * kRate / 1000 / static_cast<std::int64_t>(count * 8));
  }
  std::vector<std::pair<float, float>> chunks;
  std::pair<float, float> current{0.0F, 0.0F};
  std::int64_t filled = 0;
  DecodeOptions options;
  options.sample_rate = kRate;
  options.cancel = cancel;
  auto report = decode(path, options, [&](std::span<const float> block) {
    for (float sample : block) {
      current.first = std::min(current.first, sample);
      current.second = std::max(current.second, sample);
      if (++filled == chunk) {
        chunks.push_back(current);
        current = {0.0F, 0.0F};
        filled = 0;
      }
    }
  });
  if (!report) return report.error();
  if (filled > 0) chunks.push_back(current);

  std::vector<std::pair<float, float>> peaks(count, {0.0F, 0.0F});
  const std::size_t n = chunks.size();
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t first = i * n / count;
    const std::size_t last = std::max((i + 1) * n / count, first + 1);  // fewer chunks than buckets
    for (std::size_t c = first; c < last && c < n; ++c) {
      peaks[i].first = std::min(peaks[i].first, chunks[c].first);
      peaks[i].second = std::max(peaks[i].second, chunks[c].second);
    }
  }
  return peaks;
}

}  // namespace hark::media
