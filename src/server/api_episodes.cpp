// Episodes: listings, details with listening state, transcript, chapters, waveform
// peaks, audio (with Range), position, processing.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "app/jobs.hpp"
#include "app/pipeline.hpp"
#include "server/api_support.hpp"
#include "server/artwork.hpp"
#include "server/handlers.hpp"
#include "server/peaks.hpp"
#include "server/range.hpp"
#include "server/sanitize.hpp"
#include "server/static_files.hpp"
#include "transcript/emit.hpp"

namespace hark::server {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path peaks_dir(const Context& ctx) {
  return ctx.options.peaks_dir.empty() ? ctx.app.config().data_dir / "cache" / "peaks"
                                       : ctx.options.peaks_dir;
}

bool is_web_url(const std::string& url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

}  // namespace

Response handle_list_episodes(const Request& request, Context& ctx) {
  auto limit = int_query(request, "limit", 50, 500);
  if (!limit) return error_response(limit.error());
  auto offset = int_query(request, "offset", 0, 1'000'000'000);
  if (!offset) return error_response(offset.error());
  auto cursor = cursor_query(request);
  if (!cursor) return error_response(cursor.error());
  if (*cursor && *offset > 0)
    return error_response(invalid_input("send either 'cursor' or 'offset', not both"));
  auto& episodes_repo = ctx.app.store().episodes();
  auto episodes = *cursor ? episodes_repo.page_for_user_after(request.user_id(), *limit, **cursor)
                          : episodes_repo.page_for_user(request.user_id(), *limit, *offset);
  if (!episodes) return error_response(episodes.error());
  auto list = episode_list_text(ctx, request.user_id(), *episodes);
  if (!list) return error_response(list.error());
  return episode_list_response(*list, {{"limit", *limit},
                                       {"offset", *offset},
                                       {"next_cursor", next_cursor_json(*episodes, *limit)}});
}

Response handle_list_in_progress(const Request& request, Context& ctx) {
  auto limit = int_query(request, "limit", 20, 200);
  if (!limit) return error_response(limit.error());
  auto& store = ctx.app.store();
  auto positions = store.positions().in_progress(request.user_id(), *limit);
  if (!positions) return error_response(positions.error());
  std::vector<Episode> episodes;
  for (const auto& p : *positions) {
    // Positions outlive unsubscribing; only what the user can still see is listed.
    auto visible = store.subscriptions().can_see_episode(request.user_id(), p.episode_id);
    if (!visible) return error_response(visible.error());
    if (!*visible) continue;
    auto e = store.episodes().find(p.episode_id);
    if (!e) return error_response(e.error());
    episodes.push_back(std::move(*e));
  }
  auto list = episode_list_text(ctx, request.user_id(), episodes);
  if (!list) return error_response(list.error());
  return episode_list_response(*list, json::object());
}

Response handle_get_episode(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  auto extras = episode_extras(ctx, request.user_id(), *episode);
  if (!extras) return error_response(extras.error());
  const std::string& notes =
      episode->content_html.empty() ? episode->description : episode->content_html;
  auto j = episode_json(*episode, *extras, sanitize_html(notes));
  if (auto podcast = ctx.app.store().podcasts().find(episode->podcast_id)) {
    j["podcast"] = {{"id", podcast->id},
                    {"title", podcast->title},
                    {"image_url", podcast_image_src(*podcast)},
                    {"author", podcast->author}};
  }
  j["position"] = extras->position ? position_json(*extras->position) : json(nullptr);
  return json_response(200, j);
}

Response handle_get_transcript(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  auto& store = ctx.app.store();
  auto transcript = store.transcripts().find(episode->id);
  if (!transcript) return error_response(transcript.error());
  if (!*transcript)
    return error_response(
        not_found("episode " + std::to_string(episode->id) + " has no transcript yet"));
  const auto format = request.query_value("format").value_or("");
  if (!format.empty()) {
    Response r;
    if (format == "vtt") {
      r.content_type = "text/vtt; charset=utf-8";
      r.body = transcript::to_vtt(**transcript);
    } else if (format == "srt") {
      r.content_type = "application/x-subrip; charset=utf-8";
      r.body = transcript::to_srt(**transcript);
    } else if (format == "json") {
      r.content_type = "application/json";
      r.body = transcript::to_json(**transcript);
    } else if (format == "txt") {
      r.content_type = "text/plain; charset=utf-8";
      r.body = transcript::to_text(**transcript);
    } else {
      return error_response(invalid_input("format must be vtt, srt, json or txt"));
    }
    return r;
  }
  auto info = store.transcripts().info(episode->id);
  if (!info) return error_response(info.error());
  const bool words = request.query_value("words").value_or("") == "1";
  return json_response(200, transcript_json(episode->id, **transcript, *info, words));
}

Response handle_get_chapters(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  auto chapters = ctx.app.store().chapters().list(episode->id);
  if (!chapters) return error_response(chapters.error());
  json list = json::array();
  for (const auto& c : *chapters) list.push_back(chapter_json(c));
  return json_response(200, {{"episode_id", episode->id}, {"chapters", list}});
}

Response handle_get_peaks(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  std::error_code ec;
  if (episode->download_path.empty() || !fs::is_regular_file(episode->download_path, ec))
    return error_response(
        conflict("the episode's audio is not downloaded; waveform peaks need the file"));
  const auto cache = peaks_file(peaks_dir(ctx), episode->id);
  if (peaks_fresh(cache, episode->download_path)) {
    std::ifstream in(cache, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    Response r;
    r.body = ss.str();
    r.set_header("Cache-Control", "private, max-age=3600");
    return r;
  }
  auto job = ctx.app.store().jobs().enqueue(app::episode_job(std::string(kPeaksJob), episode->id));
  if (!job) return error_response(job.error());
  ctx.worker.notify();
  auto r = json_response(202, {{"status", "pending"}, {"job", job_json(*job)}});
  r.set_header("Retry-After", "2");
  return r;
}

Response handle_get_audio(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  return episode_audio(*episode, request);
}

Response episode_audio(const Episode& episode, const Request& request) {
  std::error_code ec;
  const fs::path file = episode.download_path;
  if (episode.download_path.empty() || !fs::is_regular_file(file, ec)) {
    if (!is_web_url(episode.enclosure_url))
      return error_response(not_found("episode " + std::to_string(episode.id) + " has no audio"));
    Response r;
    r.status = 302;
    r.content_type = "text/plain";
    r.set_header("Location", episode.enclosure_url);
    return r;
  }
  auto r = file_response(
      file, !episode.enclosure_type.empty() ? episode.enclosure_type : mime_type(file), request);
  if (r.status == 200 || r.status == 206) r.set_header("Cache-Control", "private, max-age=86400");
  return r;
}

Response file_response(const fs::path& file, const std::string& content_type,
                       const Request& request) {
  std::error_code ec;
  const auto size = static_cast<std::int64_t>(fs::file_size(file, ec));
  if (ec) return error_response(internal_error("cannot read " + file.string()));
  Response r;
  r.content_type = content_type;
  r.set_header("Accept-Ranges", "bytes");
  const auto range = parse_range(request.header("range"), size);
  switch (range.kind) {
    case RangeRequest::Kind::Unsatisfiable: {
      auto e = error_response(416, "range_not_satisfiable", "the range is outside the file");
      e.set_header("Content-Range", "bytes */" + std::to_string(size));
      return e;
    }
    case RangeRequest::Kind::Partial:
      r.status = 206;
      r.set_header("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                        std::to_string(range.last) + "/" + std::to_string(size));
      r.file = FileBody{file, range.first, range.last - range.first + 1};
      return r;
    case RangeRequest::Kind::Full:
      break;
  }
  r.file = FileBody{file, 0, size};
  return r;
}

Response handle_put_position(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto position = int_member(*body, "position_ms");
  if (!position) return error_response(position.error());
  auto duration = int_member(*body, "duration_ms");
  if (!duration) return error_response(duration.error());
  auto played = bool_member(*body, "played");
  if (!played) return error_response(played.error());
  if (!*position) return error_response(invalid_input("send {\"position_ms\": N}"));
  store::Position p;
  p.user_id = request.user_id();
  p.episode_id = episode->id;
  p.position_ms = **position;
  p.duration_ms = *duration;
  p.played = played->value_or(false);
  auto saved = ctx.app.store().positions().save(p);
  if (!saved) return error_response(saved.error());
  return json_response(200, position_json(*saved));
}

Response handle_process_episode(const Request& request, Context& ctx) {
  auto episode = visible_episode(ctx, request);
  if (!episode) return error_response(episode.error());
  auto job = app::enqueue_episode(ctx.app.store(), episode->id);
  if (!job) return error_response(job.error());
  ctx.worker.notify();
  return json_response(202, {{"job", job_json(*job)}});
}

}  // namespace hark::server
