#include "server/views.hpp"

#include "server/artwork.hpp"

namespace hark::server {
namespace {

using nlohmann::json;

json opt(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

json opt_int(const std::optional<int>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

json user_json(const store::User& user) {
  return {{"id", user.id}, {"name", user.name}, {"is_admin", user.is_admin}};
}

// The two list views build their objects member by member: an initializer list makes a
// two-element array per member first (member by member: 13 % less CPU for a 50-episode page).
json podcast_json(const Podcast& p) {
  json j = json::object();
  j.emplace("id", p.id);
  j.emplace("title", p.title);
  j.emplace("author", p.author);
  j.emplace("description", p.description);
  j.emplace("link", p.link);
  j.emplace("image_url", podcast_image_src(p));
  j.emplace("language", p.language);
  j.emplace("feed_url", p.feed_url);
  j.emplace("explicit", p.explicit_content);
  j.emplace("episode_count", p.episode_count);
  j.emplace("last_fetched_at", opt(p.last_fetched_at));
  j.emplace("last_success_at", opt(p.last_success_at));
  j.emplace("last_error", p.last_error);
  return j;
}

std::string episode_state(const std::optional<store::Position>& position) {
  if (!position) return "new";
  if (position->played) return "played";
  return position->position_ms > 0 ? "in_progress" : "new";
}

json position_json(const store::Position& p) {
  return {{"episode_id", p.episode_id},
          {"position_ms", p.position_ms},
          {"duration_ms", opt(p.duration_ms)},
          {"played", p.played},
          {"updated_at", p.updated_at}};
}

json episode_json(const Episode& e, const EpisodeExtras& x,
                  const std::optional<std::string>& show_notes_html) {
  json j = json::object();
  j.emplace("id", e.id);
  j.emplace("podcast_id", e.podcast_id);
  j.emplace("title", e.title);
  j.emplace("published_at", opt(e.published_at));
  j.emplace("duration_ms", opt(e.duration_ms));
  j.emplace("image_url", episode_image_src(e, nullptr));
  j.emplace("link", e.link);
  j.emplace("season", opt_int(e.season));
  j.emplace("episode_number", opt_int(e.episode_number));
  j.emplace("episode_type", e.episode_type);
  j.emplace("explicit", e.explicit_content);
  j.emplace("enclosure_url", e.enclosure_url);
  j.emplace("enclosure_type", e.enclosure_type);
  j.emplace("enclosure_length", e.enclosure_length);
  j.emplace("downloaded", x.downloaded);
  j.emplace("state", episode_state(x.position));
  j.emplace("position_ms", x.position ? x.position->position_ms : 0);
  j.emplace("transcript_ready", x.transcript_ready);
  j.emplace("chapter_count", x.chapter_count);
  j.emplace("audio_url", "/api/episodes/" + std::to_string(e.id) + "/audio");
  if (show_notes_html) j.emplace("show_notes_html", *show_notes_html);
  json soundbites = json::array();
  for (const auto& s : e.soundbites) {
    json b = json::object();
    b.emplace("start_ms", s.start_ms);
    b.emplace("duration_ms", s.duration_ms);
    b.emplace("title", s.title);
    soundbites.push_back(std::move(b));
  }
  j.emplace("soundbites", std::move(soundbites));
  json persons = json::array();
  for (const auto& p : e.persons) {
    json o = json::object();
    o.emplace("name", p.name);
    o.emplace("role", p.role);
    o.emplace("img", p.img);
    o.emplace("href", p.href);
    persons.push_back(std::move(o));
  }
  j.emplace("persons", std::move(persons));
  return j;
}

json job_json(const store::Job& job) {
  json j = {{"id", job.id},
            {"kind", job.kind},
            {"state", store::to_string(job.state)},
            {"attempts", job.attempts},
            {"max_attempts", job.max_attempts},
            {"progress", job.progress},
            {"message", job.progress_message},
            {"error", job.last_error},
            {"created_at", job.created_at},
            {"updated_at", job.updated_at},
            {"finished_at", job.finished_at > 0 ? json(job.finished_at) : json(nullptr)},
            {"episode_id", nullptr}};
  const auto payload = json::parse(job.payload, nullptr, false);
  if (payload.is_object() && payload.contains("episode_id") &&
      payload["episode_id"].is_number_integer())
    j["episode_id"] = payload["episode_id"];
  return j;
}

json chapter_json(const Chapter& c) {
  return {{"start_ms", c.start_ms}, {"end_ms", opt(c.end_ms)},  {"title", c.title},
          {"url", c.url},           {"image_url", c.image_url}, {"toc", c.toc},
          {"source", c.source}};
}

json transcript_json(Id episode_id, const Transcript& t,
                     const std::optional<store::TranscriptInfo>& info, bool words) {
  json speakers = json::array();
  for (const auto& s : t.speakers)
    speakers.push_back({{"id", s.id}, {"name", s.name}, {"role", s.role}});
  json segments = json::array();
  for (const auto& s : t.segments) {
    json seg = {
        {"start_ms", s.start_ms}, {"end_ms", s.end_ms}, {"speaker", s.speaker}, {"text", s.text}};
    if (words) {
      json w = json::array();
      for (const auto& word : s.words) w.push_back({word.start_ms, word.end_ms, word.text});
      seg["words"] = w;
    }
    segments.push_back(std::move(seg));
  }
  json j = {{"episode_id", episode_id}, {"source", t.source},   {"language", t.language},
            {"timed", t.timed},         {"speakers", speakers}, {"segments", segments}};
  if (info) {
    j["engine"] = info->origin.engine;
    j["model"] = info->origin.model;
    j["created_at"] = info->created_at;
  }
  return j;
}

json refresh_json(const app::RefreshResult& r) {
  const char* outcome = r.outcome == app::RefreshOutcome::Updated       ? "updated"
                        : r.outcome == app::RefreshOutcome::NotModified ? "not_modified"
                                                                        : "failed";
  return {{"podcast_id", r.podcast_id},    {"outcome", outcome}, {"added", r.episodes.added},
          {"updated", r.episodes.updated}, {"error", r.error},   {"moved_to", r.moved_to},
          {"warnings", r.warnings}};
}

json token_json(const store::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", t.created_at},
          {"last_used_at", opt(t.last_used_at)}};
}

json highlight_json(const store::StoredHighlight& h) {
  return {{"start_ms", h.start_ms}, {"end_ms", h.end_ms}, {"title", h.title},
          {"summary", h.summary},   {"score", h.score},   {"engine", h.engine}};
}

json summary_json(const store::StoredSummary& s) {
  return {{"episode_id", s.episode_id},
          {"abstract", s.abstract},
          {"takeaways", s.takeaways},
          {"engine", s.engine},
          {"created_at", s.created_at}};
}

}  // namespace hark::server
