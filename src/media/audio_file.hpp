// What an audio file says about itself, read with FFmpeg's libavformat: its duration and
// format (probe) and the chapters embedded in it (ID3v2 CHAP frames in MP3, chapter lists
// and chapter tracks in MP4/M4A, chapters in Matroska and Ogg).
//
// Thread-safety: reentrant; calls share no state and may run on any thread concurrently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace hark::media {

struct AudioInfo {
  // The container's duration. Unset when the container does not know it (e.g. an MP3 cut
  // from a live stream with no Xing header and no usable bit rate): hark never invents one.
  std::optional<Millis> duration_ms{};
  // True when FFmpeg derived the duration from the bit rate and file size rather than from
  // timestamps or a header; exact for constant-bit-rate MP3, approximate for VBR without a
  // Xing/VBRI header.
  bool duration_estimated = false;
  int sample_rate = 0;
  int channels = 0;
  std::string codec{};        // e.g. "mp3", "aac", "opus"
  std::string container{};    // FFmpeg's demuxer name, e.g. "mp3", "mov,mp4,m4a,3gp,3g2,mj2"
  std::int64_t bit_rate = 0;  // bits per second; 0 when unknown
};

// Reads the header (and as many packets as FFmpeg needs) of the file's best audio stream.
// Errors: NotFound (no such file); InvalidInput (empty, not a media file, no audio stream),
// with a message naming the file, e.g. "cannot decode episode.mp3: Invalid data found when
// processing input (the file may be corrupt or not audio)".
Result<AudioInfo> probe(const std::filesystem::path& path);

// The chapters embedded in the file, sorted by start, with source "embedded", title from the
// chapter's "title" tag, and end_ms always set: the chapter's own end when it has one after
// its start, else the next chapter's start, else the file's duration (unset only when that is
// unknown too). An audio file without chapters gives an empty vector.
// Errors: as for probe.
Result<std::vector<Chapter>> read_embedded_chapters(const std::filesystem::path& path);

}  // namespace hark::media
