// One speech-to-text service: where it is, which wire format it speaks, and how many requests
// it may have in flight. EndpointClient sends one chunk to it and classifies what comes back.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "asr/transcriber.hpp"
#include "asr/wire.hpp"
#include "core/result.hpp"
#include "net/http_client.hpp"

namespace hark::asr {

enum class EngineKind {
  OpenAI,      // POST <url>/v1/audio/transcriptions (OpenAI, faster-whisper servers, LocalAI, ...)
  WhisperCpp,  // POST <url>/inference (whisper.cpp's example server)
};

// "openai", "whisper.cpp".
std::string_view to_string(EngineKind kind);

struct Endpoint {
  // The server's base URL ("http://gpu1:8000"). For OpenAI a base ending in "/v1", or the full
  // ".../audio/transcriptions" URL, is accepted too; for whisper.cpp the full ".../inference".
  std::string url{};
  EngineKind kind = EngineKind::OpenAI;
  std::string model{};          // sent as `model` (OpenAI only); "" sends none
  std::string api_key{};        // sent as "Authorization: Bearer ..." when not ""
  int concurrency = 1;          // requests in flight at once, over every episode
  Millis timeout_ms = 600'000;  // per request: a few minutes of audio on a slow CPU
};

// The URL requests go to (see Endpoint::url).
std::string request_url(const Endpoint& endpoint);

// Why an attempt failed, and what to do about it.
struct Attempt {
  Result<ChunkTranscript> result;
  bool retryable = false;                  // 408, 429, 5xx, transport errors, timeouts
  std::optional<Millis> retry_after_ms{};  // the server's Retry-After, in seconds form
};

// One endpoint and its concurrency limit.
// Thread-safe: attempt() may run on many threads; acquire()/release() bound how many do.
class EndpointClient {
 public:
  EndpointClient(net::HttpClient& http, Endpoint endpoint);

  const Endpoint& endpoint() const { return endpoint_; }

  // Waits for one of the endpoint's `concurrency` slots. Returns false, without a slot, once
  // `keep_going` returns false (checked every few tens of milliseconds).
  bool acquire(const std::function<bool()>& keep_going);
  void release();

  // Sends one 16 kHz mono WAV and parses the answer. No retries here. The request is aborted
  // (Cancelled) soon after `keep_going` returns false. Errors, with the endpoint's URL in the
  // message:
  // - Forbidden for 401/403, naming the settings to fix; not retryable;
  // - InvalidInput for 400/413/415/422 (the service's own message quoted); not retryable;
  // - Unavailable for 404/405 (wrong URL or kind) and invalid JSON, not retryable; for 408,
  //   429, 5xx and transport failures (including timeouts), retryable;
  // - Cancelled.
  Attempt attempt(std::string_view wav, const TranscribeOptions& options,
                  const std::function<bool()>& keep_going) const;

 private:
  net::HttpClient& http_;
  Endpoint endpoint_;
  std::string url_;
  std::mutex mutex_;
  std::condition_variable freed_;
  int in_flight_ = 0;  // guarded by mutex_
};

}  // namespace hark::asr
