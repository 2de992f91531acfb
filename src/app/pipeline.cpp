#include "app/pipeline.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <tuple>
#include <utility>

#include "core/text.hpp"
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

Result<std::vector<store::Job>> run_transcript_step(store::Store& store, net::HttpClient& http,
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
  auto status = context.report(
      1.0, "no usable publisher transcript: " + why + "; waiting for speech-to-text");
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

}  // namespace

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

void register_pipeline(JobRegistry& registry, store::Store& store, net::HttpClient& http,
                       PipelineOptions options) {
  registry.add(std::string(kTranscriptJob), [&store, &http](JobContext& context) {
    return run_transcript_step(store, http, context);
  });
  registry.add(std::string(kChaptersJob), [&store, &http, options](JobContext& context) {
    return run_chapters_step(store, http, options, context);
  });
}

}  // namespace hark::app
