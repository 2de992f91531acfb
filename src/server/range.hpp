// HTTP Range requests (RFC 9110 §14) for single byte ranges, as media players send them.
// Pure.
#pragma once

#include <cstdint>
#include <string_view>

namespace hark::server {

struct RangeRequest {
  enum class Kind {
    Full,           // no Range header, or one to ignore (not bytes, several ranges, garbage)
    Partial,        // serve [first, last] with 206
    Unsatisfiable,  // 416 with Content-Range: bytes */size
  };
  Kind kind = Kind::Full;
  std::int64_t first = 0;
  std::int64_t last = 0;  // inclusive
};

// Interprets a Range header for a resource of `size` bytes:
//   "bytes=0-99" → 0..99; "bytes=100-" → 100..size-1; "bytes=-100" → the last 100 bytes;
//   a last position past the end is clamped; a first position at or past the end (or
//   "bytes=-0", or any range of an empty resource) is Unsatisfiable. Multiple ranges and
//   malformed headers are ignored (Full), which the RFC allows.
RangeRequest parse_range(std::string_view header, std::int64_t size);

}  // namespace hark::server
