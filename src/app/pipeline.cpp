#include "app/pipeline.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <tuple>
#include <utility>

#include "app/snips.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "feed/chapters.hpp"
#include "feed/show_notes.hpp"
#include "media/audio_file.hpp"
#include "transcript/format.hpp"
#include "transcript/parse.hpp"
#include "transcript/speakers.hpp"

namespace hark::app {
namespace {

// ---- shared by the steps ---------------------------------------------------------------

// What a step works on: the episode and its podcast.
struct EpisodeContext {
  Episode episode;
  Podcast podcast;
};

Result<EpisodeContext> load_episode(store::Store& store, const store::Job& job) {
  auto id = episode_id_of(job);
  if (!id) return id.error();
  auto episode = store.episodes().find(*id);
  if (!episode) {
    if (episode.error().code == ErrorCode::NotFound)
      return invalid_input("episode " + std::to_string(*id) + " no longer exists");
    return episode.error();
  }
  auto podcast = store.podcasts().find(episode->podcast_id);
  if (!podcast) return podcast.error();
  return EpisodeContext{std::move(*episode), std::move(*podcast)};
}

// Fetches `url` and returns its body; an error naming the URL for transport failures
// and non-2xx answers.
Result<std::string> fetch_body(net::HttpClient& http, const std::string& url) {
  auto response = http.fetch(net::Request{.url = url});
  if (!response) return response.error().with_context(url);
  if (response->status < 200 || response->status > 299)
    return unavailable(url + ": HTTP " + std::to_string(response->status));
  return std::move(response->body);
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// ---- transcript ------------------------------------------------------------------------

std::optional<transcript::Format> link_format(const TranscriptLink& link) {
  if (auto format = transcript::format_from_name(link.type)) return format;
  const auto dot = link.url.find_last_of("./");
  if (dot == std::string::npos || link.url[dot] != '.') return std::nullopt;
  auto extension = std::string_view(link.url).substr(dot + 1);
  extension = extension.substr(0, extension.find_first_of("?#"));
  return transcript::format_from_name(extension);
}

int format_rank(const TranscriptLink& link) {
  const auto format = link_format(link);
  if (!format) return 5;
  switch (*format) {
    case transcript::Format::Json:
      return 0;
    case transcript::Format::Vtt:
      return 1;
    case transcript::Format::Srt:
      return 2;
    case transcript::Format::Html:
      return 3;
    case transcript::Format::Text:
      return 4;
  }
  return 5;
}

std::string primary_language(std::string_view tag) {
  return text::to_lower_ascii(tag.substr(0, tag.find_first_of("-_")));
}

// 0: the podcast's language, 1: unknown, 2: another language.
int language_rank(const TranscriptLink& link, std::string_view podcast_language) {
  if (link.language.empty() || podcast_language.empty()) return 1;
  return primary_language(link.language) == primary_language(podcast_language) ? 0 : 2;
}

// What a fetched-and-parsed link gives, or why it gave nothing.
Result<Transcript> read_transcript_link(net::HttpClient& http, const TranscriptLink& link) {
  auto body = fetch_body(http, link.url);
  if (!body) return body.error();
  const auto format = link_format(link);
  const std::string declared = !link.type.empty() ? link.type
                               : format           ? std::string(transcript::format_name(*format))
                                                  : "";
  auto parsed = transcript::parse_transcript(*body, declared);
  if (!parsed) return parsed.error().with_context(link.url);
  if (parsed->transcript.segments.empty()) return invalid_input(link.url + ": no segments");
  if (parsed->transcript.language.empty()) parsed->transcript.language = link.language;
  return std::move(parsed->transcript);
}

// Speech-to-text inside the transcript step, with per-chunk progress on the job.
Result<std::vector<store::Job>> transcribe_in_step(store::Store& store,
                                                   const PipelineOptions& options,
                                                   JobContext& context, Id episode_id,
                                                   std::vector<store::Job> next) {
  const auto progress = [&](const asr::Progress& p) {
    std::string message = "speech-to-text: ";
    double fraction = 0;
    if (p.chunks_total > 0) {
      message +=
          std::to_string(p.chunks_done) + " of " + std::to_string(p.chunks_total) + " chunks";
    } else {
      message += std::to_string(p.chunks_done) + " chunks";
    }
    if (p.audio_total_ms > 0) {
      fraction = std::clamp(
          static_cast<double>(p.audio_done_ms) / static_cast<double>(p.audio_total_ms), 0.0, 0.99);
      message +=
          " (" + format_clock(p.audio_done_ms) + " of " + format_clock(p.audio_total_ms) + ")";
    }
    (void)context.report(fraction, message);  // a lost lease also sets context.cancel
  };
  (void)context.report(0, "no usable publisher transcript; speech-to-text");
  auto result = speech_to_text(store, options, episode_id, progress, context.cancel);
  if (!result) return result.error();
  if (auto stored = store_speech_to_text(store, episode_id, *result); !stored)
    return stored.error();
  const auto& t = result->transcript;
  std::string message = "stored the speech-to-text transcript (" + t.source;
  if (!result->engine.model.empty()) message += ", model " + result->engine.model;
  if (!t.language.empty()) message += ", language " + t.language;
  message += ", " + std::to_string(t.segments.size()) + " segments)";
  auto status = context.report(1.0, message);
  if (!status) return status.error();
  return next;
}

Result<std::vector<store::Job>> run_transcript_step(store::Store& store, net::HttpClient& http,
                                                    const PipelineOptions& options,
                                                    JobContext& context) {
  auto loaded = load_episode(store, context.job);
  if (!loaded) return loaded.error();
  const auto& [episode, podcast] = *loaded;
  auto next = next_pipeline_jobs(kTranscriptJob, episode.id);

  const auto links = rank_transcript_links(episode.transcripts, podcast.language);
  std::vector<std::string> reasons;
  for (const auto& link : links) {
    if (context.cancel) return cancelled("the worker is stopping");
    auto transcript = read_transcript_link(http, link);
    if (!transcript) {
      reasons.push_back(transcript.error().message);
      continue;
    }
    transcript::resolve_speakers(*transcript,
                                 episode.persons.empty() ? podcast.persons : episode.persons);
    if (auto stored = store.transcripts().replace(episode.id, *transcript); !stored)
      return stored.error();
    auto status = context.report(1.0, "stored the publisher transcript (" + transcript->source +
                                          ", " + std::to_string(transcript->segments.size()) +
                                          " segments) from " + link.url);
    if (!status) return status.error();
    return next;
  }
  const std::string why = links.empty() ? "the feed links none" : join(reasons, "; ");
  if (options.transcriber != nullptr && options.auto_transcribe)
    return transcribe_in_step(store, options, context, episode.id, std::move(next));
  auto status = context.report(
      1.0, "no usable publisher transcript: " + why + "; waiting for speech-to-text" +
               (options.transcriber != nullptr ? " (auto_transcribe is off: run hark transcribe " +
                                                     std::to_string(episode.id) + ")"
                                               : ""));
  if (!status) return status.error();
  return next;
}

// ---- chapters --------------------------------------------------------------------------

// A source's chapters (finalized), or why it had none.
using ChapterSource = Result<std::vector<Chapter>>;

ChapterSource publisher_chapters(net::HttpClient& http, const Episode& episode) {
  if (episode.chapters_url.empty()) return not_found("no chapters file");
  auto body = fetch_body(http, episode.chapters_url);
  if (!body) return body.error();
  auto chapters = feed::parse_chapters_json(*body);
  if (!chapters) return chapters.error().with_context(episode.chapters_url);
  feed::finalize_chapters(*chapters, episode.duration_ms);
  return chapters;
}

ChapterSource embedded_chapters(const Episode& episode) {
  if (episode.download_path.empty()) return not_found("not downloaded");
  std::error_code ec;
  if (!std::filesystem::exists(episode.download_path, ec))
    return not_found("downloaded file missing: " + episode.download_path);
  auto chapters = media::read_embedded_chapters(episode.download_path);
  if (!chapters) return chapters.error();
  feed::finalize_chapters(*chapters, episode.duration_ms);
  return chapters;
}

ChapterSource show_notes_chapters(const Episode& episode) {
  for (const auto* notes : {&episode.content_html, &episode.description}) {
    if (notes->empty()) continue;
    auto chapters = feed::chapters_from_show_notes(*notes, episode.duration_ms);
    if (feed::is_chapter_list(chapters)) return chapters;
  }
  return not_found("no timestamps in the show notes");
}

Result<std::vector<store::Job>> run_chapters_step(store::Store& store, net::HttpClient& http,
                                                  const PipelineOptions& options,
                                                  JobContext& context) {
  auto loaded = load_episode(store, context.job);
  if (!loaded) return loaded.error();
  const auto& episode = loaded->episode;
  auto next = next_pipeline_jobs(kChaptersJob, episode.id);

  // Most trusted first; a source is consulted only when the ones before gave no list.
  std::vector<std::pair<std::string, std::function<ChapterSource()>>> sources;
  sources.emplace_back("publisher", [&] { return publisher_chapters(http, episode); });
  if (options.embedded_chapters)
    sources.emplace_back("embedded", [&] { return embedded_chapters(episode); });
  sources.emplace_back("shownotes", [&] { return show_notes_chapters(episode); });

  std::vector<std::string> reasons;
  for (const auto& [name, read] : sources) {
    if (context.cancel) return cancelled("the worker is stopping");
    auto chapters = read();
    if (chapters && feed::is_chapter_list(*chapters)) {
      if (auto stored = store.chapters().replace(episode.id, *chapters); !stored)
        return stored.error();
      auto status = context.report(
          1.0, "stored " + std::to_string(chapters->size()) + " chapters from " + name);
      if (!status) return status.error();
      return next;
    }
    reasons.push_back(
        name + ": " +
        (chapters ? std::string("fewer than two chapters") : chapters.error().message));
  }
  auto status = context.report(1.0, "no chapters found (" + join(reasons, "; ") + ")");
  if (!status) return status.error();
  return next;
}

// Removes a download made for a speech-to-text that failed for good, so the library is as
// it was: no file posing as a good download, no record of one.
void undo_download(store::Store& store, Id episode_id, const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  std::filesystem::remove(path, ec);
  (void)store.episodes().set_download(episode_id, "", 0);
}

}  // namespace

std::string transcript_text(const Transcript& transcript) {
  std::string out;
  for (const auto& segment : transcript.segments) {
    if (segment.text.empty()) continue;
    if (!out.empty()) out += ' ';
    out += segment.text;
  }
  return out;
}

std::string speech_prompt(const Podcast& podcast, const Episode& episode) {
  std::string prompt = std::string(text::trim(podcast.title));
  std::vector<std::string> names;
  for (const auto* persons : {&episode.persons, &podcast.persons}) {
    for (const auto& p : *persons) {
      const std::string name(text::trim(p.name));
      if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end())
        names.push_back(name);
    }
  }
  if (!names.empty()) {
    if (!prompt.empty()) prompt += ". ";
    prompt += "With " + join(names, ", ") + ".";
  }
  if (prompt.size() > asr::kMaxPromptBytes) {
    auto cut = prompt.rfind(' ', asr::kMaxPromptBytes);
    prompt.resize(cut == std::string::npos ? asr::kMaxPromptBytes : cut);
  }
  return prompt;
}

Result<SpeechToText> speech_to_text(store::Store& store, const PipelineOptions& options,
                                    Id episode_id, const asr::ProgressFn& progress,
                                    const std::atomic<bool>& cancel) {
  if (options.transcriber == nullptr)
    return unavailable(
        "speech-to-text is not configured (add an [asr] section to hark.toml, set HARK_ASR_URL, "
        "or pass --asr URL)");
  const std::string id = std::to_string(episode_id);
  auto episode = store.episodes().find(episode_id);
  if (!episode) return episode.error();
  auto podcast = store.podcasts().find(episode->podcast_id);
  if (!podcast) return podcast.error();

  SpeechToText out;
  std::string path = episode->download_path;
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec)) {
    if (!options.download) return unavailable("episode " + id + " is not downloaded");
    if (progress) progress(asr::Progress{});
    auto downloaded = options.download(
        episode_id, [&cancel](std::int64_t, std::int64_t) { return !cancel.load(); });
    if (!downloaded) return downloaded.error();
    path = downloaded->download_path;
    out.downloaded_path = path;
  }
  if (cancel.load()) return cancelled("the worker is stopping");

  asr::TranscribeOptions transcribe;
  transcribe.language = options.asr_language;
  if ((transcribe.language.empty() || transcribe.language == "auto") && !podcast->language.empty())
    transcribe.language = primary_language(podcast->language);
  transcribe.prompt = speech_prompt(*podcast, *episode);
  transcribe.word_timestamps = true;

  out.engine = options.transcriber->engine();
  auto transcript = options.transcriber->transcribe(asr::AudioInput::file(path), transcribe,
                                                    progress, cancel, &out.stats);
  if (!transcript) {
    Error error = transcript.error();
    switch (error.code) {
      case ErrorCode::InvalidInput:
        undo_download(store, episode_id, out.downloaded_path);
        error.message = "speech-to-text of episode " + id + " failed: " + error.message;
        break;
      case ErrorCode::Cancelled:
        break;
      default:
        error.message = "speech-to-text of episode " + id + " failed: " + error.message +
                        " (check the speech-to-text endpoints in " + options.asr_source + ")";
        break;
    }
    return error;
  }
  if (transcript->segments.empty()) {
    undo_download(store, episode_id, out.downloaded_path);
    return invalid_input("no speech found in the audio of episode " + id + " (" +
                         format_clock(out.stats.audio_ms) +
                         " of audio; the speech-to-text service returned no segments)");
  }
  transcript::resolve_speakers(*transcript,
                               episode->persons.empty() ? podcast->persons : episode->persons);
  out.transcript = std::move(*transcript);
  return out;
}

