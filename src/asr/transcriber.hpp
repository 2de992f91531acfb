// Speech to text: the Transcriber interface, what goes in (audio, options, a progress
// function, a cancel token) and what comes out (a core Transcript with segments, word timings
// where the engine gives them, and the detected language).
//
// Backends are remote speech-to-text services spoken to over HTTP (see endpoint.hpp):
// OpenAI-compatible `/v1/audio/transcriptions` servers (faster-whisper servers, whisper.cpp in
// OpenAI mode, LocalAI, vLLM, OpenAI, Groq) and whisper.cpp's native `/inference`. The
// ChunkedTranscriber (chunked_transcriber.hpp) is the implementation the app wires in.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <variant>

#include "core/model.hpp"
#include "core/result.hpp"
#include "core/transcript.hpp"

namespace hark::asr {

// The sample rate every backend is fed: what Whisper models expect.
inline constexpr int kSampleRate = 16000;

// The audio to transcribe: 16 kHz mono float PCM in [-1, 1] held by the caller (it must
// outlive the call), or an audio file in any format FFmpeg reads, decoded in a streaming pass
// so an episode of any length needs memory for a few chunks only.
struct AudioInput {
  std::variant<std::span<const float>, std::filesystem::path> source{};

  static AudioInput pcm(std::span<const float> samples) { return {samples}; }
  static AudioInput file(std::filesystem::path path) { return {std::move(path)}; }
};

struct TranscribeOptions {
  // An ISO 639-1 code ("en", "de"), or "" / "auto" to let the engine detect the language.
  std::string language{};
  // Ask for word timings. Engines that cannot give them still return segments.
  bool word_timestamps = true;
  // Text the engine should expect: the podcast's title, the people's names, words it would
  // otherwise misspell. Whisper reads at most ~224 tokens of it, so it is cut to
  // kMaxPromptBytes at a word boundary; put the most important words first.
  std::string prompt{};
};

inline constexpr std::size_t kMaxPromptBytes = 800;

// How far a transcription has come. `chunks_total` and `audio_total_ms` are 0 while the
// length is not yet known (a file is still being read).
struct Progress {
  int chunks_done = 0;
  int chunks_total = 0;
  Millis audio_done_ms = 0;  // the summed length of the chunks transcribed so far
  Millis audio_total_ms = 0;
};

// Called on the thread that called transcribe(), after each chunk finishes (and once at the
// start), so a job can record it without locking.
using ProgressFn = std::function<void(const Progress&)>;

// What produced a transcript, for the store: `kind` is "openai", "whisper.cpp" or "mixed"
// (endpoints of both kinds); `model` is the configured model name(s), "" when the server
// chooses (whisper.cpp serves the one model it loaded).
struct EngineInfo {
  std::string kind{};
  std::string model{};
};

// Contract: transcribe() returns a Transcript with `timed == true`, segments ordered by
// start_ms with absolute times from the start of the audio, `source == "asr:<kind>"` and
// `language` set to the detected (or requested) ISO 639-1 code, "" when unknown. No speakers
// are assigned. Errors:
// - InvalidInput: unreadable or empty audio, or the service rejected the request (400, 413,
//   415, 422) — retrying the same input will not help;
// - Forbidden: the service refused the credentials (401, 403); the message names the setting;
// - Unavailable: the service could not be reached, kept failing (5xx, 429, timeouts) after
//   the retries, answered with something that is not its documented JSON, or has no such
//   endpoint (404);
// - Cancelled: `cancel` became true; the call returns promptly and in-flight requests are
//   aborted.
// Thread-safety: implementations are safe to call from several threads at once (one episode
// per call); `progress` runs on the calling thread.
class Transcriber {
 public:
  virtual ~Transcriber() = default;
  virtual Result<Transcript> transcribe(const AudioInput& audio, const TranscribeOptions& options,
                                        const ProgressFn& progress,
                                        const std::atomic<bool>& cancel) = 0;
  virtual EngineInfo engine() const = 0;
};

}  // namespace hark::asr
