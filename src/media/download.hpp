// Enclosure downloads: resumable (HTTP Range), atomic (a `.part` file renamed into place
// only when complete and verified), content-sniffed (an HTML error page saved as `.mp3`
// is an error, not an episode).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "net/http_client.hpp"

namespace hark::media {

struct DownloadOptions {
  std::int64_t max_bytes = std::int64_t{4} << 30;  // 4 GiB
  std::int64_t expected_length = 0;  // the enclosure's declared length; 0 when unknown
  net::ProgressFn progress;
};

struct DownloadedFile {
  std::filesystem::path path;
  std::int64_t size = 0;
  std::string content_type;  // sniffed, e.g. "audio/mpeg"
  bool resumed = false;
};

// Downloads `url` to `dest`. If `dest` already exists and is complete, returns it without
// a transfer. A leftover `dest.part` from an interrupted run is resumed.
Result<DownloadedFile> download(net::HttpClient& http, const std::string& url,
                                const std::filesystem::path& dest, const DownloadOptions& options);

// Identifies audio/video containers by magic bytes: "audio/mpeg", "audio/mp4", "audio/ogg",
// "audio/wav", "audio/flac", "audio/aac", "audio/webm"; "" if not recognised (e.g. HTML).
std::string sniff_media_type(std::string_view head);

}  // namespace hark::media
