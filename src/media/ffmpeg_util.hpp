// Internal to hark_media: RAII owners for FFmpeg handles and the few steps every media
// operation shares (opening an input, finding its audio stream, turning AVERROR codes into
// messages a user can act on). Not part of the module's public API.
//
// Thread-safety: every function is reentrant; handles are owned by one caller at a time.
// The one process-wide effect is FFmpeg's log callback, installed once (see quiet_logs).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
}

#include "core/result.hpp"

namespace hark::media::detail {

// Deleters for FFmpeg's free functions, most of which take a pointer-to-pointer.
struct InputDeleter {
  void operator()(AVFormatContext* p) const { avformat_close_input(&p); }
};
struct OutputDeleter {  // an output context; closes its AVIOContext if one was opened
  void operator()(AVFormatContext* p) const {
    if (p != nullptr && p->pb != nullptr && (p->oformat->flags & AVFMT_NOFILE) == 0) {
      avio_closep(&p->pb);
    }
    avformat_free_context(p);
  }
};
struct CodecDeleter {
  void operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
};
struct FrameDeleter {
  void operator()(AVFrame* p) const { av_frame_free(&p); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwrDeleter {
  void operator()(SwrContext* p) const { swr_free(&p); }
};
struct FifoDeleter {
  void operator()(AVAudioFifo* p) const { av_audio_fifo_free(p); }
};

using InputPtr = std::unique_ptr<AVFormatContext, InputDeleter>;
using OutputPtr = std::unique_ptr<AVFormatContext, OutputDeleter>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;
using FifoPtr = std::unique_ptr<AVAudioFifo, FifoDeleter>;

// Allocating constructors; they throw std::bad_alloc rather than return null, as `new` does.
FramePtr make_frame();
PacketPtr make_packet();

// av_strerror's text for an AVERROR code, e.g. "Invalid data found when processing input".
std::string av_error_text(int code);

// FFmpeg logs to stderr by default, which would spam a server's log with every damaged MP3
// frame. Installs (once per process) a callback that drops all FFmpeg log output; hark
// reports problems through its own Error values instead. Called by every entry point.
void quiet_logs();

// "cannot decode NAME: TEXT (the file may be corrupt or not audio)" with the AVERROR's text.
Error decode_error(const std::filesystem::path& path, int code);

// Opens `path` and reads its header. With `read_streams`, also reads enough packets to know
// each stream's codec parameters (avformat_find_stream_info). Errors: NotFound for a missing
// file, InvalidInput for an empty, unreadable or unrecognised one.
Result<InputPtr> open_input(const std::filesystem::path& path, bool read_streams);

// The index of the best audio stream; InvalidInput when the file has none.
Result<int> find_audio_stream(AVFormatContext& input, const std::filesystem::path& path);

// An opened decoder for `stream`. Errors: InvalidInput when FFmpeg has no decoder for it.
Result<CodecPtr> open_decoder(const AVStream& stream, const std::filesystem::path& path);

}  // namespace hark::media::detail
