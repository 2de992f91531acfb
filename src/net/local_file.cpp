#include "net/local_file.hpp"

#include <filesystem>
#include <fstream>

#include "net/url.hpp"

namespace hark::net::detail {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kChunkBytes = 64 * 1024;

struct LocalFile {
  fs::path path;
  std::int64_t size = 0;
};

Result<LocalFile> inspect(std::string_view target) {
  auto path_text = local_path(target);
  if (!path_text) return path_text.error();
  std::error_code ec;
  const fs::path path = fs::absolute(*path_text, ec);
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) return not_found("no such file: " + path.string());
  if (fs::is_directory(status)) return invalid_input(path.string() + " is a directory, not a file");
  if (!fs::is_regular_file(status)) return invalid_input(path.string() + " is not a regular file");
  const auto size = fs::file_size(path, ec);
  if (ec) return internal_error("could not read " + path.string() + ": " + ec.message());
  return LocalFile{path, static_cast<std::int64_t>(size)};
}

std::string file_url(const fs::path& path) {
  return "file://" + path.string();
}

// Streams [first, size) of the file to `consume` in chunks, reporting progress.
Status stream_file(const LocalFile& file, std::int64_t first, const ProgressFn& progress,
                   const std::function<Status(std::string_view)>& consume) {
  std::ifstream in(file.path, std::ios::binary);
  if (!in) return internal_error("could not open " + file.path.string());
  in.seekg(first);
  std::string buffer(kChunkBytes, '\0');
  std::int64_t done = first;
  while (done < file.size) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = in.gcount();
    if (n <= 0) return internal_error("could not read " + file.path.string());
    HARK_TRY(consume(std::string_view(buffer.data(), static_cast<std::size_t>(n))));
    done += n;
    if (progress && !progress(done, file.size))
      return cancelled("reading " + file.path.string() + " was cancelled");
  }
  return ok();
}

}  // namespace

Result<Response> read_local_file(std::string_view target, std::int64_t cap,
                                 const ProgressFn& progress) {
  auto file = inspect(target);
  if (!file) return file.error();
  if (file->size > cap) return too_large_error(cap);
  Response response;
  response.status = 200;
  response.final_url = file_url(file->path);
  response.body.reserve(static_cast<std::size_t>(file->size));
  HARK_TRY(stream_file(*file, 0, progress, [&response](std::string_view chunk) {
    response.body.append(chunk);
    return ok();
  }));
  return response;
}

Result<DownloadResult> copy_local_file(std::string_view target, FileSink& sink,
                                       const ProgressFn& progress) {
  auto file = inspect(target);
  if (!file) return file.error();
  DownloadResult result;
  result.final_url = file_url(file->path);
  result.total_length = file->size;
  const std::int64_t first = sink.resume_from();
  if (first > 0 && first >= file->size) {
    result.status = 416;
    return result;
  }
  HARK_TRY(sink.start_at(first, file->size));
  HARK_TRY(stream_file(*file, first, progress,
                       [&sink](std::string_view chunk) { return sink.write(chunk); }));
  result.status = first > 0 ? 206 : 200;
  result.resumed = first > 0;
  result.bytes_written = sink.written();
  return result;
}

}  // namespace hark::net::detail
