#include "app/snips.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "app/accounts.hpp"
#include "app/pipeline.hpp"
#include "core/time.hpp"
#include "insight/analysis.hpp"
#include "insight/episode.hpp"
#include "insight/model_writer.hpp"
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
  snip.fallback_reason = std::move(draft.fallback_reason);
  return snip;
}

// The prompt's context: the episode's and its podcast's titles and the episode's notes.
Result<insight::PassageContext> passage_context(store::Store& store, Id episode_id) {
  auto episode = store.episodes().find(episode_id);
  if (!episode) return episode.error();
  auto podcast = store.podcasts().find(episode->podcast_id);
  if (!podcast) return podcast.error();
  return insight::PassageContext{podcast->title, episode->title, episode->description};
}

// Passes calls through and remembers the last error, which write_with_fallback() keeps only
// as a message.
class RecordingWriter final : public insight::PassageWriter {
 public:
  explicit RecordingWriter(insight::PassageWriter& inner) : inner_(inner) {}
  Result<insight::PassageText> write(const insight::Passage& passage) override {
    auto got = inner_.write(passage);
    if (!got) error = got.error();
    return got;
  }
  std::optional<Error> error;

 private:
  insight::PassageWriter& inner_;
};

// Listener moments for highlight scoring: one per listener within any minute of audio.
constexpr Millis kSameMomentMs = 60'000;

Result<std::vector<Millis>> listener_taps(store::Store& store, Id episode_id) {
  auto moments = store.snips().moments(episode_id);
  if (!moments) return moments.error();
  std::vector<Millis> taps;
  std::optional<Id> user;
  Millis last = 0;
  for (const auto& m : *moments) {  // ordered by user, then time
    if (user == m.user_id && m.at_ms - last < kSameMomentMs) continue;
    user = m.user_id;
    last = m.at_ms;
    taps.push_back(m.at_ms);
  }
  return taps;
}

// Gives a highlight whose span is unchanged the text a model already wrote for it, and asks
// the model only for new spans: re-scoring after snips costs no requests for what stayed.
class ReusingWriter final : public insight::PassageWriter {
 public:
  ReusingWriter(std::vector<store::StoredHighlight> previous, insight::PassageWriter* inner)
      : previous_(std::move(previous)), inner_(inner) {}
  Result<insight::PassageText> write(const insight::Passage& passage) override {
    const Millis start = passage.analysis->sentence(passage.first).sentence.start_ms;
    const Millis end = passage.analysis->sentence(passage.last).sentence.end_ms;
    for (const auto& h : previous_) {
      if (h.start_ms != start || h.end_ms != end || h.engine == "extractive") continue;
      insight::PassageText text;
      text.title = h.title;
      text.summary = h.summary;
      text.engine = h.engine;
      return text;
    }
    if (inner_ == nullptr) return unavailable("no language model for highlights");
    return inner_->write(passage);
  }

 private:
  std::vector<store::StoredHighlight> previous_;
  insight::PassageWriter* inner_;
};

// Scores, writes and stores the episode's highlights with its listeners' snips as a signal.
Result<int> store_highlights(store::Store& store, const Episode& episode,
                             const insight::EpisodeAnalysis& analysis,
                             llm::ChatModel* highlight_model) {
  insight::HighlightOptions options;
  auto taps = listener_taps(store, episode.id);
  if (!taps) return taps.error();
  options.snip_taps = std::move(*taps);
  auto previous = store.highlights().list(episode.id);
  if (!previous) return previous.error();
  std::optional<insight::ModelWriter> model_writer;
  if (highlight_model != nullptr) {
    auto context = passage_context(store, episode.id);
    if (!context) return context.error();
    model_writer.emplace(*highlight_model, std::move(*context));
  }
  // Without a model, stored extractive text is rewritten the same way, so there is nothing
  // to reuse; a model's stored text is reused even when the model is now switched off.
  const bool any_model_text =
      std::any_of(previous->begin(), previous->end(),
                  [](const store::StoredHighlight& h) { return h.engine != "extractive"; });
  std::optional<ReusingWriter> reusing;
  if (model_writer || any_model_text)
    reusing.emplace(std::move(*previous), model_writer ? &*model_writer : nullptr);
  auto highlights =
      insight::highlights(analysis, episode.soundbites, options, reusing ? &*reusing : nullptr);
  if (!highlights) return highlights.error();
  std::vector<store::StoredHighlight> rows;
  rows.reserve(highlights->size());
  for (const auto& h : *highlights) {
    rows.push_back({h.start_ms, h.end_ms, h.title, h.summary, h.score, h.engine});
  }
  HARK_TRY(store.highlights().replace(episode.id, rows));
  return static_cast<int>(rows.size());
}

