#include "media/audio_file.hpp"

#include <algorithm>

#include "media/ffmpeg_util.hpp"

namespace hark::media {
namespace {

Millis to_millis(std::int64_t ts, AVRational time_base) {
  return av_rescale_q(ts, time_base, AVRational{1, 1000});
}

std::optional<Millis> container_duration(const AVFormatContext& input) {
  if (input.duration == AV_NOPTS_VALUE || input.duration <= 0) return std::nullopt;
  return to_millis(input.duration, AV_TIME_BASE_Q);
}

std::string tag(const AVDictionary* metadata, const char* key) {
  const AVDictionaryEntry* entry = av_dict_get(metadata, key, nullptr, 0);
  return entry != nullptr ? entry->value : "";
}

}  // namespace

Result<AudioInfo> probe(const std::filesystem::path& path) {
  auto input = detail::open_input(path, /*read_streams=*/true);
  if (!input) return input.error();
  auto index = detail::find_audio_stream(**input, path);
  if (!index) return index.error();
  const AVStream& stream = *(*input)->streams[*index];
  const AVCodecParameters& params = *stream.codecpar;

  AudioInfo info;
  info.duration_ms = container_duration(**input);
  info.duration_estimated = (*input)->duration_estimation_method == AVFMT_DURATION_FROM_BITRATE;
  info.sample_rate = params.sample_rate;
  info.channels = params.ch_layout.nb_channels;
  info.codec = avcodec_get_name(params.codec_id);
  info.container = (*input)->iformat->name;
  info.bit_rate =
      params.bit_rate > 0 ? params.bit_rate : std::max<std::int64_t>((*input)->bit_rate, 0);
  return info;
}

Result<std::vector<Chapter>> read_embedded_chapters(const std::filesystem::path& path) {
  // The demuxers read chapters with the header; the stream info is read too because without
  // it an MP3's duration, which ends the last chapter, may be unknown.
  auto input = detail::open_input(path, /*read_streams=*/true);
  if (!input) return input.error();
  const AVFormatContext& ctx = **input;

  std::vector<Chapter> chapters;
  chapters.reserve(ctx.nb_chapters);
  for (unsigned i = 0; i < ctx.nb_chapters; ++i) {
    const AVChapter& source = *ctx.chapters[i];
    Chapter chapter;
    chapter.start_ms = std::max<Millis>(0, to_millis(source.start, source.time_base));
    if (source.end != AV_NOPTS_VALUE) {
      Millis end = to_millis(source.end, source.time_base);
      if (end > chapter.start_ms) chapter.end_ms = end;
    }
    chapter.title = tag(source.metadata, "title");
    chapter.source = "embedded";
    chapters.push_back(std::move(chapter));
  }
  std::stable_sort(chapters.begin(), chapters.end(),
                   [](const Chapter& a, const Chapter& b) { return a.start_ms < b.start_ms; });
  const auto duration = container_duration(ctx);
  for (std::size_t i = 0; i < chapters.size(); ++i) {
    if (chapters[i].end_ms) continue;
    if (i + 1 < chapters.size()) {
      chapters[i].end_ms = chapters[i + 1].start_ms;
    } else {
      chapters[i].end_ms = duration;
    }
  }
  return chapters;
}

}  // namespace hark::media
