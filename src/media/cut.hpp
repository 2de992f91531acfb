// Cutting a time range of an episode into a new audio file (a snip's audio, a shareable
// clip). The range is decoded and re-encoded rather than copied packet by packet, so the cut
// is sample-accurate and fades are possible.
//
// Thread-safety: reentrant; calls share no state and may run on any thread concurrently.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"
#include "core/result.hpp"

namespace hark::media {

struct CutOptions {
  Millis fade_ms = 0;  // linear fade-in and fade-out, each at most 10 s and half the clip
  // Written as the file's metadata; "title", "artist" and "album" are understood by every
  // output format (ID3v2 for MP3, iTunes atoms for M4A, Vorbis comments for Ogg/Opus).
  std::map<std::string, std::string> tags{};
  // Artwork (the bytes of a PNG or JPEG image), embedded as the attached picture in .mp3
  // (ID3v2 APIC) and .m4a (covr) files; other formats leave it out. Empty: none.
  std::string cover{};
  const std::atomic<bool>* cancel = nullptr;  // checked between packets
};

// Writes [from_ms, to_ms) of `path` to `out_path`, in the format its extension names:
//   .mp3 (libmp3lame), .m4a (AAC in MP4), .aac (AAC in ADTS), .wav (16-bit PCM), .flac,
//   .opus and .ogg (Opus; Vorbis in .ogg when FFmpeg has no libopus).
// The sample rate follows the source where the encoder allows it (else the nearest rate it
// supports), and the channel count too (at most 2). A range past the end of the file is cut
// at the end. The file appears at `out_path` only when complete: it is written to a hidden
// temporary name in the same directory, flushed to disk and renamed; an existing `out_path`
// is replaced. Errors: those of decode(); InvalidInput for an unknown extension or bad range,
// or a cover that is not a PNG or JPEG image whose size can be read (check with cover_size);
// Unavailable when this FFmpeg build lacks the encoder; Internal for write failures.
// The width and height of a PNG or JPEG image from its header; nullopt for anything else.
struct ImageSize {
  int width = 0;
  int height = 0;
  bool png = false;  // else JPEG
};
std::optional<ImageSize> cover_size(std::string_view image);

Status cut(const std::filesystem::path& path, Millis from_ms, Millis to_ms,
           const std::filesystem::path& out_path, const CutOptions& options = {});

}  // namespace hark::media
