// The Transcriber hark uses: cuts an episode into chunks at silences, sends them to every
// configured endpoint in parallel, retries each failed chunk on its own, and merges the
// results with absolute times.
//
// Scheduling: one shared queue of chunks and one worker per unit of endpoint concurrency, so
// a faster endpoint simply comes back for more chunks; with N equal endpoints an episode takes
// about 1/N of the time. An endpoint's concurrency limit holds across concurrent episodes too
// (its EndpointClient's slots are shared). A file is decoded in one streaming pass that plans
// the cuts (chunking.hpp); each chunk is decoded again, on its own, by the worker that sends
// it, so the first chunks are on their way while the rest of the file is still being read and
// memory stays at a few chunks whatever the episode's length.
//
// Failures: a chunk that fails with a retryable error (408, 429, 5xx, timeouts, transport) is
// put back on the queue after an exponential backoff (or the server's Retry-After, capped),
// for any endpoint to take, until RetryPolicy::max_attempts; then the episode fails with a
// message saying which part of the audio and what went wrong last. A non-retryable error
// (401/403, 400/413/415/422, 404, invalid JSON) fails the episode at once with that error;
// other chunks in flight are aborted. Cancellation stops scheduling and aborts in-flight
// requests within a fraction of a second.
//
// Thread-safe: transcribe() may be called from several threads at once.
#pragma once

#include <memory>
#include <vector>

#include "asr/chunking.hpp"
#include "asr/endpoint.hpp"
#include "asr/transcriber.hpp"
#include "net/http_client.hpp"

namespace hark::asr {

struct RetryPolicy {
  int max_attempts = 4;               // per chunk, the first one included
  Millis initial_backoff_ms = 2'000;  // doubled after every failed attempt of the chunk
  Millis max_backoff_ms = 60'000;     // also caps a server's Retry-After
};

// Where the time of one transcribe() call went, for benchmarks (bench/asr). Seconds of wall
// time; the *_seconds of work done by the endpoint workers are summed over them, so with
// several workers they can exceed `total_seconds`.
struct TranscribeStats {
  double total_seconds = 0;         // the whole call
  double plan_seconds = 0;          // decoding the input once and planning the cuts
  double chunk_decode_seconds = 0;  // getting each chunk's audio again before it is sent:
                                    // read back from the spill file, or decoded (summed)
  double encode_seconds = 0;        // WAV encoding (summed)
  double request_seconds = 0;       // HTTP requests, i.e. waiting for the services (summed)
  double merge_seconds = 0;         // merging the chunks' results
  int chunks = 0;
  int requests = 0;  // attempts, retries included
  Millis audio_ms = 0;

  // hark's own work (planning, chunk decoding, WAV encoding, merging) as a share of the
  // total: an upper bound on what hark adds, as planning and chunk decoding overlap with
  // requests in flight.
  double overhead_share() const {
    return total_seconds > 0
               ? (plan_seconds + chunk_decode_seconds + encode_seconds + merge_seconds) /
                     total_seconds
               : 0;
  }
};

struct ChunkedOptions {
  ChunkingOptions chunking{};
  RetryPolicy retry{};
};

class ChunkedTranscriber final : public Transcriber {
 public:
  // Errors: InvalidInput when there is no endpoint, an endpoint's URL is not http(s) or its
  // concurrency is below 1. `http` must outlive the transcriber.
  static Result<std::unique_ptr<ChunkedTranscriber>> create(net::HttpClient& http,
                                                            std::vector<Endpoint> endpoints,
                                                            ChunkedOptions options = {});

  Result<Transcript> transcribe(const AudioInput& audio, const TranscribeOptions& options,
                                const ProgressFn& progress,
                                const std::atomic<bool>& cancel) override;
  // The same, and fills `stats` (when not null) however the call ends.
  Result<Transcript> transcribe(const AudioInput& audio, const TranscribeOptions& options,
                                const ProgressFn& progress, const std::atomic<bool>& cancel,
                                TranscribeStats* stats);
  EngineInfo engine() const override;
  // The endpoints, in the order they were configured.
  std::vector<Endpoint> endpoints() const;

  ~ChunkedTranscriber() override;

 private:
  ChunkedTranscriber(net::HttpClient& http, std::vector<Endpoint> endpoints,
                     ChunkedOptions options);

  std::vector<std::unique_ptr<EndpointClient>> clients_;
  ChunkedOptions options_;
};

}  // namespace hark::asr
