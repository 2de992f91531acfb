#include "app/portability.hpp"

#include <algorithm>
#include <set>

#include "app/snip_json.hpp"

namespace hark::app {
namespace {

using Json = nlohmann::json;

Json opt(const std::optional<Millis>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json persons_json(const std::vector<Person>& persons) {
  Json out = Json::array();
  for (const auto& p : persons)
    out.push_back(
        {{"name", p.name}, {"role", p.role}, {"group", p.group}, {"img", p.img}, {"href", p.href}});
  return out;
}

Json podcast_json(const Podcast& p) {
  return {{"id", p.id},
          {"feed_url", p.feed_url},
          {"title", p.title},
          {"author", p.author},
          {"description", p.description},
          {"link", p.link},
          {"image_url", p.image_url},
          {"language", p.language},
          {"explicit", p.explicit_content},
          {"podcast_guid", p.podcast_guid},
          {"locked", p.locked},
          {"locked_owner", p.locked_owner},
          {"new_feed_url", p.new_feed_url},
          {"persons", persons_json(p.persons)},
          {"etag", p.etag},
          {"last_modified", p.last_modified},
          {"last_fetched_at", opt(p.last_fetched_at)},
          {"last_success_at", opt(p.last_success_at)},
          {"last_error", p.last_error}};
}

Json episode_json(const Episode& e) {
  Json transcripts = Json::array();
  for (const auto& t : e.transcripts)
    transcripts.push_back(
        {{"url", t.url}, {"type", t.type}, {"language", t.language}, {"rel", t.rel}});
  Json soundbites = Json::array();
  for (const auto& s : e.soundbites)
    soundbites.push_back(
        {{"start_ms", s.start_ms}, {"duration_ms", s.duration_ms}, {"title", s.title}});
  return {{"id", e.id},
          {"podcast_id", e.podcast_id},
          {"key", e.key},
          {"guid", e.guid},
          {"title", e.title},
          {"description", e.description},
          {"content_html", e.content_html},
          {"link", e.link},
          {"published_at", opt(e.published_at)},
          {"duration_ms", opt(e.duration_ms)},
          {"enclosure_url", e.enclosure_url},
          {"enclosure_type", e.enclosure_type},
          {"enclosure_length", e.enclosure_length},
          {"image_url", e.image_url},
          {"season", e.season ? Json(*e.season) : Json(nullptr)},
          {"episode_number", e.episode_number ? Json(*e.episode_number) : Json(nullptr)},
          {"episode_type", e.episode_type},
          {"explicit", e.explicit_content},
          {"transcripts", transcripts},
          {"chapters_url", e.chapters_url},
          {"chapters_type", e.chapters_type},
          {"soundbites", soundbites},
          {"persons", persons_json(e.persons)}};
}

// Reading with a path for messages: "snips[3].start_ms must be a whole number".
class Reader {
 public:
  Reader(const Json& j, std::string path) : j_(j), path_(std::move(path)) {}
  template <typename T>
  Status get(const char* key, T& out) const {
    const auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return ok();  // absent: the default
    try {
      out = it->get<T>();
    } catch (const Json::exception&) {
      return bad(key);
    }
    return ok();
  }
  template <typename T>
  Status get(const char* key, std::optional<T>& out) const {
    const auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) {
      out.reset();
      return ok();
    }
    try {
      out = it->get<T>();
    } catch (const Json::exception&) {
      return bad(key);
    }
    return ok();
  }
  Status persons(const char* key, std::vector<Person>& out) const {
    const auto it = j_.find(key);
    if (it == j_.end()) return ok();
    if (!it->is_array()) return bad(key);
    for (std::size_t i = 0; i < it->size(); ++i) {
      Reader r((*it)[i], path_ + "." + key + "[" + std::to_string(i) + "]");
      Person p;
      HARK_TRY(r.get("name", p.name));
      HARK_TRY(r.get("role", p.role));
      HARK_TRY(r.get("group", p.group));
      HARK_TRY(r.get("img", p.img));
      HARK_TRY(r.get("href", p.href));
      out.push_back(std::move(p));
    }
    return ok();
  }
  const Json& json() const { return j_; }

 private:
  Error bad(const char* key) const {
    return invalid_input("the backup's " + path_ + "." + key + " has the wrong type");
  }
  const Json& j_;
  std::string path_;
};

Result<const Json*> array_of(const Json& doc, const char* key) {
  const auto it = doc.find(key);
  if (it == doc.end()) return invalid_input(std::string("the backup has no '") + key + "' list");
  if (!it->is_array())
    return invalid_input(std::string("the backup's '") + key + "' is not a list");
  return &*it;
}

}  // namespace

Result<nlohmann::json> export_library_json(store::Store& store, Id user_id) {
  auto subscribed = store.podcasts().list(user_id);
  if (!subscribed) return subscribed.error();
  auto snips = store.snips().list(user_id);
  if (!snips) return snips.error();
  std::reverse(snips->begin(), snips->end());  // oldest first
  std::set<Id> podcast_ids;
  Json subscriptions = Json::array();
  for (const auto& p : *subscribed) {
    podcast_ids.insert(p.id);
    subscriptions.push_back(p.id);
  }
  std::set<Id> snipped_episodes;
  for (const auto& s : *snips) {
    snipped_episodes.insert(s.episode_id);
    auto e = store.episodes().find(s.episode_id);
    if (!e) return e.error();
    podcast_ids.insert(e->podcast_id);
  }
  Json podcasts = Json::array(), episodes = Json::array(), positions = Json::array();
  for (const Id id : podcast_ids) {
    auto p = store.podcasts().find(id);
    if (!p) return p.error();
    podcasts.push_back(podcast_json(*p));
    auto list = store.episodes().list(id);
    if (!list) return list.error();
    std::sort(list->begin(), list->end(),
              [](const Episode& a, const Episode& b) { return a.id < b.id; });
    for (const auto& e : *list) episodes.push_back(episode_json(e));
    auto pos = store.positions().list_for_podcast(user_id, id);
    if (!pos) return pos.error();
    std::sort(pos->begin(), pos->end(),
              [](const auto& a, const auto& b) { return a.episode_id < b.episode_id; });
    for (const auto& p2 : *pos)
      positions.push_back({{"episode_id", p2.episode_id},
                           {"position_ms", p2.position_ms},
                           {"duration_ms", opt(p2.duration_ms)},
                           {"played", p2.played},
                           {"updated_at", p2.updated_at}});
  }
  Json snip_list = Json::array();
  for (const auto& s : *snips) snip_list.push_back(snip_json(s));
  Json summaries = Json::array();
  for (const Id id : snipped_episodes) {
    auto s = store.summaries().find(id);
    if (!s) return s.error();
    if (!*s) continue;
    summaries.push_back({{"episode_id", id},
                         {"abstract", (*s)->abstract},
                         {"takeaways", (*s)->takeaways},
                         {"engine", (*s)->engine},
                         {"created_at", (*s)->created_at}});
  }
  return Json{{"format", "hark-library"},
              {"version", kLibraryFormatVersion},
              {"podcasts", podcasts},
              {"episodes", episodes},
              {"subscriptions", subscriptions},
              {"positions", positions},
              {"snips", snip_list},
              {"summaries", summaries}};
}

Result<ImportOutcome> import_library_json(store::Store& store, Id user_id, const Json& doc) {
  if (!doc.is_object() || doc.value("format", "") != "hark-library")
    return invalid_input("this is not a hark library backup (made by hark export json)");
  if (doc.value("version", 0) != kLibraryFormatVersion)
    return invalid_input("this backup is format version " +
                         std::to_string(doc.value("version", 0)) + "; this hark reads version " +
                         std::to_string(kLibraryFormatVersion));
  store::LibraryArchive archive;
  auto podcasts = array_of(doc, "podcasts");
  if (!podcasts) return podcasts.error();
  for (std::size_t i = 0; i < (*podcasts)->size(); ++i) {
    Reader r((**podcasts)[i], "podcasts[" + std::to_string(i) + "]");
    Podcast p;
    HARK_TRY(r.get("id", p.id));
    HARK_TRY(r.get("feed_url", p.feed_url));
    HARK_TRY(r.get("title", p.title));
    HARK_TRY(r.get("author", p.author));
    HARK_TRY(r.get("description", p.description));
    HARK_TRY(r.get("link", p.link));
    HARK_TRY(r.get("image_url", p.image_url));
    HARK_TRY(r.get("language", p.language));
    HARK_TRY(r.get("explicit", p.explicit_content));
    HARK_TRY(r.get("podcast_guid", p.podcast_guid));
    HARK_TRY(r.get("locked", p.locked));
    HARK_TRY(r.get("locked_owner", p.locked_owner));
    HARK_TRY(r.get("new_feed_url", p.new_feed_url));
    HARK_TRY(r.persons("persons", p.persons));
    HARK_TRY(r.get("etag", p.etag));
    HARK_TRY(r.get("last_modified", p.last_modified));
    HARK_TRY(r.get("last_fetched_at", p.last_fetched_at));
    HARK_TRY(r.get("last_success_at", p.last_success_at));
    HARK_TRY(r.get("last_error", p.last_error));
    if (p.id <= 0 || p.feed_url.empty())
      return invalid_input("the backup's podcasts[" + std::to_string(i) +
                           "] needs an id and a feed_url");
    archive.podcasts.push_back(std::move(p));
  }
  auto episodes = array_of(doc, "episodes");
  if (!episodes) return episodes.error();
  for (std::size_t i = 0; i < (*episodes)->size(); ++i) {
    Reader r((**episodes)[i], "episodes[" + std::to_string(i) + "]");
    Episode e;
    HARK_TRY(r.get("id", e.id));
    HARK_TRY(r.get("podcast_id", e.podcast_id));
    HARK_TRY(r.get("key", e.key));
    HARK_TRY(r.get("guid", e.guid));
    HARK_TRY(r.get("title", e.title));
    HARK_TRY(r.get("description", e.description));
    HARK_TRY(r.get("content_html", e.content_html));
    HARK_TRY(r.get("link", e.link));
    HARK_TRY(r.get("published_at", e.published_at));
    HARK_TRY(r.get("duration_ms", e.duration_ms));
    HARK_TRY(r.get("enclosure_url", e.enclosure_url));
    HARK_TRY(r.get("enclosure_type", e.enclosure_type));
    HARK_TRY(r.get("enclosure_length", e.enclosure_length));
    HARK_TRY(r.get("image_url", e.image_url));
    HARK_TRY(r.get("season", e.season));
    HARK_TRY(r.get("episode_number", e.episode_number));
    HARK_TRY(r.get("episode_type", e.episode_type));
    HARK_TRY(r.get("explicit", e.explicit_content));
    HARK_TRY(r.get("chapters_url", e.chapters_url));
    HARK_TRY(r.get("chapters_type", e.chapters_type));
    HARK_TRY(r.persons("persons", e.persons));
    for (const auto& t : r.json().value("transcripts", Json::array())) {
      Reader tr(t, "episodes[" + std::to_string(i) + "].transcripts");
      TranscriptLink link;
      HARK_TRY(tr.get("url", link.url));
      HARK_TRY(tr.get("type", link.type));
      HARK_TRY(tr.get("language", link.language));
      HARK_TRY(tr.get("rel", link.rel));
      e.transcripts.push_back(std::move(link));
    }
    for (const auto& s : r.json().value("soundbites", Json::array())) {
      Reader sr(s, "episodes[" + std::to_string(i) + "].soundbites");
      Soundbite bite;
      HARK_TRY(sr.get("start_ms", bite.start_ms));
      HARK_TRY(sr.get("duration_ms", bite.duration_ms));
      HARK_TRY(sr.get("title", bite.title));
      e.soundbites.push_back(std::move(bite));
    }
    if (e.id <= 0 || e.key.empty())
      return invalid_input("the backup's episodes[" + std::to_string(i) +
                           "] needs an id and a key");
    archive.episodes.push_back(std::move(e));
  }
  auto subscriptions = array_of(doc, "subscriptions");
  if (!subscriptions) return subscriptions.error();
  for (const auto& id : **subscriptions) {
    if (!id.is_number_integer())
      return invalid_input("the backup's subscriptions must be podcast ids");
    archive.subscribed.push_back(id.get<Id>());
  }
  auto positions = array_of(doc, "positions");
  if (!positions) return positions.error();
  for (std::size_t i = 0; i < (*positions)->size(); ++i) {
    Reader r((**positions)[i], "positions[" + std::to_string(i) + "]");
    store::Position p;
    HARK_TRY(r.get("episode_id", p.episode_id));
    HARK_TRY(r.get("position_ms", p.position_ms));
    HARK_TRY(r.get("duration_ms", p.duration_ms));
    HARK_TRY(r.get("played", p.played));
    HARK_TRY(r.get("updated_at", p.updated_at));
    archive.positions.push_back(p);
  }
  auto snips = array_of(doc, "snips");
  if (!snips) return snips.error();
  for (std::size_t i = 0; i < (*snips)->size(); ++i) {
    Reader r((**snips)[i], "snips[" + std::to_string(i) + "]");
    store::Snip s;
    HARK_TRY(r.get("id", s.id));
    HARK_TRY(r.get("episode_id", s.episode_id));
    HARK_TRY(r.get("start_ms", s.start_ms));
    HARK_TRY(r.get("end_ms", s.end_ms));
    HARK_TRY(r.get("tap_ms", s.tap_ms));
    HARK_TRY(r.get("title", s.title));
    HARK_TRY(r.get("summary", s.summary));
    HARK_TRY(r.get("takeaways", s.takeaways));
    HARK_TRY(r.get("quote", s.quote));
    HARK_TRY(r.get("quote_speaker", s.quote_speaker));
    HARK_TRY(r.get("speakers", s.speakers));
    HARK_TRY(r.get("engine", s.engine));
    HARK_TRY(r.get("note", s.note));
    HARK_TRY(r.get("share_id", s.share_id));
    HARK_TRY(r.get("fallback_reason", s.fallback_reason));
    HARK_TRY(r.get("created_at", s.created_at));
    HARK_TRY(r.get("updated_at", s.updated_at));
    if (s.id <= 0)
      return invalid_input("the backup's snips[" + std::to_string(i) + "] needs an id");
    archive.snips.push_back(std::move(s));
  }
  if (const auto it = doc.find("summaries"); it != doc.end() && it->is_array()) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      Reader r((*it)[i], "summaries[" + std::to_string(i) + "]");
      store::StoredSummary s;
      HARK_TRY(r.get("episode_id", s.episode_id));
      HARK_TRY(r.get("abstract", s.abstract));
      HARK_TRY(r.get("takeaways", s.takeaways));
      HARK_TRY(r.get("engine", s.engine));
      HARK_TRY(r.get("created_at", s.created_at));
      archive.summaries.push_back(std::move(s));
    }
  }
  auto restored = store.archive().restore(user_id, archive);
  if (!restored && restored.error().code == ErrorCode::Conflict &&
      restored.error().message.find("not empty") != std::string::npos) {
    // A library with something in it already: merge, adding only what it lacks.
    auto merged = store.archive().merge(user_id, archive);
    if (!merged)
      return Error(merged.error().code, "the backup could not be merged into this library (" +
                                            merged.error().message + "); nothing was imported");
    ImportOutcome outcome;
    outcome.merged = true;
    outcome.report = *merged;
    outcome.podcasts = merged->podcasts_added;
    outcome.episodes = merged->episodes_added;
    outcome.snips = merged->snips_added;
    outcome.positions = merged->positions_added + merged->positions_updated;
    return outcome;
  }
  if (!restored) {
    // A foreign-key or uniqueness failure: the document does not hang together.
    return Error(restored.error().code, "the backup does not hang together (" +
                                            restored.error().message + "); nothing was imported");
  }
  ImportOutcome outcome;
  outcome.podcasts = static_cast<int>(archive.podcasts.size());
  outcome.episodes = static_cast<int>(archive.episodes.size());
  outcome.snips = static_cast<int>(archive.snips.size());
  outcome.positions = static_cast<int>(archive.positions.size());
  return outcome;
}

}  // namespace hark::app
