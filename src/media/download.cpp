#include "media/download.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

namespace hark::media {
namespace {

namespace fs = std::filesystem;

// Enough for every magic number sniff_media_type knows and to judge whether a body is text.
constexpr std::size_t kSniffBytes = 512;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Error io_error(std::string_view what, const fs::path& path) {
  return internal_error(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

fs::path part_path(const fs::path& dest) {
  fs::path part = dest;
  part += ".part";
  return part;
}

std::string read_head(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(kSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return head;
}

std::int64_t size_or_zero(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(size);
}

// Holds an exclusive lock on the .part file so that two workers (or two processes) never
// write the same file; the kernel drops it if the process dies.
Result<std::unique_ptr<Fd>> lock_part(const fs::path& part, const fs::path& dest) {
  auto fd = std::make_unique<Fd>(::open(part.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (fd->get() < 0) return io_error("could not create", part);
  if (::flock(fd->get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return conflict("another download to " + dest.string() + " is running");
    return io_error("could not lock", part);
  }
  return fd;
}

bool starts_with_tag(std::string_view head, std::string_view tag) {
  std::size_t i = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // UTF-8 byte order mark
  while (i < head.size() && std::strchr(" \t\r\n", head[i]) != nullptr) ++i;
  head.remove_prefix(i);
  if (head.size() < tag.size()) return false;
  for (std::size_t k = 0; k < tag.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(head[k])) != tag[k]) return false;
  }
  return true;
}

// Text has no control bytes other than whitespace; audio has plenty within 512 bytes.
bool looks_like_text(std::string_view head) {
  if (head.empty()) return true;
  return std::none_of(head.begin(), head.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f';
  });
}

// An error when the body is evidently not media (an HTML error page, JSON, text).
Status refuse_non_media(std::string_view head, const std::string& url) {
  if (starts_with_tag(head, "<!doctype html") || starts_with_tag(head, "<html") ||
      starts_with_tag(head, "<head") || starts_with_tag(head, "<body")) {
    return invalid_input("the server sent a web page instead of audio for " + url);
  }
  if (looks_like_text(head)) {
    return invalid_input("the server sent text instead of audio for " + url +
                         (head.empty() ? " (the file is empty)" : ""));
  }
  return ok();
}

Status sync_and_publish(int part_fd, const fs::path& part, const fs::path& dest) {
  if (::fsync(part_fd) != 0) return io_error("could not flush", part);
  if (::rename(part.c_str(), dest.c_str()) != 0) return io_error("could not rename", part);
  // The rename itself is durable only once the directory is flushed.
  const fs::path dir = dest.has_parent_path() ? dest.parent_path() : fs::path(".");
  const Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
  return ok();
}

// Transfers into `part` (resuming from its current size) and sorts out a 416: the part is
// complete if its size matches the length the server (or the feed) declares, otherwise it
// is downloaded again from the start.
Result<net::DownloadResult> transfer(net::HttpClient& http, const std::string& url,
                                     const fs::path& part, const DownloadOptions& options) {
  std::int64_t have = size_or_zero(part);
  if (have > options.max_bytes) have = 0;
  net::Request request{.url = url};
  auto result = http.download(request, part, have, options.progress, options.max_bytes);
  if (!result || result->status != 416) return result;
  const std::int64_t known =
      result->total_length > 0 ? result->total_length : options.expected_length;
  if (have > 0 && known == have) {
    result->resumed = true;
    return result;
  }
  result = http.download(request, part, 0, options.progress, options.max_bytes);
  if (result && result->status == 416) {
    return unavailable("the server refused to send " + url + " (416 Range Not Satisfiable)");
  }
  return result;
}

std::string content_type_of(std::string_view head, std::string_view server_type) {
  if (auto sniffed = sniff_media_type(head); !sniffed.empty()) return sniffed;
  if (server_type.starts_with("audio/") || server_type.starts_with("video/"))
    return std::string(server_type.substr(0, server_type.find(';')));
  return "application/octet-stream";
}

DownloadedFile existing(const fs::path& dest) {
  return {dest, size_or_zero(dest), content_type_of(read_head(dest), ""), false};
}

}  // namespace

Result<DownloadedFile> download(net::HttpClient& http, const std::string& url, const fs::path& dest,
                                const DownloadOptions& options) {
  std::error_code ec;
  if (fs::is_regular_file(dest, ec)) return existing(dest);
  if (dest.has_parent_path()) fs::create_directories(dest.parent_path(), ec);
  const fs::path part = part_path(dest);
  auto lock = lock_part(part, dest);
  if (!lock) return lock.error();
  // Another process may have finished while we waited for the lock.
  if (fs::is_regular_file(dest, ec)) return existing(dest);

  auto result = transfer(http, url, part, options);
  if (!result) {
    // Keep a partial file for the next attempt, unless it can never be used.
    const bool useless = result.error().code == ErrorCode::InvalidInput || size_or_zero(part) == 0;
    if (useless) fs::remove(part, ec);
    return result.error();
  }
  const std::string head = read_head(part);
  if (sniff_media_type(head).empty()) {
    if (auto refused = refuse_non_media(head, url); !refused) {
      fs::remove(part, ec);
      return refused.error();
    }
  }
  HARK_TRY(sync_and_publish((*lock)->get(), part, dest));
  return DownloadedFile{.path = dest,
                        .size = size_or_zero(dest),
                        .content_type = content_type_of(head, result->content_type),
                        .resumed = result->resumed};
}

std::string sniff_media_type(std::string_view head) {
  const auto byte = [&head](std::size_t i) {
    return i < head.size() ? static_cast<unsigned char>(head[i]) : 0u;
  };
  if (head.starts_with("ID3")) return "audio/mpeg";  // an ID3v2 tag precedes MP3 frames
  if (head.starts_with("fLaC")) return "audio/flac";
  if (head.starts_with("OggS")) return "audio/ogg";
  if (head.starts_with("RIFF") && head.substr(8, 4) == "WAVE") return "audio/wav";
  if (head.size() >= 8 && head.substr(4, 4) == "ftyp") return "audio/mp4";
  if (head.starts_with("\x1A\x45\xDF\xA3")) return "audio/webm";  // EBML: WebM/Matroska
  if (head.size() >= 4 && byte(0) == 0xFF) {
    // ADTS AAC: 12-bit sync 0xFFF and layer 00.
    if ((byte(1) & 0xF6) == 0xF0) return "audio/aac";
    // MPEG audio frame: 11-bit sync, and no reserved version, layer, bitrate or rate.
    const bool sync = (byte(1) & 0xE0) == 0xE0;
    const bool version_ok = ((byte(1) >> 3) & 0x3) != 0x1;
    const bool layer_ok = ((byte(1) >> 1) & 0x3) != 0x0;
    const bool bitrate_ok = (byte(2) >> 4) != 0xF;
    const bool rate_ok = ((byte(2) >> 2) & 0x3) != 0x3;
    if (sync && version_ok && layer_ok && bitrate_ok && rate_ok) return "audio/mpeg";
  }
  return "";
}

}  // namespace hark::media
