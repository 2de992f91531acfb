#include "net/body_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "net/url.hpp"

namespace hark::net::detail {
namespace {

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// The declared length of a body that arrives as-is (a Content-Encoding makes the
// Content-Length describe the compressed bytes, not what the sink receives).
std::int64_t declared_length(const Headers& headers) {
  if (!find_header(headers, "content-encoding").empty()) return 0;
  return parse_int(find_header(headers, "content-length")).value_or(0);
}

}  // namespace

Error too_large_error(std::int64_t cap) {
  return invalid_input("the response is larger than " + format_size(cap));
}

std::optional<ContentRange> parse_content_range(std::string_view value) {
  if (!value.starts_with("bytes ")) return std::nullopt;
  value.remove_prefix(6);
  const auto slash = value.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  ContentRange range;
  const auto total = value.substr(slash + 1);
  if (total != "*") {
    const auto parsed = parse_int(total);
    if (!parsed) return std::nullopt;
    range.total = *parsed;
  }
  const auto span = value.substr(0, slash);
  if (span == "*") return range;
  const auto dash = span.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = parse_int(span.substr(0, dash));
  if (!first || !parse_int(span.substr(dash + 1))) return std::nullopt;
  range.first = *first;
  return range;
}

std::string_view find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

Status StringSink::begin(int, const Headers& headers) {
  body_.clear();
  // Refuse early when the server already says the body is too big.
  if (declared_length(headers) > cap_) return too_large_error(cap_);
  return ok();
}

Status StringSink::write(std::string_view bytes) {
  if (static_cast<std::int64_t>(body_.size() + bytes.size()) > cap_) return too_large_error(cap_);
  body_.append(bytes);
  return ok();
}

Result<std::unique_ptr<FileSink>> FileSink::open(const std::filesystem::path& path,
                                                 std::int64_t resume_from, std::int64_t cap) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return internal_error("could not open " + path.string() +
                          " for writing: " + std::strerror(errno));
  }
  std::unique_ptr<FileSink> sink(new FileSink(fd, path, resume_from, cap));
  struct stat st {};
  if (::fstat(fd, &st) != 0) return sink->io_error("could not inspect");
  // The file is the truth: never claim more resumed bytes than it holds.
  sink->resume_from_ = std::min<std::int64_t>(std::max<std::int64_t>(resume_from, 0), st.st_size);
  HARK_TRY(sink->start_at(sink->resume_from_, 0));
  return sink;
}

FileSink::FileSink(int fd, std::filesystem::path path, std::int64_t resume_from, std::int64_t cap)
    : fd_(fd), path_(std::move(path)), resume_from_(resume_from), cap_(cap) {}

FileSink::~FileSink() {
  ::close(fd_);
}

Error FileSink::io_error(std::string_view what) const {
  return internal_error(std::string(what) + " " + path_.string() + ": " + std::strerror(errno));
}

Status FileSink::begin(int status, const Headers& headers) {
  keep_ = false;
  written_ = 0;
  if (status == 416) {
    const auto range = parse_content_range(find_header(headers, "content-range"));
    total_ = range ? range->total : 0;
    return ok();
  }
  if (status < 200 || status >= 300) return ok();  // an error page or a redirect
  keep_ = true;
  if (status != 206) return start_at(0, declared_length(headers));
  const auto content_range = find_header(headers, "content-range");
  const auto range = parse_content_range(content_range);
  if (!range || range->first < 0) {
    return unavailable("the server answered a range request with an unreadable Content-Range (\"" +
                       std::string(content_range) + "\")");
  }
  return start_at(range->first, range->total);
}

Status FileSink::start_at(std::int64_t first, std::int64_t total) {
  if (first > resume_from_) {
    return unavailable("the server resumed at byte " + std::to_string(first) + " but only " +
                       std::to_string(resume_from_) + " bytes had been downloaded");
  }
  if (total > cap_) return too_large_error(cap_);
  if (::ftruncate(fd_, first) != 0) return io_error("could not truncate");
  if (::lseek(fd_, first, SEEK_SET) < 0) return io_error("could not seek in");
  resume_from_ = first;
  offset_ = first;
  total_ = total;
  written_ = 0;
  keep_ = true;
  return ok();
}

Status FileSink::write(std::string_view bytes) {
  if (!keep_) return ok();
  if (offset_ + written_ + static_cast<std::int64_t>(bytes.size()) > cap_)
    return too_large_error(cap_);
  while (!bytes.empty()) {
    const auto n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("could not write to");
    bytes.remove_prefix(static_cast<std::size_t>(n));
    written_ += n;
  }
  return ok();
}

}  // namespace hark::net::detail
