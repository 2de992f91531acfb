// Insights for episodes: the `insights` pipeline step (highlights, generated chapters when
// the episode has none, the episode summary) and the snip service ("save this moment").
//
// Both load the episode's stored transcript, analyse it with the insight engine
// (insight/) and store the result through the Store. Errors are written for the person at
// the CLI: "episode 3 has no transcript yet (run: hark process 3)".
//
// Thread-safety: stateless apart from the Store reference; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "app/jobs.hpp"
#include "core/model.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::app {

// What compute_insights() stored.
struct InsightsOutcome {
  bool had_transcript = false;
  int highlights = 0;
  int generated_chapters = 0;  // 0 when the episode already had chapters
  bool summary = false;
  std::string message;  // one line for the job's progress message
};

// Computes and stores the episode's insights. Idempotent: highlights are replaced, the
// summary put, and chapters generated only while the episode has none. An episode without
// a transcript is not an error (had_transcript false, message "no transcript yet"); an
// untimed transcript gets a summary only. NotFound for an unknown episode.
Result<InsightsOutcome> compute_insights(store::Store& store, Id episode_id);

// The `insights` job handler (registered by register_pipeline).
Result<std::vector<store::Job>> run_insights_step(store::Store& store, JobContext& context);

// Makes snips from stored transcripts and stores them for a user.
class SnipService {
 public:
  explicit SnipService(store::Store& store) : store_(store) {}
  // The whole thought around `tap_ms` (the listener taps after hearing it). A tap before
  // the first sentence or after the end snips the opening or closing thought. Errors:
  // NotFound for an unknown episode or one without a transcript; InvalidInput for a
  // negative time or an untimed transcript.
  Result<store::Snip> snip_at(Id user_id, Id episode_id, Millis tap_ms);
  // The selection [from_ms, to_ms] snapped to whole sentences. InvalidInput for a bad range.
  Result<store::Snip> snip_range(Id user_id, Id episode_id, Millis from_ms, Millis to_ms);
  // Makes the snip readable by anyone with its link: gives it an unguessable share id
  // (22 URL-safe characters, 132 random bits from libsodium) unless it already has one, in
  // which case that one is returned again (idempotent). NotFound for another user's snip.
  Result<store::Snip> share(Id user_id, Id snip_id);

 private:
  store::Store& store_;
};

}  // namespace hark::app