Status store_speech_to_text(store::Store& store, Id episode_id, const SpeechToText& result) {
  return store.transcripts().replace(
      episode_id, result.transcript,
      store::TranscriptOrigin{result.engine.kind, result.engine.model});
}

std::vector<TranscriptLink> rank_transcript_links(std::vector<TranscriptLink> links,
                                                  std::string_view podcast_language) {
  std::erase_if(links, [](const TranscriptLink& link) { return link.url.empty(); });
  const auto key = [&](const TranscriptLink& link) {
    return std::tuple(link.rel == "captions", language_rank(link, podcast_language),
                      format_rank(link));
  };
  std::stable_sort(
      links.begin(), links.end(),
      [&](const TranscriptLink& a, const TranscriptLink& b) { return key(a) < key(b); });
  return links;
}

std::vector<store::Job> next_pipeline_jobs(std::string_view kind, Id episode_id) {
  const auto* step = std::find(kPipelineSteps.begin(), kPipelineSteps.end(), kind);
  if (step == kPipelineSteps.end() || step + 1 == kPipelineSteps.end()) return {};
  return {episode_job(std::string(*(step + 1)), episode_id)};
}

Result<store::Job> enqueue_episode(store::Store& store, Id episode_id) {
  auto episode = store.episodes().find(episode_id);
  if (!episode) return episode.error();
  return store.jobs().enqueue(episode_job(std::string(kPipelineSteps.front()), episode_id));
}

