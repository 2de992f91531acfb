// The episode pipeline: the job kinds that turn a feed's episode into something hark can
// search and navigate, run by the durable job runner (jobs.hpp, worker.hpp).
//
//   transcript ─► index ─► chapters ─► insights
//
// Each step is one job kind whose handler works on one episode (payload from
// episode_job()) and returns the job of the next step (next_pipeline_jobs()). Adding a
// step is adding its kind to kPipelineSteps and registering its handler in
// register_pipeline(). Every step is idempotent: it replaces what it stores in one
// transaction (TranscriptRepo::replace, ChapterRepo::replace), so re-running the pipeline
// never duplicates segments or chapters.
//
// Thread-safety: the handlers may run on any number of worker threads at once; they share
// only the Store and HttpClient, which are thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/jobs.hpp"
#include "app/search.hpp"
#include "asr/chunked_transcriber.hpp"
#include "core/model.hpp"
#include "core/result.hpp"
#include "llm/chat.hpp"
#include "net/http_client.hpp"
#include "store/store.hpp"

namespace hark::app {

inline constexpr std::string_view kTranscriptJob = "transcript";
inline constexpr std::string_view kChaptersJob = "chapters";
// Transcript passages, title and show notes into the search index (app/search.hpp).
inline constexpr std::string_view kIndexJob = "index";
// Highlights, generated chapters and the episode summary (app/snips.hpp).
inline constexpr std::string_view kInsightsJob = "insights";

// The steps in order; the first is what enqueue_episode() queues.
inline constexpr std::array<std::string_view, 4> kPipelineSteps = {kTranscriptJob, kIndexJob,
                                                                   kChaptersJob, kInsightsJob};

// Downloads an episode's enclosure and records it (Library::download).
using DownloadFn = std::function<Result<Episode>(Id episode_id, const net::ProgressFn& progress)>;

struct PipelineOptions {
  // Read chapters embedded in a downloaded episode's audio file (FFmpeg) when the
  // publisher has no chapters file.
  bool embedded_chapters = true;

  // Speech-to-text for episodes without a usable publisher transcript; nullptr: off (the
  // episode waits for it). When set, `download` must be set too.
  asr::ChunkedTranscriber* transcriber = nullptr;
  DownloadFn download{};
  // "auto" (the podcast's feed language when it names one, else the service detects it) or
  // an ISO 639-1 code.
  std::string asr_language = "auto";
  // Whether the transcript step runs speech-to-text by itself; off: only `hark transcribe`.
  bool auto_transcribe = true;
  // Where the endpoints were configured ("hark.toml [asr]", "--asr"), for error messages.
  std::string asr_source = "[asr]";

  // Writes the insights step's highlight titles and summaries ([llm] highlights = true);
  // nullptr: the extractive engine.
  llm::ChatModel* highlight_model = nullptr;

  // The index step's search service (with the embedding service, when configured); nullptr:
  // the step indexes text only, through a SearchService of its own.
  SearchService* search = nullptr;
};

// Registers a handler for every kind in kPipelineSteps.
//
// transcript: tries the episode's podcast:transcript links best first (see
//   rank_transcript_links), fetching and parsing each until one works; names its speakers
//   from the episode's persons (else the podcast's) and stores it. When there are no links,
//   or every link is unreachable, answers with an error status or fails to parse:
//   - with speech-to-text configured and auto_transcribe on, runs speech_to_text() and stores
//     its transcript with its origin (engine kind, model) and language, reporting progress
//     per chunk; a failure that retrying cannot fix (corrupt audio, no speech, an empty
//     enclosure) fails the job for good with that message and leaves the library as it was
//     (no transcript; a download made for it is removed again); a service that cannot be
//     reached is retried, the error naming its URL and where it was configured;
//   - otherwise the job still completes: the episode waits for speech-to-text and the job's
//     progress message says why ("no usable publisher transcript: ...; waiting for
//     speech-to-text").
// chapters: the most trusted chapter list available — the publisher's podcast:chapters
//   JSON, else chapters embedded in the downloaded audio file, else timestamps in the show
//   notes (content:encoded, then description). Stored chapters are kept when no source
//   gives a list (a publisher's server being down must not erase them).
// index: the episode's passages, title and show notes into the search index (and passage
//   embeddings when options.search has an embedding service); see SearchService.
// A missing episode fails a job at once (InvalidInput); store errors are retried.
// `store` and `http` must outlive every Worker that uses `registry`.
void register_pipeline(JobRegistry& registry, store::Store& store, net::HttpClient& http,
                       PipelineOptions options = {});

// What speech_to_text() made.
struct SpeechToText {
  Transcript transcript;  // speakers resolved against the episode's persons; not stored
  asr::EngineInfo engine;
  asr::TranscribeStats stats;
  std::string downloaded_path;  // set when this call downloaded the enclosure
};

// Speech-to-text for one episode, stored nowhere: downloads the enclosure when there is no
// downloaded file, transcribes it with `options.transcriber` (prompt: the podcast's title and
// its people's names; language per options.asr_language) and names the speakers. Errors:
// NotFound/InvalidInput for an unknown episode or one without audio; InvalidInput "no speech
// found ..." when the service heard nothing, and for audio FFmpeg cannot decode (in both
// cases a download this call made is removed and its record cleared, so nothing in the
// library changed); Unavailable when speech-to-text is not configured or a service failed
// (the message names its URL and options.asr_source); Cancelled.
Result<SpeechToText> speech_to_text(store::Store& store, const PipelineOptions& options,
                                    Id episode_id, const asr::ProgressFn& progress,
                                    const std::atomic<bool>& cancel);

// Stores a speech_to_text() result as the episode's transcript (origin: engine kind, model).
Status store_speech_to_text(store::Store& store, Id episode_id, const SpeechToText& result);

// The prompt for the speech-to-text service: the podcast's title, then the names of the
// episode's people (else the podcast's), cut to asr::kMaxPromptBytes at a word boundary.
std::string speech_prompt(const Podcast& podcast, const Episode& episode);

// A transcript's text: its segments' text joined by spaces.
std::string transcript_text(const Transcript& transcript);

// Enqueues the first step for the episode (deduplicated while one is queued or running).
// NotFound when the episode does not exist.
Result<store::Job> enqueue_episode(store::Store& store, Id episode_id);

// The jobs that follow a finished `kind` step for the episode: the next kind in
// kPipelineSteps, or none after the last (or for a kind not in the pipeline).
std::vector<store::Job> next_pipeline_jobs(std::string_view kind, Id episode_id);

// Transcript links best first: links that are not rel="captions" before captions; then
// links whose language matches `podcast_language` (primary subtag, case ignored: "en-US"
// matches "en"), then links without a language, then others; then by format: JSON, VTT,
// SRT, HTML, text, unknown (format from the MIME type, else the URL's extension). Stable:
// equally good links keep their feed order. Links with an empty URL are dropped.
std::vector<TranscriptLink> rank_transcript_links(std::vector<TranscriptLink> links,
                                                  std::string_view podcast_language);

}  // namespace hark::app
