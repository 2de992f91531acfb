// file: URLs and plain paths, for administrators who point hark at local feeds and media
// (Policy::allow_local_files). Internal to the net module; thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "net/body_sink.hpp"
#include "net/http_client.hpp"

namespace hark::net::detail {

// Reads the whole file as a 200 Response. NotFound for a missing file, InvalidInput for a
// directory or a file over `cap`.
Result<Response> read_local_file(std::string_view target, std::int64_t cap,
                                 const ProgressFn& progress);

// Copies the file into `sink` from the sink's resume offset, answering like an HTTP server
// would: 206 when resuming, 200 from the start, 416 when there is nothing left to copy.
Result<DownloadResult> copy_local_file(std::string_view target, FileSink& sink,
                                       const ProgressFn& progress);

}  // namespace hark::net::detail
