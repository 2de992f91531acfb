#include "app/snips.hpp"

#include <utility>

#include "app/accounts.hpp"
#include "app/pipeline.hpp"
#include "core/time.hpp"
#include "insight/analysis.hpp"
#include "insight/episode.hpp"
#include "insight/snip.hpp"

namespace hark::app {
namespace {

std::string episode_label(Id episode_id) {
  return "episode " + std::to_string(episode_id);
}

Error no_transcript(Id episode_id) {
  return not_found(episode_label(episode_id) + " has no transcript yet (run: hark process " +
                   std::to_string(episode_id) + ")");
}

// The episode's transcript, or NotFound naming what to run.
Result<Transcript> load_transcript(store::Store& store, Id episode_id) {
  auto episode = store.episodes().find(episode_id);
  if (!episode) return episode.error();
  auto transcript = store.transcripts().find(episode_id);
  if (!transcript) return transcript.error();
  if (!*transcript || (*transcript)->segments.empty()) return no_transcript(episode_id);
  return std::move(**transcript);
}

// A snip title is never empty: the engine's, else the quote's opening words, else the time.
std::string title_or_fallback(const insight::SnipDraft& draft) {
  if (!draft.title.empty()) return draft.title;
  const std::string& text = !draft.quote.empty() ? draft.quote : draft.summary;
  if (!text.empty()) {
    std::string title;
    std::size_t words = 0;
    for (std::size_t i = 0; i < text.size() && words < 8; ++i) {
      if (text[i] == ' ') ++words;
      if (words < 8) title += text[i];
    }
    if (title.size() < text.size()) title += "…";
    return title;
  }
  return "Moment at " + format_clock(draft.start_ms);
}

store::Snip to_snip(Id user_id, Id episode_id, std::optional<Millis> tap,
                    insight::SnipDraft draft) {
  store::Snip snip;
  snip.user_id = user_id;
  snip.episode_id = episode_id;
  snip.start_ms = draft.start_ms;
  snip.end_ms = draft.end_ms;
  snip.tap_ms = tap;
  snip.title = title_or_fallback(draft);
  snip.summary = std::move(draft.summary);
  snip.takeaways = std::move(draft.takeaways);
  snip.quote = std::move(draft.quote);
  snip.quote_speaker = std::move(draft.quote_speaker);
  snip.speakers = std::move(draft.speakers);
  snip.engine = std::move(draft.engine);
  return snip;
}

Error untimed(Id episode_id) {
  return invalid_input(episode_label(episode_id) +
                       "'s transcript has no timings, so a moment cannot be found in it; snips "
                       "need a timed transcript (captions or speech-to-text)");
}

}  // namespace

Result<InsightsOutcome> compute_insights(store::Store& store, Id episode_id) {
  auto episode = store.episodes().find(episode_id);
  if (!episode) return episode.error();
  InsightsOutcome outcome;
  auto transcript = store.transcripts().find(episode_id);
  if (!transcript) return transcript.error();
  if (!*transcript || (*transcript)->segments.empty()) {
    outcome.message = "no transcript yet";
    return outcome;
  }
  outcome.had_transcript = true;
  auto analysis = insight::EpisodeAnalysis::build(**transcript);
  if (!analysis) {
    outcome.message = "nothing to analyse: " + analysis.error().message;
    return outcome;
  }

  const auto summary = insight::episode_summary(*analysis);
  store::StoredSummary stored_summary;
  stored_summary.episode_id = episode_id;
  stored_summary.abstract = summary.abstract;
  stored_summary.takeaways = summary.takeaways;
  stored_summary.engine = summary.engine;
  HARK_TRY(store.summaries().put(stored_summary));
  outcome.summary = true;

  if (!analysis->timed()) {
    outcome.message = "stored the summary (untimed transcript: no highlights or chapters)";
    return outcome;
  }

  auto highlights = insight::highlights(*analysis, episode->soundbites);
  if (!highlights) return highlights.error();
  std::vector<store::StoredHighlight> rows;
  rows.reserve(highlights->size());
  for (const auto& h : *highlights) {
    rows.push_back({h.start_ms, h.end_ms, h.title, h.summary, h.score, h.engine});
  }
  HARK_TRY(store.highlights().replace(episode_id, rows));
  outcome.highlights = static_cast<int>(rows.size());

  auto chapters = store.chapters().list(episode_id);
  if (!chapters) return chapters.error();
  if (chapters->empty()) {
    auto generated = insight::generated_chapters(*analysis);
    if (!generated) return generated.error();
    if (!generated->empty()) {
      HARK_TRY(store.chapters().replace(episode_id, *generated));
      outcome.generated_chapters = static_cast<int>(generated->size());
    }
  }

  outcome.message = "stored " + std::to_string(outcome.highlights) + " highlights" +
                    (outcome.generated_chapters > 0
                         ? ", the summary and " + std::to_string(outcome.generated_chapters) +
                               " generated chapters"
                         : std::string(" and the summary"));
  return outcome;
}

Result<std::vector<store::Job>> run_insights_step(store::Store& store, JobContext& context) {
  auto id = episode_id_of(context.job);
  if (!id) return id.error();
  auto outcome = compute_insights(store, *id);
  if (!outcome) {
    if (outcome.error().code == ErrorCode::NotFound)
      return invalid_input(episode_label(*id) + " no longer exists");
    return outcome.error();
  }
  auto status = context.report(1.0, outcome->message);
  if (!status) return status.error();
  return next_pipeline_jobs(kInsightsJob, *id);
}

Result<store::Snip> SnipService::snip_at(Id user_id, Id episode_id, Millis tap_ms) {
  if (tap_ms < 0) return invalid_input("a snip time cannot be negative");
  auto transcript = load_transcript(store_, episode_id);
  if (!transcript) return transcript.error();
  if (!transcript->timed) return untimed(episode_id);
  auto analysis = insight::EpisodeAnalysis::build(*transcript);
  if (!analysis) return analysis.error();
  auto draft = insight::make_snip(*analysis, tap_ms);
  if (!draft) return draft.error();
  return store_.snips().insert(to_snip(user_id, episode_id, tap_ms, std::move(*draft)));
}

Result<store::Snip> SnipService::snip_range(Id user_id, Id episode_id, Millis from_ms,
                                            Millis to_ms) {
  if (from_ms < 0 || to_ms < 0) return invalid_input("a snip time cannot be negative");
  if (to_ms <= from_ms) return invalid_input("--to must be later than --from");
  auto transcript = load_transcript(store_, episode_id);
  if (!transcript) return transcript.error();
  if (!transcript->timed) return untimed(episode_id);
  auto analysis = insight::EpisodeAnalysis::build(*transcript);
  if (!analysis) return analysis.error();
  auto draft = insight::make_snip_range(*analysis, from_ms, to_ms);
  if (!draft) return draft.error();
  return store_.snips().insert(to_snip(user_id, episode_id, std::nullopt, std::move(*draft)));
}

Result<store::Snip> SnipService::share(Id user_id, Id snip_id) {
  auto snip = store_.snips().find(user_id, snip_id);
  if (!snip) return snip.error();
  if (snip->share_id) return std::move(*snip);
  // random_token() is 32 libsodium random bytes in URL-safe base64; 22 characters of it
  // carry 132 bits, far beyond guessing, and keep the link short.
  return store_.snips().set_share_id(user_id, snip_id, random_token().substr(0, 22));
}

}  // namespace hark::app