namespace {

Result<std::vector<store::Job>> run_index_step(SearchService& search, JobContext& context) {
  auto id = episode_id_of(context.job);
  if (!id) return id.error();
  auto stats = search.index_episode(*id);
  if (!stats) {
    if (stats.error().code == ErrorCode::NotFound)
      return invalid_input("episode " + std::to_string(*id) + " no longer exists");
    return stats.error();
  }
  std::string message = "indexed " + std::to_string(stats->passages) + " passages";
  if (stats->embedded > 0) message += " (" + std::to_string(stats->embedded) + " embedded)";
  if (!stats->embed_error.empty())
    message += "; not embedded for meaning search (" + stats->embed_error +
               "; run hark reindex once the embedding service is back)";
  auto status = context.report(1.0, message);
  if (!status) return status.error();
  return next_pipeline_jobs(kIndexJob, *id);
}

}  // namespace

void register_pipeline(JobRegistry& registry, store::Store& store, net::HttpClient& http,
                       PipelineOptions options) {
  std::shared_ptr<SearchService> own_search;
  if (options.search == nullptr) own_search = std::make_shared<SearchService>(store);
  SearchService* search = options.search != nullptr ? options.search : own_search.get();
  registry.add(std::string(kIndexJob), [search, own_search](JobContext& context) {
    return run_index_step(*search, context);
  });
  registry.add(std::string(kTranscriptJob), [&store, &http, options](JobContext& context) {
    return run_transcript_step(store, http, options, context);
  });
  registry.add(std::string(kChaptersJob), [&store, &http, options](JobContext& context) {
    return run_chapters_step(store, http, options, context);
  });
  registry.add(std::string(kInsightsJob),
               [&store, model = options.highlight_model](JobContext& context) {
                 return run_insights_step(store, context, model);
               });
  registry.add(std::string(kHighlightsJob),
               [&store, model = options.highlight_model](JobContext& context) {
                 return run_highlights_step(store, context, model);
               });
}

}  // namespace hark::app
