// The episode pipeline: the job kinds that turn a feed's episode into something hark can
// search and navigate, run by the durable job runner (jobs.hpp, worker.hpp).
//
//   transcript ─► chapters
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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/jobs.hpp"
#include "core/model.hpp"
#include "core/result.hpp"
#include "net/http_client.hpp"
#include "store/store.hpp"

namespace hark::app {

inline constexpr std::string_view kTranscriptJob = "transcript";
inline constexpr std::string_view kChaptersJob = "chapters";

// The steps in order; the first is what enqueue_episode() queues.
inline constexpr std::array<std::string_view, 2> kPipelineSteps = {kTranscriptJob, kChaptersJob};

struct PipelineOptions {
  // Read chapters embedded in a downloaded episode's audio file (FFmpeg) when the
  // publisher has no chapters file.
  bool embedded_chapters = true;
};

// Registers a handler for every kind in kPipelineSteps.
//
// transcript: tries the episode's podcast:transcript links best first (see
//   rank_transcript_links), fetching and parsing each until one works; names its speakers
//   from the episode's persons (else the podcast's) and stores it. When there are no links,
//   or every link is unreachable, answers with an error status or fails to parse, the job
//   still completes: the episode waits for speech-to-text and the job's progress message
//   says why ("no usable publisher transcript: ...; waiting for speech-to-text").
// chapters: the most trusted chapter list available — the publisher's podcast:chapters
//   JSON, else chapters embedded in the downloaded audio file, else timestamps in the show
//   notes (content:encoded, then description). Stored chapters are kept when no source
//   gives a list (a publisher's server being down must not erase them).
// A missing episode fails a job at once (InvalidInput); store errors are retried.
// `store` and `http` must outlive every Worker that uses `registry`.
void register_pipeline(JobRegistry& registry, store::Store& store, net::HttpClient& http,
                       PipelineOptions options = {});

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