Error untimed(Id episode_id) {
  return invalid_input(episode_label(episode_id) +
                       "'s transcript has no timings, so a moment cannot be found in it; snips "
                       "need a timed transcript (captions or speech-to-text)");
}

}  // namespace

Result<InsightsOutcome> compute_insights(store::Store& store, Id episode_id,
                                         llm::ChatModel* highlight_model) {
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

  auto highlights = store_highlights(store, *episode, *analysis, highlight_model);
  if (!highlights) return highlights.error();
  outcome.highlights = *highlights;

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

Result<std::vector<store::Job>> run_insights_step(store::Store& store, JobContext& context,
                                                  llm::ChatModel* highlight_model) {
  auto id = episode_id_of(context.job);
  if (!id) return id.error();
  auto outcome = compute_insights(store, *id, highlight_model);
  if (!outcome) {
    if (outcome.error().code == ErrorCode::NotFound)
      return invalid_input(episode_label(*id) + " no longer exists");
    return outcome.error();
  }
  auto status = context.report(1.0, outcome->message);
  if (!status) return status.error();
  return next_pipeline_jobs(kInsightsJob, *id);
}

store::Job highlights_job(Id episode_id, Millis now, Millis delay_ms) {
  store::Job job;
  job.kind = std::string(kHighlightsJob);
  job.payload = nlohmann::json{{"episode_id", episode_id}}.dump();
  job.dedupe_key = std::string(kHighlightsJob) + ":" + std::to_string(episode_id);
  job.run_after = now + delay_ms;
  job.max_attempts = 3;
  return job;
}

Result<std::vector<store::Job>> run_highlights_step(store::Store& store, JobContext& context,
                                                    llm::ChatModel* highlight_model) {
  auto id = episode_id_of(context.job);
  if (!id) return id.error();
  const auto done = [&](const std::string& message) -> Result<std::vector<store::Job>> {
    HARK_TRY(context.report(1.0, message));
    return std::vector<store::Job>{};
  };
  auto episode = store.episodes().find(*id);
  if (!episode) {
    if (episode.error().code == ErrorCode::NotFound) return done("the episode was deleted");
    return episode.error();
  }
  auto previous = store.highlights().list(*id);
  if (!previous) return previous.error();
  if (previous->empty()) return done("no highlights yet: the insights step will weigh the snips");
  auto transcript = load_transcript(store, *id);
  if (!transcript) return transcript.error();
  auto analysis = insight::EpisodeAnalysis::build(*transcript);
  if (!analysis) return analysis.error();
  if (!analysis->timed()) return done("untimed transcript: no highlights");
  auto count = store_highlights(store, *episode, *analysis, highlight_model);
  if (!count) return count.error();
  return done("re-scored " + std::to_string(*count) + " highlights with listeners' snips");
}

store::Job snip_llm_job(Id user_id, Id snip_id) {
  store::Job job;
  job.kind = std::string(kSnipLlmJob);
  job.payload = nlohmann::json{{"snip_id", snip_id}, {"user_id", user_id}}.dump();
  job.dedupe_key = std::string(kSnipLlmJob) + ":" + std::to_string(snip_id);
  job.max_attempts = 3;
  return job;
}

Result<std::vector<store::Job>> run_snip_llm_step(store::Store& store, llm::ChatModel* model,
                                                  JobContext& context) {
  Id snip_id = 0;
  Id user_id = 0;
  try {
    const auto payload = nlohmann::json::parse(context.job.payload);
    snip_id = payload.at("snip_id").get<Id>();
    user_id = payload.at("user_id").get<Id>();
  } catch (const nlohmann::json::exception&) {
    return invalid_input("a snip_llm job needs {\"snip_id\", \"user_id\"} (got " +
                         context.job.payload + ")");
  }
  const auto done = [&](const std::string& message) -> Result<std::vector<store::Job>> {
    HARK_TRY(context.report(1.0, message));
    return std::vector<store::Job>{};
  };
  if (model == nullptr) return done("no language model is configured; the snip stays as it is");
  auto snip = store.snips().find(user_id, snip_id);
  if (!snip) {
    if (snip.error().code == ErrorCode::NotFound) return done("the snip was deleted");
    return snip.error();
  }
  auto transcript = load_transcript(store, snip->episode_id);
  if (!transcript) {
    if (transcript.error().code == ErrorCode::NotFound) return done(transcript.error().message);
    return transcript.error();
  }
  auto analysis = insight::EpisodeAnalysis::build(*transcript);
  if (!analysis) return done("nothing to write: " + analysis.error().message);
  auto bounds = insight::range_bounds(*analysis, snip->start_ms, snip->end_ms);
  if (!bounds) return done("the snip no longer matches its transcript: " + bounds.error().message);
  auto context_text = passage_context(store, snip->episode_id);
  if (!context_text) return context_text.error();

  insight::ModelWriter writer(*model, std::move(*context_text));
  RecordingWriter recording(writer);
  insight::SnipDraft draft = insight::draft_for(*analysis, *bounds, {}, &recording);
  const bool retry = recording.error && recording.error->code == ErrorCode::Unavailable &&
                     context.job.attempts < context.job.max_attempts;
  store::Snip rewritten = *snip;
  if (recording.error) {
    // Only the reason changes: the extractive text stored with the snip stays.
    rewritten.fallback_reason = recording.error->message + (retry ? " (will retry)" : "");
  } else {
    rewritten.title = title_or_fallback(draft);
    rewritten.summary = std::move(draft.summary);
    rewritten.takeaways = std::move(draft.takeaways);
    rewritten.quote = std::move(draft.quote);
    rewritten.quote_speaker = std::move(draft.quote_speaker);
    rewritten.engine = std::move(draft.engine);
    rewritten.fallback_reason = std::move(draft.fallback_reason);
  }
  auto stored = store.snips().update_engine_text(rewritten, snip->title);
  if (!stored) {
    if (stored.error().code == ErrorCode::NotFound) return done("the snip was deleted");
    return stored.error();
  }
  if (retry) return *recording.error;
  return done(recording.error
                  ? "the model failed; the extractive text stays: " + recording.error->message
                  : "written by " + stored->engine);
}

void register_snip_jobs(JobRegistry& registry, store::Store& store, llm::ChatModel* model) {
  registry.add(std::string(kSnipLlmJob), [&store, model](JobContext& context) {
    return run_snip_llm_step(store, model, context);
  });
}

Result<store::Snip> SnipService::make(Id user_id, Id episode_id, std::optional<Millis> tap,
                                      Millis from_ms, Millis to_ms) {
  auto transcript = load_transcript(store_, episode_id);
  if (!transcript) return transcript.error();
  if (!transcript->timed) return untimed(episode_id);
  auto analysis = insight::EpisodeAnalysis::build(*transcript);
  if (!analysis) return analysis.error();
  std::optional<insight::ModelWriter> writer;
  if (writing_.model != nullptr && !writing_.background) {
    auto context = passage_context(store_, episode_id);
    if (!context) return context.error();
    writer.emplace(*writing_.model, std::move(*context));
  }
  insight::PassageWriter* preferred = writer ? &*writer : nullptr;
  auto draft = tap ? insight::make_snip(*analysis, *tap, {}, preferred)
                   : insight::make_snip_range(*analysis, from_ms, to_ms, {}, preferred);
  if (!draft) return draft.error();
  auto stored = store_.snips().insert(to_snip(user_id, episode_id, tap, std::move(*draft)));
  if (!stored) return stored;
  // The episode's highlights weigh what listeners save. The snip is saved either way; a
  // queue failure only delays that until the episode's insights are computed again.
  (void)store_.jobs().enqueue(highlights_job(episode_id, now_ms()));
  if (writing_.model == nullptr || !writing_.background) return stored;
  // The listener sees the extractive snip now; the model's text follows (updated_at).
  auto job = store_.jobs().enqueue(snip_llm_job(user_id, stored->id));
  if (!job) {
    // The snip is saved: report it as saved (a retry would duplicate it), with the reason.
    store::Snip noted = *stored;
    noted.fallback_reason =
        "the language model's rewrite could not be queued: " + job.error().message;
    auto updated = store_.snips().update_engine_text(noted, stored->title);
    return updated ? updated : stored;
  }
  return stored;
}

Result<store::Snip> SnipService::snip_at(Id user_id, Id episode_id, Millis tap_ms) {
  if (tap_ms < 0) return invalid_input("a snip time cannot be negative");
  return make(user_id, episode_id, tap_ms, 0, 0);
}

Result<store::Snip> SnipService::snip_range(Id user_id, Id episode_id, Millis from_ms,
                                            Millis to_ms) {
  if (from_ms < 0 || to_ms < 0) return invalid_input("a snip time cannot be negative");
  if (to_ms <= from_ms) return invalid_input("--to must be later than --from");
  return make(user_id, episode_id, std::nullopt, from_ms, to_ms);
}

Status SnipService::remove(Id user_id, Id snip_id) {
  auto snip = store_.snips().find(user_id, snip_id);
  if (!snip) return snip.error();
  HARK_TRY(store_.snips().remove(user_id, snip_id));
  // The snip is gone either way; a queue failure only delays the re-scoring until the
  // episode's insights are computed again.
  (void)store_.jobs().enqueue(highlights_job(snip->episode_id, now_ms()));
  return ok();
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
