// The two wire formats, as pure functions: the multipart/form-data request body, and the
// verbose_json responses of OpenAI-compatible servers and of whisper.cpp's /inference.
//
// Response shapes accepted (parsed strictly — the body must be a JSON object whose fields have
// the documented types — but tolerantly — optional fields may be missing):
// - OpenAI verbose_json: {"language", "duration", "text", "segments": [{"start", "end",
//   "text", "avg_logprob", "no_speech_prob", ...}], "words": [{"word", "start", "end"}]}, the
//   words at the top level (OpenAI) or inside each segment (some faster-whisper servers);
// - whisper.cpp verbose_json: the same, but each segment's "words" are the model's tokens
//   (" Hel", "lo", ",") with "probability"; they are joined into words here (a token starting
//   with a space starts a word) and special tokens ("[_BEG_]") are skipped;
// - a bare {"text": "..."} (a server that ignored response_format): one segment, untimed
//   within its chunk.
// Times are seconds as JSON numbers; languages are names ("english") or codes ("en") and come
// out as ISO 639-1 codes. Texts have their whitespace collapsed and invalid UTF-8 replaced.
//
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/transcript.hpp"

namespace hark::asr {

// A segment as the engine reported it, times relative to the chunk's start. `end_ms` is
// nullopt when the engine gave no times (the bare-text shape).
struct WireSegment {
  Millis start_ms = 0;
  std::optional<Millis> end_ms{};
  std::string text{};
  std::vector<Word> words{};
  std::optional<double> avg_logprob{};
  std::optional<double> no_speech_prob{};
  bool operator==(const WireSegment&) const = default;
};

struct ChunkTranscript {
  std::vector<WireSegment> segments{};
  std::string language{};  // ISO 639-1 code, "" when the engine did not say
  bool operator==(const ChunkTranscript&) const = default;
};

enum class WireFormat { OpenAI, WhisperCpp };

// Errors: InvalidInput with a short description of what is wrong ("expected a JSON object",
// "segments[2].start is not a number", or the JSON parser's message).
Result<ChunkTranscript> parse_verbose_json(std::string_view body, WireFormat format);

// "english" → "en", "EN" → "en", "pt-BR" → "pt"; "" for anything not a Whisper language.
std::string language_code(std::string_view name_or_code);

// A multipart/form-data body (RFC 7578) built in memory.
class MultipartForm {
 public:
  // `boundary` empty: a random one.
  explicit MultipartForm(std::string boundary = {});
  void add_field(std::string_view name, std::string_view value);
  void add_file(std::string_view name, std::string_view filename, std::string_view content_type,
                std::string_view data);
  // The Content-Type header value, with the boundary.
  std::string content_type() const;
  // The body, closed with the final boundary.
  std::string finish() &&;

 private:
  void open_part(std::string_view disposition_tail, std::string_view name);
  std::string boundary_;
  std::string body_;
};

}  // namespace hark::asr
