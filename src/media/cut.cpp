#include "media/cut.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "media/audio_file.hpp"
#include "media/decode.hpp"
#include "media/ffmpeg_util.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace hark::media {
namespace {

namespace fs = std::filesystem;
using detail::CodecPtr;
using detail::FramePtr;
using detail::OutputPtr;
using detail::PacketPtr;
using detail::SwrPtr;

constexpr Millis kMaxFadeMs = 10'000;
constexpr int kVariableFrameSize = 4096;  // frames per packet for PCM, which takes any size

struct OutputFormat {
  const char* extension;
  const char* muxer;
  std::array<const char*, 2> encoders;  // the first one this FFmpeg build has is used
  bool cover = false;                   // can carry an attached picture
};

constexpr std::array kFormats = {
    OutputFormat{".mp3", "mp3", {"libmp3lame", nullptr}, true},
    OutputFormat{".m4a", "ipod", {"aac", nullptr}, true},
    OutputFormat{".aac", "adts", {"aac", nullptr}},
    OutputFormat{".wav", "wav", {"pcm_s16le", nullptr}},
    OutputFormat{".flac", "flac", {"flac", nullptr}},
    OutputFormat{".opus", "opus", {"libopus", nullptr}},
    OutputFormat{".ogg", "ogg", {"libopus", "libvorbis"}},
};

int be16(std::string_view b, std::size_t at) {
  return (static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]);
}

Result<const OutputFormat*> format_for(const fs::path& out_path) {
  std::string ext = out_path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const auto& format : kFormats) {
    if (ext == format.extension) return &format;
  }
  return invalid_input("cannot write " + out_path.filename().string() +
                       ": unknown audio format; use .mp3, .m4a, .aac, .wav, .flac, .opus or .ogg");
}

Result<const AVCodec*> find_encoder(const OutputFormat& format) {
  for (const char* name : format.encoders) {
    if (name == nullptr) break;
    if (const AVCodec* codec = avcodec_find_encoder_by_name(name)) return codec;
  }
  return unavailable(std::string("cannot write ") + format.extension +
                     " files: this FFmpeg build has no " + format.encoders[0] + " encoder");
}

// The source's rate if the encoder takes it, else the smallest supported rate above it
// (no information is lost), else the largest one.
int pick_rate(const AVCodec& codec, int source_rate) {
  if (codec.supported_samplerates == nullptr) return source_rate;
  int best = 0;
  int largest = 0;
  for (const int* r = codec.supported_samplerates; *r != 0; ++r) {
    if (*r == source_rate) return *r;
    if (*r > source_rate && (best == 0 || *r < best)) best = *r;
    largest = std::max(largest, *r);
  }
  return best != 0 ? best : largest;
}

// Float when the encoder takes it (no conversion loss before a lossy encoder), else its first.
AVSampleFormat pick_sample_format(const AVCodec& codec) {
  if (codec.sample_fmts == nullptr) return AV_SAMPLE_FMT_FLT;
  for (const AVSampleFormat* f = codec.sample_fmts; *f != AV_SAMPLE_FMT_NONE; ++f) {
    if (*f == AV_SAMPLE_FMT_FLTP || *f == AV_SAMPLE_FMT_FLT) return *f;
  }
  return codec.sample_fmts[0];
}

