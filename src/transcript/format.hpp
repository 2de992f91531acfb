// Which transcript format a file is in. Pure and thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace hark::transcript {

enum class Format { Vtt, Srt, Json, Html, Text };

// "vtt", "srt", "json", "html", "text".
std::string_view format_name(Format format);

// A MIME type (parameters and case ignored; off-spec types such as application/srt,
// text/srt, application/x-subrip, text/vtt are accepted), a format name as returned by
// format_name(), or a file extension ("txt", ".vtt"). nullopt when it names none.
std::optional<Format> format_from_name(std::string_view mime_type_or_name);

// What the content itself says, from its first few kilobytes: a WEBVTT header, a JSON
// object or array, an HTML tag, an SRT timing line. nullopt when it could be plain text.
std::optional<Format> sniff_format(std::string_view bytes);

// The parser to use. Content that clearly is one format wins over the declared type
// (publishers serve .vtt files as text/plain); otherwise the MIME type, then the URL's
// extension decide; plain text is the fallback.
Format detect_format(std::string_view bytes, std::string_view mime_type, std::string_view url);

}  // namespace hark::transcript
