// Insights for episodes: the `insights` pipeline step (highlights, generated chapters when
// the episode has none, the episode summary) and the snip service ("save this moment").
//
// Both load the episode's stored transcript, analyse it with the insight engine
// (insight/) and store the result through the Store. Errors are written for the person at
// the CLI: "episode 3 has no transcript yet (run: hark process 3)".
//
// Thread-safety: stateless apart from the Store and ChatModel references; safe from any
// thread (both are thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/jobs.hpp"
#include "core/model.hpp"
#include "core/result.hpp"
#include "llm/chat.hpp"
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
// untimed transcript gets a summary only. NotFound for an unknown episode. With
// `highlight_model` the highlights' titles and summaries are written by it (one request
// each; a highlight it fails on keeps the extractive text, its engine says which).
Result<InsightsOutcome> compute_insights(store::Store& store, Id episode_id,
                                         llm::ChatModel* highlight_model = nullptr);

// The `insights` job handler (registered by register_pipeline).
Result<std::vector<store::Job>> run_insights_step(store::Store& store, JobContext& context,
                                                  llm::ChatModel* highlight_model = nullptr);

// Re-scoring an episode's highlights once listeners have snipped it ("highlights"): a moment
// many people saved scores higher (insight::HighlightOptions::snip_taps). Each listener counts
// once per minute of audio, however often they tapped there. Highlights whose span stays
// keep the text a language model wrote for them, so re-scoring costs no model requests for
// them. An episode whose insights step has not run yet is left to it (it reads the snips too).
inline constexpr std::string_view kHighlightsJob = "highlights";

// A `highlights` job for the episode, runnable `delay_ms` after `now` and deduplicated per
// episode ("highlights:<id>") while one is queued: a burst of snips is re-scored once.
store::Job highlights_job(Id episode_id, Millis now, Millis delay_ms = 60'000);

// The `highlights` job handler (registered by register_pipeline, with the insights step's
// model).
Result<std::vector<store::Job>> run_highlights_step(store::Store& store, JobContext& context,
                                                    llm::ChatModel* highlight_model = nullptr);

// The job that rewrites a snip with the language model ("snip_llm"; see SnipWriting).
inline constexpr std::string_view kSnipLlmJob = "snip_llm";

// How snips use a language model ([llm] in hark.toml, App::snip_writing()).
struct SnipWriting {
  llm::ChatModel* model = nullptr;  // nullptr: the extractive engine alone
  // false (the CLI): the model writes the snip before it is stored; when it fails, the
  // extractive text is stored with engine "extractive" and the model's error in
  // fallback_reason. true (the web player): the snip is stored at once with the extractive
  // text and a durable `snip_llm` job (dedupe key "snip_llm:<snip id>") rewrites it with
  // the model, bumping updated_at (see run_snip_llm_step).
  bool background = false;
};

// A `snip_llm` job for the user's snip: payload {"snip_id", "user_id"}, 3 attempts.
store::Job snip_llm_job(Id user_id, Id snip_id);

// The `snip_llm` job handler: asks `model` to write the snip's passage (its stored span,
// with the episode's and podcast's titles as context) and stores the text with
// SnipRepo::update_text (engine "llm:<model>", updated_at bumped). When the model fails:
// - unreachable or overloaded (Unavailable) with attempts left: the snip's fallback_reason
//   says so ("... (will retry)") and the job is retried with backoff;
// - otherwise (a refusal, an invalid reply, a bad key, the last attempt): the extractive
//   text stays, fallback_reason holds the model's error, and the job completes.
// A snip deleted meanwhile, or no model configured, completes the job with nothing to do.
Result<std::vector<store::Job>> run_snip_llm_step(store::Store& store, llm::ChatModel* model,
                                                  JobContext& context);

// Registers the `snip_llm` handler. `store` and `model` (may be null) must outlive every
// Worker that uses `registry`.
void register_snip_jobs(JobRegistry& registry, store::Store& store, llm::ChatModel* model);

// Makes snips from stored transcripts and stores them for a user.
class SnipService {
 public:
  explicit SnipService(store::Store& store, SnipWriting writing = {})
      : store_(store), writing_(writing) {}
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
  // Deletes the caller's snip (NotFound for anyone else's) and, as making one does, queues
  // a re-scoring of its episode's highlights, which weigh what listeners saved.
  Status remove(Id user_id, Id snip_id);

 private:
  Result<store::Snip> make(Id user_id, Id episode_id, std::optional<Millis> tap, Millis from_ms,
                           Millis to_ms);
  store::Store& store_;
  SnipWriting writing_;
};

}  // namespace hark::app