// A hidden temporary file next to `out_path`, removed on destruction unless committed.
class TempOutput {
 public:
  static Result<TempOutput> create(const fs::path& out_path) {
    std::string pattern =
        (out_path.parent_path() / ("." + out_path.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      return internal_error("cannot create a file next to " + out_path.string() + ": " +
                            std::strerror(errno));
    }
    ::close(fd);
    return TempOutput(pattern);
  }
  TempOutput(TempOutput&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempOutput& operator=(TempOutput&&) = delete;
  ~TempOutput() {
    std::error_code ec;
    if (!path_.empty()) fs::remove(path_, ec);
  }
  const fs::path& path() const { return path_; }

  // fsync (so a crash cannot leave a renamed but empty file) and rename into place.
  Status commit(const fs::path& out_path) {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    const bool synced = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    std::error_code ec;
    if (synced) fs::rename(path_, out_path, ec);
    if (!synced || ec) {
      return internal_error("cannot write " + out_path.string() + ": " +
                            (ec ? ec.message() : std::strerror(errno)));
    }
    path_.clear();
    return ok();
  }

 private:
  explicit TempOutput(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

// An encoder and muxer writing one audio stream; takes interleaved float samples.
class Encoder {
 public:
  Status open(const fs::path& file, const OutputFormat& format, const AVCodec& codec, int rate,
              int channels, const std::map<std::string, std::string>& tags,
              std::string_view cover) {
    file_ = file;
    AVFormatContext* raw = nullptr;
    if (avformat_alloc_output_context2(&raw, nullptr, format.muxer, nullptr) < 0 ||
        raw == nullptr) {
      return unavailable(std::string("this FFmpeg build cannot write ") + format.muxer + " files");
    }
    output_.reset(raw);
    AVStream* stream = avformat_new_stream(output_.get(), nullptr);
    encoder_.reset(avcodec_alloc_context3(&codec));
    if (stream == nullptr || !encoder_) throw std::bad_alloc();

    encoder_->sample_rate = rate;
    encoder_->sample_fmt = pick_sample_format(codec);
    av_channel_layout_default(&encoder_->ch_layout, channels);
    encoder_->time_base = AVRational{1, rate};
    if (codec.id != AV_CODEC_ID_PCM_S16LE && codec.id != AV_CODEC_ID_FLAC) {
      encoder_->bit_rate =
          64000LL * channels;  // speech podcasts: transparent at 64 kb/s per channel
    }
    if ((output_->oformat->flags & AVFMT_GLOBALHEADER) != 0) {
      encoder_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    HARK_TRY(check(avcodec_open2(encoder_.get(), &codec, nullptr), "open the encoder"));
    HARK_TRY(check(avcodec_parameters_from_context(stream->codecpar, encoder_.get()), "set up"));
    stream->time_base = encoder_->time_base;
    for (const auto& [key, value] : tags) {
      av_dict_set(&output_->metadata, key.c_str(), value.c_str(), 0);
      // Ogg keeps its comments per stream; other muxers ignore or echo the stream's tags.
      if (std::strcmp(format.muxer, "ogg") == 0 || std::strcmp(format.muxer, "opus") == 0) {
        av_dict_set(&stream->metadata, key.c_str(), value.c_str(), 0);
      }
    }
    frame_size_ =
        (codec.capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0 || encoder_->frame_size <= 0
            ? kVariableFrameSize
            : encoder_->frame_size;
    pad_last_frame_ = (codec.capabilities &
                       (AV_CODEC_CAP_VARIABLE_FRAME_SIZE | AV_CODEC_CAP_SMALL_LAST_FRAME)) == 0;
    HARK_TRY(open_converter());
    AVStream* picture = nullptr;
    if (format.cover && !cover.empty()) {
      const auto size = cover_size(cover);
      if (!size) return invalid_input("the cover art is not a PNG or JPEG image");
      picture = avformat_new_stream(output_.get(), nullptr);
      if (picture == nullptr) throw std::bad_alloc();
      picture->disposition = AV_DISPOSITION_ATTACHED_PIC;
      picture->time_base = AVRational{1, 90000};
      picture->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
      picture->codecpar->codec_id = size->png ? AV_CODEC_ID_PNG : AV_CODEC_ID_MJPEG;
      picture->codecpar->width = size->width;
      picture->codecpar->height = size->height;
    }
    HARK_TRY(check(avio_open(&output_->pb, file.c_str(), AVIO_FLAG_WRITE), "open"));
    HARK_TRY(check(avformat_write_header(output_.get(), nullptr), "write the header of"));
    if (picture == nullptr) return ok();
    // The picture is one packet, written before any audio (the MP3 muxer holds audio back
    // until its pictures are in the ID3v2 tag; MP4 keeps it for the covr atom).
    PacketPtr packet = detail::make_packet();
    HARK_TRY(check(av_new_packet(packet.get(), static_cast<int>(cover.size())), "write"));
    std::memcpy(packet->data, cover.data(), cover.size());
    packet->stream_index = picture->index;
    packet->flags |= AV_PKT_FLAG_KEY;
    packet->pts = packet->dts = 0;
    return check(av_write_frame(output_.get(), packet.get()), "write the cover art of");
  }

  Status write(std::span<const float> samples) {
    pending_.insert(pending_.end(), samples.begin(), samples.end());
    const auto per_frame = static_cast<std::size_t>(frame_size_) * channels();
    std::size_t used = 0;
    while (pending_.size() - used >= per_frame) {
      HARK_TRY(encode(std::span<const float>(pending_).subspan(used, per_frame)));
      used += per_frame;
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
    return ok();
  }

  Status finish() {
    if (!pending_.empty()) {
      if (pad_last_frame_)
        pending_.resize(static_cast<std::size_t>(frame_size_) * channels(), 0.0F);
      HARK_TRY(encode(pending_));
      pending_.clear();
    }
    HARK_TRY(send(nullptr));
    HARK_TRY(check(av_write_trailer(output_.get()), "finish"));
    return check(avio_closep(&output_->pb), "close");
  }

 private:
  std::size_t channels() const { return static_cast<std::size_t>(encoder_->ch_layout.nb_channels); }

  Status check(int rc, const char* what) const {
    if (rc >= 0) return ok();
    if (rc == AVERROR(ENOMEM)) throw std::bad_alloc();
    return internal_error(std::string("cannot ") + what + " " + file_.filename().string() + ": " +
                          detail::av_error_text(rc));
  }

  // Interleaved float to the encoder's sample format (same rate and layout: no delay).
  Status open_converter() {
    SwrContext* raw = nullptr;
    int rc = swr_alloc_set_opts2(&raw, &encoder_->ch_layout, encoder_->sample_fmt,
                                 encoder_->sample_rate, &encoder_->ch_layout, AV_SAMPLE_FMT_FLT,
                                 encoder_->sample_rate, 0, nullptr);
    converter_.reset(raw);
    if (rc >= 0) rc = swr_init(converter_.get());
    return check(rc, "set up the sample converter for");
  }

  Status encode(std::span<const float> samples) {
    const int count = static_cast<int>(samples.size() / channels());
    FramePtr frame = detail::make_frame();
    frame->nb_samples = count;
    frame->format = encoder_->sample_fmt;
    frame->sample_rate = encoder_->sample_rate;
    HARK_TRY(check(av_channel_layout_copy(&frame->ch_layout, &encoder_->ch_layout), "set up"));
    HARK_TRY(check(av_frame_get_buffer(frame.get(), 0), "allocate a frame for"));
    const auto* in = reinterpret_cast<const std::uint8_t*>(samples.data());
    HARK_TRY(check(swr_convert(converter_.get(), frame->data, count, &in, count), "convert"));
    frame->pts = next_pts_;
    next_pts_ += count;
    return send(frame.get());
  }

  Status send(const AVFrame* frame) {
    HARK_TRY(check(avcodec_send_frame(encoder_.get(), frame), "encode"));
    AVStream* stream = output_->streams[0];
    for (;;) {
      const int rc = avcodec_receive_packet(encoder_.get(), packet_.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return ok();
      HARK_TRY(check(rc, "encode"));
      av_packet_rescale_ts(packet_.get(), encoder_->time_base, stream->time_base);
      packet_->stream_index = stream->index;
      HARK_TRY(check(av_interleaved_write_frame(output_.get(), packet_.get()), "write"));
    }
  }

  fs::path file_;
  OutputPtr output_;
  CodecPtr encoder_;
  SwrPtr converter_;
  PacketPtr packet_ = detail::make_packet();
  std::vector<float> pending_;  // fewer than a frame's worth between write() calls
  int frame_size_ = 0;
  bool pad_last_frame_ = false;
  std::int64_t next_pts_ = 0;
};

// Linear fades. The fade-out needs the clip's last samples, and a damaged file may end before
// the stated range does, so the last fade's worth is held back until the end is known.
class Fader {
 public:
  Fader(std::int64_t fade_frames, int channels)
      : fade_samples_(static_cast<std::size_t>(fade_frames) * channels), channels_(channels) {}

  template <typename Out>
  Status push(std::span<const float> block, Out&& out) {
    if (fade_samples_ == 0) return out(block);
    const std::size_t from = held_.size();
    held_.insert(held_.end(), block.begin(), block.end());
    for (std::size_t i = from; i < held_.size() && seen_ + i < fade_samples_; ++i) {
      held_[i] *= gain(seen_ + i);
    }
    if (held_.size() <= fade_samples_) return ok();
    const std::size_t release = held_.size() - fade_samples_;
    HARK_TRY(out(std::span<const float>(held_).first(release)));
    held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(release));
    seen_ += release;
    return ok();
  }

  template <typename Out>
  Status finish(Out&& out) {
    for (std::size_t i = 0; i < held_.size(); ++i) held_[i] *= gain(held_.size() - 1 - i);
    return out(std::span<const float>(held_));
  }

 private:
  // Rises from 0 over fade_samples_ (counted in frames, so channels fade together).
  float gain(std::size_t sample_index) const {
    const auto frame = static_cast<float>(sample_index / static_cast<std::size_t>(channels_));
    const auto frames = static_cast<float>(fade_samples_ / static_cast<std::size_t>(channels_));
    return std::min(1.0F, frame / frames);
  }

  std::size_t fade_samples_;
  int channels_;
  std::size_t seen_ = 0;  // samples released so far (all already faded in as needed)
  std::vector<float> held_;
};

}  // namespace

std::optional<ImageSize> cover_size(std::string_view b) {
  if (b.size() >= 24 && b.starts_with("\x89PNG\r\n\x1a\n") && b.substr(12, 4) == "IHDR") {
    const auto be32 = [&](std::size_t at) { return (be16(b, at) << 16) | be16(b, at + 2); };
    const int w = be32(16), h = be32(20);
    if (w <= 0 || h <= 0) return std::nullopt;
    return ImageSize{w, h, true};
  }
  if (b.size() < 4 || !b.starts_with("\xFF\xD8")) return std::nullopt;
  // JPEG: walk the marker segments to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
  std::size_t at = 2;
  while (at + 4 <= b.size()) {
    if (static_cast<unsigned char>(b[at]) != 0xFF) return std::nullopt;
    const auto marker = static_cast<unsigned char>(b[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      at += 2;  // markers without a length
      continue;
    }
    const int length = be16(b, at + 2);
    if (length < 2) return std::nullopt;
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      if (at + 9 > b.size()) return std::nullopt;
      const int h = be16(b, at + 5), w = be16(b, at + 7);
      if (w <= 0 || h <= 0) return std::nullopt;
      return ImageSize{w, h, false};
    }
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // end, or scan before a frame
    at += 2 + static_cast<std::size_t>(length);
  }
  return std::nullopt;
}

Status cut(const fs::path& path, Millis from_ms, Millis to_ms, const fs::path& out_path,
           const CutOptions& options) {
  if (from_ms < 0 || to_ms <= from_ms) {
    return invalid_input("cut: the range must start at 0 or later and end after its start");
  }
  if (options.fade_ms < 0) return invalid_input("cut: fade_ms must not be negative");
  auto format = format_for(out_path);
  if (!format) return format.error();
  detail::quiet_logs();
  auto codec = find_encoder(**format);
  if (!codec) return codec.error();
  auto info = probe(path);
  if (!info) return info.error();

  const int rate = pick_rate(**codec, info->sample_rate);
  const int channels = std::clamp(info->channels, 1, 2);
  const Millis fade_ms = std::min({options.fade_ms, kMaxFadeMs, (to_ms - from_ms) / 2});
  auto temp = TempOutput::create(out_path);
  if (!temp) return temp.error();
  Encoder encoder;
  HARK_TRY(
      encoder.open(temp->path(), **format, **codec, rate, channels, options.tags, options.cover));

  Fader fader(fade_ms * rate / 1000, channels);
  auto to_encoder = [&](std::span<const float> block) { return encoder.write(block); };
  Status written;
  DecodeOptions decode_options;
  decode_options.sample_rate = rate;
  decode_options.channels = channels;
  decode_options.start_ms = from_ms;
  decode_options.end_ms = to_ms;
  decode_options.cancel = options.cancel;
  auto report = decode(path, decode_options, [&](std::span<const float> block) {
    if (written) written = fader.push(block, to_encoder);
  });
  if (!report) return report.error();
  HARK_TRY(written);
  HARK_TRY(fader.finish(to_encoder));
  HARK_TRY(encoder.finish());
  return temp->commit(out_path);
}

}  // namespace hark::media
