// Enclosure downloads: resumable (HTTP Range), atomic (a `.part` file renamed into place
// only when complete and verified), content-sniffed (an HTML error page saved as `.mp3`
// is an error, not an episode).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "net/http_client.hpp"

namespace hark::media {

struct DownloadOptions {
  std::int64_t max_bytes = std::int64_t{4} << 30;  // 4 GiB
  std::int64_t expected_length = 0;  // the enclosure's declared length; 0 when unknown
  net::ProgressFn progress{};
};

struct DownloadedFile {
  std::filesystem::path path{};
  std::int64_t size = 0;
  std::string content_type{};  // sniffed, e.g. "audio/mpeg"
  bool resumed = false;
};

// Downloads `url` to `dest`. If `dest` already exists it is complete (nothing else is ever
// left there) and is returned without a transfer. The bytes go to `dest.part`; a leftover
// `.part` from an interrupted run (error, cancellation, a killed process) is resumed with
// a Range request. A server that ignores the Range gets the file rewritten from byte 0; a
// 416 means the `.part` is complete only if its size equals the length the server reports
// (or, failing that, options.expected_length), otherwise the download restarts.
//
// When the transfer is done, the first bytes are sniffed: an HTML page, JSON or other text
// is refused (InvalidInput, "the server sent a web page instead of audio ..."); an
// unrecognised binary format is accepted with the server's audio/video type or
// "application/octet-stream". The `.part` is then fsync'd and renamed to `dest`.
//
// Errors: those of HttpClient::download; InvalidInput (over max_bytes, not media — the
// `.part` is deleted); Conflict when another thread or process is downloading to the same
// `dest` (an flock on the `.part`); Cancelled (the `.part` is kept for resuming).
// Thread-safe for distinct `dest`s; `http` must be thread-safe (every HttpClient is).
Result<DownloadedFile> download(net::HttpClient& http, const std::string& url,
                                const std::filesystem::path& dest, const DownloadOptions& options);

// Identifies audio/video containers by magic bytes: "audio/mpeg", "audio/mp4", "audio/ogg",
// "audio/wav", "audio/flac", "audio/aac", "audio/webm"; "" if not recognised (e.g. HTML).
std::string sniff_media_type(std::string_view head);

}  // namespace hark::media
