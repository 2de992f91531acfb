#include "cli/transcribe.hpp"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "app/pipeline.hpp"
#include "asr/wer.hpp"
#include "cli/output.hpp"
#include "core/time.hpp"

namespace hark::cli {
namespace {

std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

}  // namespace

Status cmd_transcribe(app::App& app, const TranscribeRequest& request, const Options& o) {
  const Id id = request.episode;
  const std::string id_text = std::to_string(id);
  auto episode = app.store().episodes().find(id);
  if (!episode) return episode.error();
  auto info = app.store().transcripts().info(id);
  if (!info) return info.error();
  const bool had_transcript = info->has_value();
  const bool had_asr = had_transcript && (*info)->source.starts_with("asr:");
  const bool had_publisher = had_transcript && !had_asr;
  if (had_publisher && !request.force)
    return invalid_input("episode " + id_text + " already has a publisher transcript (" +
                         (*info)->source + "); run hark transcribe " + id_text +
                         " --force to run speech-to-text anyway and compare the two (add "
                         "--replace to store the result instead)");
  if (app.transcriber() == nullptr)
    return unavailable(
        "speech-to-text is not configured: add an [asr] section to hark.toml, set HARK_ASR_URL, "
        "or pass --asr URL (scripts/asr-service start runs a local one)");

  std::optional<std::string> reference;
  std::string against;
  if (!request.compare_file.empty()) {
    std::ifstream in(request.compare_file, std::ios::binary);
    if (!in) return not_found("cannot open " + request.compare_file);
    std::ostringstream ss;
    ss << in.rdbuf();
    reference = ss.str();
    against = request.compare_file;
  } else if (had_publisher) {
    auto publisher = app.store().transcripts().find(id);
    if (!publisher) return publisher.error();
    if (*publisher) {
      reference = app::transcript_text(**publisher);
      against = "the publisher transcript (" + (*info)->source + ")";
    }
  }

  ProgressBar bar("transcribing");
  std::atomic<bool> cancel{false};
  auto result = app::speech_to_text(
      app.store(), app.pipeline_options(), id,
      [&](const asr::Progress& p) {
        bar.update(p.audio_done_ms / 1000, p.audio_total_ms / 1000,
                   std::to_string(p.chunks_done) + " chunks");
      },
      cancel);
  bar.finish();
  if (!result) return result.error();

  const bool store_it = !had_transcript || had_asr || request.replace;
  if (store_it) HARK_TRY(app::store_speech_to_text(app.store(), id, *result));

  const auto& t = result->transcript;
  const auto& stats = result->stats;
  const double audio_seconds = static_cast<double>(stats.audio_ms) / 1000.0;
  const double rtf = audio_seconds > 0 ? stats.total_seconds / audio_seconds : 0.0;
  std::optional<asr::WordErrorRate> wer;
  if (reference) wer = asr::word_error_rate(*reference, app::transcript_text(t));

  if (o.json) {
    nlohmann::json j = {{"episode", id},
                        {"title", episode->title},
                        {"source", t.source},
                        {"engine", result->engine.kind},
                        {"model", result->engine.model},
                        {"language", t.language},
                        {"segments", t.segments.size()},
                        {"audio_seconds", audio_seconds},
                        {"seconds", stats.total_seconds},
                        {"real_time_factor", rtf},
                        {"chunks", stats.chunks},
                        {"stored", store_it},
                        {"wer", nullptr}};
    if (wer) {
      j["wer"] = {{"rate", wer->rate},
                  {"substitutions", wer->substitutions},
                  {"deletions", wer->deletions},
                  {"insertions", wer->insertions},
                  {"reference_words", wer->reference_words},
                  {"hypothesis_words", wer->hypothesis_words},
                  {"against", against}};
    }
    std::cout << j.dump(2) << "\n";
    return ok();
  }
  std::cout << "Transcribed episode " << id << " (" << episode->title << ")\n"
            << "  engine:    " << result->engine.kind
            << (result->engine.model.empty() ? "" : ", model " + result->engine.model) << "\n"
            << "  language:  " << (t.language.empty() ? "unknown" : t.language) << "\n"
            << "  segments:  " << t.segments.size() << " in " << stats.chunks << " chunk"
            << (stats.chunks == 1 ? "" : "s") << "\n"
            << "  duration:  " << format_clock(stats.audio_ms) << " of audio in "
            << fixed(stats.total_seconds, 1) << " s (real-time factor " << fixed(rtf, 3) << ")\n";
  if (store_it) {
    std::cout << "  stored as the episode's transcript\n";
  } else {
    std::cout << "  not stored: the publisher transcript (" << (*info)->source
              << ") is kept (--replace stores this one instead)\n";
  }
  if (wer) std::cout << "  WER against " << against << ": " << asr::describe(*wer) << "\n";
  return ok();
}

}  // namespace hark::cli
