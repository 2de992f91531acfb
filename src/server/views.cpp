#include "server/views.hpp"

#include "server/artwork.hpp"

namespace hark::server {
namespace {

using nlohmann::json;

json opt(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

json user_json(const store::User& user) {
  return {{"id", user.id}, {"name", user.name}, {"is_admin", user.is_admin}};
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

void write_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++p;
      continue;
    }
    // A well-formed UTF-8 sequence (no overlong forms, surrogates or code points past
    // U+10FFFF) is copied; any other byte becomes U+FFFD.
    int n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    }
    bool valid = n > 0 && end - p > n;
    for (int i = 1; valid && i <= n; ++i) {
      const unsigned char b = p[i];
      valid = i == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    }
    if (valid) {
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n + 1));
      p += n + 1;
    } else {
      out += "\xEF\xBF\xBD";
      ++p;
    }
  }
  out += '"';
}

namespace {

// Members of an object written by hand: `"key":` preceded by a comma after the first.
struct ObjectWriter {
  std::string& out;
  bool first = true;
  explicit ObjectWriter(std::string& o) : out(o) { out += '{'; }
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;
  ~ObjectWriter() { out += '}'; }
  std::string& key(std::string_view k) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += k;  // keys are fixed ASCII names
    out += "\":";
    return out;
  }
  void str(std::string_view k, std::string_view v) { write_json_string(key(k), v); }
  void num(std::string_view k, std::int64_t v) { key(k) += std::to_string(v); }
  void boolean(std::string_view k, bool v) { key(k) += v ? "true" : "false"; }
  template <typename T>
  void opt_num(std::string_view k, const std::optional<T>& v) {
    key(k) += v ? std::to_string(*v) : std::string("null");
  }
};

}  // namespace

// Written straight into the reply: a page lists 50 of these, and building them as
// nlohmann objects (a map node and strings per member) was about half of a page's CPU.
void write_episode_json(std::string& out, const Episode& e, const EpisodeExtras& x) {
  ObjectWriter j(out);
  j.num("id", e.id);
  j.num("podcast_id", e.podcast_id);
  j.str("title", e.title);
  j.opt_num("published_at", e.published_at);
  j.opt_num("duration_ms", e.duration_ms);
  j.str("image_url", episode_image_src(e, nullptr));
  j.str("link", e.link);
  j.opt_num("season", e.season);
  j.opt_num("episode_number", e.episode_number);
  j.str("episode_type", e.episode_type);
  j.boolean("explicit", e.explicit_content);
  j.str("enclosure_url", e.enclosure_url);
  j.str("enclosure_type", e.enclosure_type);
  j.num("enclosure_length", e.enclosure_length);
  j.boolean("downloaded", x.downloaded);
  j.str("state", episode_state(x.position));
  j.num("position_ms", x.position ? x.position->position_ms : 0);
  j.boolean("transcript_ready", x.transcript_ready);
  j.num("chapter_count", x.chapter_count);
  j.str("audio_url", "/api/episodes/" + std::to_string(e.id) + "/audio");
  j.key("soundbites") += '[';
  for (std::size_t i = 0; i < e.soundbites.size(); ++i) {
    if (i > 0) out += ',';
    ObjectWriter b(out);
    b.num("start_ms", e.soundbites[i].start_ms);
    b.num("duration_ms", e.soundbites[i].duration_ms);
    b.str("title", e.soundbites[i].title);
  }
  out += ']';
  j.key("persons") += '[';
  for (std::size_t i = 0; i < e.persons.size(); ++i) {
    if (i > 0) out += ',';
    ObjectWriter o(out);
    o.str("name", e.persons[i].name);
    o.str("role", e.persons[i].role);
    o.str("img", e.persons[i].img);
    o.str("href", e.persons[i].href);
  }
  out += ']';
}

void write_podcast_json(std::string& out, const Podcast& p) {
  ObjectWriter j(out);
  j.num("id", p.id);
  j.str("title", p.title);
  j.str("author", p.author);
  j.str("description", p.description);
  j.str("link", p.link);
  j.str("image_url", podcast_image_src(p));
  j.str("language", p.language);
  j.str("feed_url", p.feed_url);
  j.boolean("explicit", p.explicit_content);
  j.num("episode_count", p.episode_count);
  j.opt_num("last_fetched_at", p.last_fetched_at);
  j.opt_num("last_success_at", p.last_success_at);
  j.str("last_error", p.last_error);
}

json podcast_json(const Podcast& p) {
  std::string text;
  write_podcast_json(text, p);
  return json::parse(text);
}

json episode_json(const Episode& e, const EpisodeExtras& x,
                  const std::optional<std::string>& show_notes_html) {
  // One definition of the shape: the single-episode view parses what the lists write.
  std::string text;
  write_episode_json(text, e, x);
  json j = json::parse(text);
  if (show_notes_html) j["show_notes_html"] = *show_notes_html;
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
