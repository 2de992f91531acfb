// Where a response body goes while it streams in: memory (fetch) or a file (download).
// Both enforce a size cap as bytes arrive, so an oversized or endless body stops at the
// cap instead of filling memory or disk. Internal to the net module; one sink serves one
// request on one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "net/http_client.hpp"

namespace hark::net::detail {

// "the response is larger than 64 MB" (InvalidInput).
Error too_large_error(std::int64_t cap);

// Content-Range of a 206 ("bytes 100-199/1000") or a 416 ("bytes */1000").
struct ContentRange {
  std::int64_t first = -1;  // -1 for the unsatisfied form
  std::int64_t total = 0;   // 0 when the server wrote "*"
};
std::optional<ContentRange> parse_content_range(std::string_view value);

// First header with this lower-case name, or "".
std::string_view find_header(const Headers& headers, std::string_view name);

class BodySink {
 public:
  virtual ~BodySink() = default;
  // Called once per response (every redirect hop and retry has its own), after the
  // headers and before the first body byte, also when the body is empty. An Error
  // aborts the transfer and is what the caller gets.
  virtual Status begin(int status, const Headers& headers) = 0;
  virtual Status write(std::string_view bytes) = 0;
  // Bytes of the resource that precede this response's body (for progress reports).
  virtual std::int64_t offset() const { return 0; }
};

// Collects the body in memory, up to `cap` decoded bytes.
class StringSink final : public BodySink {
 public:
  explicit StringSink(std::int64_t cap) : cap_(cap) {}
  Status begin(int status, const Headers& headers) override;
  Status write(std::string_view bytes) override;
  std::string take_body() { return std::move(body_); }

 private:
  std::int64_t cap_;
  std::string body_;
};

// Writes 2xx bodies into a file that already holds `resume_from` bytes: a 206 appends at
// its Content-Range start, a 200 rewrites from byte 0. Bodies of other statuses (error
// pages, redirects) are discarded. Closes the file when destroyed.
class FileSink final : public BodySink {
 public:
  // Opens (creating) `path` and truncates it to `resume_from` bytes if longer.
  static Result<std::unique_ptr<FileSink>> open(const std::filesystem::path& path,
                                                std::int64_t resume_from, std::int64_t cap);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  Status begin(int status, const Headers& headers) override;
  Status write(std::string_view bytes) override;
  std::int64_t offset() const override { return offset_; }

  // Positions the file for a body that starts at byte `first` of the resource (0 restarts
  // the file) and accepts the following writes; fails if that would leave a gap or if
  // `total` (0: unknown) exceeds the cap.
  Status start_at(std::int64_t first, std::int64_t total);
  std::int64_t resume_from() const { return resume_from_; }
  std::int64_t written() const { return written_; }
  std::int64_t total() const { return total_; }

 private:
  FileSink(int fd, std::filesystem::path path, std::int64_t resume_from, std::int64_t cap);
  Error io_error(std::string_view what) const;

  int fd_;
  std::filesystem::path path_;
  std::int64_t resume_from_;
  std::int64_t cap_;
  bool keep_ = false;         // this response's body belongs in the file
  std::int64_t offset_ = 0;   // file bytes before this response's body
  std::int64_t written_ = 0;  // body bytes written by this response
  std::int64_t total_ = 0;    // full resource size when known
};

}  // namespace hark::net::detail
