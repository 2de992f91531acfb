#include "media/ffmpeg_util.hpp"

#include <cstdarg>
#include <mutex>
#include <new>
#include <system_error>

namespace hark::media::detail {

FramePtr make_frame() {
  FramePtr frame(av_frame_alloc());
  if (!frame) throw std::bad_alloc();
  return frame;
}

PacketPtr make_packet() {
  PacketPtr packet(av_packet_alloc());
  if (!packet) throw std::bad_alloc();
  return packet;
}

std::string av_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

void quiet_logs() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback([](void*, int, const char*, va_list) {}); });
}

Error decode_error(const std::filesystem::path& path, int code) {
  return invalid_input("cannot decode " + path.filename().string() + ": " + av_error_text(code) +
                       " (the file may be corrupt or not audio)");
}

Result<InputPtr> open_input(const std::filesystem::path& path, bool read_streams) {
  quiet_logs();
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) {
      return not_found("cannot decode " + path.string() + ": no such file");
    }
    return invalid_input("cannot decode " + path.string() + ": " + ec.message());
  }
  if (size == 0) {
    return invalid_input("cannot decode " + path.filename().string() +
                         ": the file is empty (an interrupted download?)");
  }
  AVFormatContext* raw = nullptr;
  // On failure avformat_open_input frees the context itself, so `raw` is only owned on success.
  if (int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr); rc < 0) {
    // Bytes no demuxer recognises fall back to the one the extension names (an HTML page saved
    // as .mp3 goes to the MP3 demuxer), which then fails with a bare "Invalid argument".
    return decode_error(path, rc == AVERROR(EINVAL) ? AVERROR_INVALIDDATA : rc);
  }
  InputPtr input(raw);
  if (read_streams) {
    if (int rc = avformat_find_stream_info(input.get(), nullptr); rc < 0) {
      return decode_error(path, rc);
    }
  }
  return input;
}

Result<int> find_audio_stream(AVFormatContext& input, const std::filesystem::path& path) {
  int index = av_find_best_stream(&input, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (index < 0) {
    return invalid_input("cannot decode " + path.filename().string() +
                         ": it has no audio stream (the file may be corrupt or not audio)");
  }
  // A stream whose parameters could not be found in the first packets decodes to nothing.
  const AVCodecParameters& params = *input.streams[index]->codecpar;
  if (params.sample_rate <= 0 || params.ch_layout.nb_channels <= 0) {
    return decode_error(path, AVERROR_INVALIDDATA);
  }
  return index;
}

Result<CodecPtr> open_decoder(const AVStream& stream, const std::filesystem::path& path) {
  const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
  if (codec == nullptr) {
    return invalid_input("cannot decode " + path.filename().string() +
                         ": FFmpeg has no decoder for " +
                         avcodec_get_name(stream.codecpar->codec_id) + " audio");
  }
  CodecPtr decoder(avcodec_alloc_context3(codec));
  if (!decoder) throw std::bad_alloc();
  if (int rc = avcodec_parameters_to_context(decoder.get(), stream.codecpar); rc < 0) {
    return decode_error(path, rc);
  }
  decoder->pkt_timebase = stream.time_base;
  if (int rc = avcodec_open2(decoder.get(), codec, nullptr); rc < 0) return decode_error(path, rc);
  return decoder;
}

}  // namespace hark::media::detail
